import { z } from 'zod';

const text = z.string().trim().min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD の形式で指定してください');

export const LeakedItemSchema = z.object({ key: z.string().regex(/^[a-z0-9_]+$/), label: text });

const key = z.string().regex(/^[a-z0-9_]+$/);

/**
 * The campaign's own texts in English, every one optional: a text left out is shown in Japanese on
 * an English page, with a one-line note (see campaign.language.ts). Lists (apology, notes, FAQ)
 * are replaced as a whole; labels of leaked items and brands are given per key.
 */
export const CampaignEnglishSchema = z
  .object({
    companyName: text,
    title: text,
    apology: z.array(text).min(1),
    signatories: z.array(text),
    incidentSummary: text,
    leakedItems: z.record(key, text),
    leakedNotes: z.array(text),
    options: z
      .object({
        emoney: z
          .object({ productName: text, brands: z.record(key, text), notes: z.array(text) })
          .partial()
          .strict(),
        bookCard: z.object({ productName: text, leadTimeNote: text }).partial().strict(),
        donation: z.object({ recipient: text, description: text }).partial().strict(),
      })
      .partial()
      .strict(),
    dataChoice: z.object({ erasureNote: text, erasureWarning: text, optoutNote: text }).partial().strict(),
    postmarkRule: text,
    contactCentre: z
      .object({ name: text, fallbackNote: text, hours: text, period: text, notes: z.array(text) })
      .partial()
      .strict(),
    faq: z.array(z.object({ question: text, answer: z.array(text).min(1) })),
    trademarkNotes: z.array(text),
  })
  .partial()
  .strict();

export type CampaignEnglish = z.infer<typeof CampaignEnglishSchema>;

export const CampaignDefinitionSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'slug は英小文字・数字・ハイフンのみ'),
  companyName: text,
  title: text,
  /** The apology, paragraph by paragraph. */
  apology: z.array(text).min(1),
  signatories: z.array(text).default([]),
  incidentSummary: text,
  leakedItems: z.array(LeakedItemSchema).min(1),
  /** Notes printed under the leaked items (e.g. "no credit card data leaked"). */
  leakedNotes: z.array(text).default([]),
  options: z.object({
    emoney: z
      .object({
        amountYen: z.number().int().positive(),
        productName: text,
        /** pool: pre-purchased codes allocated at redemption; vendor: issued by the vendor's API. */
        source: z.enum(['pool', 'vendor']).default('pool'),
        brands: z.array(z.object({ key: z.string().regex(/^[a-z0-9_]+$/), label: text })).min(1),
        notes: z.array(text).default([]),
      })
      .nullable(),
    bookCard: z
      .object({ amountYen: z.number().int().positive(), productName: text, leadTimeNote: text })
      .nullable(),
    donation: z
      .object({ amountYen: z.number().int().positive(), recipient: text, description: text })
      .nullable(),
  }),
  dataChoice: z.object({
    erasureNote: text,
    /** Erasure also deletes points and web logins: advise "stop marketing" to keep them. */
    erasureWarning: text,
    optoutNote: text,
  }),
  /** Last day of the procedure, end of day JST. */
  deadline: isoDate,
  purgeDeadline: isoDate,
  postmarkRule: text,
  contactCentre: z.object({
    name: text,
    freeDial: text,
    fallbackNumber: text.optional(),
    fallbackNote: text.optional(),
    hours: text,
    period: text.optional(),
    notes: z.array(text).default([]),
  }),
  faq: z.array(z.object({ question: text, answer: z.array(text).min(1) })).default([]),
  trademarkNotes: z.array(text).default([]),
  /** The same texts in English (optional, partial). */
  en: CampaignEnglishSchema.optional(),
});

export type CampaignDefinition = z.infer<typeof CampaignDefinitionSchema>;

/** End of the given day in Japan (UTC+9, no daylight saving). */
export function endOfDayJst(isoDay: string): Date {
  return new Date(`${isoDay}T23:59:59.999+09:00`);
}
