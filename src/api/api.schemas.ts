import { z } from 'zod';

/**
 * The API's request and response shapes (zod). The OpenAPI document is generated from these
 * (openapi.ts); the contract test validates every answer of the test suite against it. Request
 * bodies are checked by the domains' own parsers (the same rules and messages as the pages); the
 * request schemas here describe them for integrators.
 */

const id = z
  .string()
  .regex(/^\d{1,18}$/)
  .meta({ description: 'A numeric id, as a string' });
const when = z.iso.datetime({ offset: true }).meta({ description: 'RFC 3339 date-time (UTC)' });
const day = z.iso.date();

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: 'The same message as the page shows, in the language asked for' }),
    code: z.string(),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Per request field, its message' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export const LoginRequestSchema = z
  .object({ registrationCode: z.string().max(100), loginKey: z.string().max(100) })
  .meta({
    id: 'LoginRequest',
    description: 'As printed on the letter; full-width, hyphens and spaces are forgiven',
  });

export const SessionSchema = z
  .object({ token: z.string(), tokenType: z.literal('Bearer'), expiresAt: when })
  .meta({ id: 'Session' });

export const RedemptionSummarySchema = z
  .object({
    id,
    channel: z.enum(['web', 'postcard']),
    option: z.enum(['emoney', 'book_card', 'donation']),
    brand: z.string().nullable(),
    amountYen: z.number().int(),
    dataChoice: z.enum(['none', 'marketing_optout', 'erasure']),
    redeemedAt: when,
    fulfilledAt: when.nullable(),
  })
  .meta({ id: 'RedemptionSummary' });

export const CustomerStatusSchema = z
  .object({
    campaign: z.object({
      slug: z.string(),
      companyName: z.string(),
      deadline: day,
      acceptingRedemptions: z.boolean(),
      options: z.array(z.enum(['emoney', 'book_card', 'donation'])),
      brands: z.array(z.object({ key: z.string(), label: z.string() })),
    }),
    leakedItems: z.array(z.object({ key: z.string(), label: z.string() })),
    personal: z
      .object({
        fullName: z.string(),
        postalCode: z.string(),
        address: z.string(),
        householdCount: z.number().int(),
      })
      .nullable(),
    redemption: RedemptionSummarySchema.nullable(),
    emoneyCode: z.string().nullable(),
    erasure: z.object({
      requestedBefore: z.boolean(),
      erasedAt: when.nullable(),
      receipt: z.string().nullable(),
    }),
  })
  .meta({ id: 'CustomerStatus' });

export const RedemptionRequestSchema = z
  .object({
    option: z.enum(['emoney', 'book_card', 'donation']),
    brand: z.string().optional().meta({ description: 'e-money: a brand key of the campaign' }),
    dataChoice: z.enum(['none', 'marketing_optout', 'erasure']),
    addressAction: z.enum(['as_is', 'correct']).optional().meta({ description: 'book card' }),
    postalCode: z.string().max(20).optional(),
    address: z.string().max(400).optional(),
  })
  .meta({ id: 'RedemptionRequest' });

export const RedemptionResultSchema = z
  .object({
    created: z
      .boolean()
      .meta({ description: 'false: the customer had already redeemed; that redemption stands' }),
    redemption: RedemptionSummarySchema,
  })
  .meta({ id: 'RedemptionResult' });

export const LookupRequestSchema = z
  .object({
    registrationCode: z.string(),
    reason: z.string().meta({ description: 'Why (stored as a note; no personal data)' }),
  })
  .meta({ id: 'LookupRequest' });

export const MaskedCustomerSchema = z
  .object({
    registrationCode: z.string(),
    campaign: z.object({ slug: z.string(), companyName: z.string(), state: z.string() }),
    personal: z
      .object({
        name: z.string(),
        postalCode: z.string(),
        address: z.string(),
        householdCount: z.number().int(),
      })
      .nullable()
      .meta({ description: 'Masked; null once erased' }),
    leakedItems: z.array(z.string()),
    redemption: z
      .object({
        option: z.string(),
        optionLabel: z.string(),
        brandLabel: z.string().nullable(),
        amountYen: z.number().int(),
        dataChoice: z.string(),
        channel: z.string(),
        redeemedAt: when,
        fulfilledAt: when.nullable(),
      })
      .nullable(),
    erasure: z.object({ requestedBefore: z.boolean(), scheduled: z.boolean(), erasedAt: when.nullable() }),
    optOut: z.object({ requestedAt: when, exportedAt: when.nullable() }).nullable(),
    pending: z.object({ reissue: z.boolean(), erasure: z.boolean() }),
  })
  .meta({ id: 'MaskedCustomer' });

export const PostcardEntryRequestSchema = z
  .object({
    code: z.string(),
    seq: z.union([z.number().int(), z.string()]),
    keying: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')]),
    gifts: z.array(z.enum(['book_card', 'donation', 'emoney'])).optional(),
    dataChoices: z.array(z.enum(['erasure', 'stop_marketing'])).optional(),
    postmarkDate: z.string(),
  })
  .meta({ id: 'PostcardEntryRequest', description: 'One reading of one card, as on the entry screen' });

export const PostcardEntryResultSchema = z
  .object({
    entryId: id,
    seq: z.number().int(),
    keying: z.union([z.literal(1), z.literal(2)]),
    code: z.string(),
    outcome: z.enum(['accepted', 'duplicate', 'late', 'invalid', 'pending_verification', 'mismatch']),
    reason: z.string().nullable(),
    replay: z.boolean(),
  })
  .meta({ id: 'PostcardEntryResult' });

export const SuppressionPageSchema = z
  .object({
    items: z.array(z.object({ customerRef: z.string(), campaign: z.string(), requestedAt: when })),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as cursor for the next page; null: nothing newer yet' }),
  })
  .meta({ id: 'SuppressionPage' });

export const ReportSchema = z
  .object({
    campaign: z.object({ id, slug: z.string(), companyName: z.string(), state: z.string() }),
    summary: z.object({
      notified: z.number(),
      redemptions: z.number(),
      ratePercent: z.number(),
      erasureRequests: z.number(),
      erasuresDone: z.number(),
      optOuts: z.number(),
      donations: z.object({ count: z.number(), totalYen: z.number() }),
      donationsPending: z.number(),
      poolFree: z.number(),
    }),
    charts: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        unit: z.enum(['count', 'yen', 'percent']),
        categories: z.array(z.string()),
        series: z.array(z.object({ label: z.string(), values: z.array(z.number().nullable()) })),
      }),
    ),
  })
  .meta({ id: 'Report' });

export const ChoiceChangeRequestSchema = z
  .object({
    option: z.enum(['book_card', 'donation']).optional().meta({ description: 'Absent: keep the gift' }),
    dataChoice: z
      .enum(['marketing_optout', 'erasure'])
      .optional()
      .meta({ description: 'Absent: keep the data choice' }),
    addressAction: z
      .literal('correct')
      .optional()
      .meta({ description: 'Book card: correct the shipping address' }),
    postalCode: z.string().max(20).optional(),
    address: z.string().max(400).optional(),
  })
  .meta({ id: 'ChoiceChangeRequest' });

const choiceState = z.object({
  option: z.enum(['emoney', 'book_card', 'donation']),
  dataChoice: z.enum(['none', 'marketing_optout', 'erasure']),
  amountYen: z.number().int(),
});

export const ChoiceChangeResultSchema = z
  .object({
    changeId: id,
    redemptionId: id,
    changedAt: when,
    before: choiceState,
    after: choiceState,
    addressChanged: z.boolean(),
  })
  .meta({ id: 'ChoiceChangeResult' });
