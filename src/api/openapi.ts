import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import {
  ChoiceChangeRequestSchema,
  ChoiceChangeResultSchema,
  CustomerStatusSchema,
  LoginRequestSchema,
  LookupRequestSchema,
  MaskedCustomerSchema,
  PostcardEntryRequestSchema,
  PostcardEntryResultSchema,
  ProblemSchema,
  RedemptionRequestSchema,
  RedemptionResultSchema,
  ReportSchema,
  SessionSchema,
  SuppressionPageSchema,
} from './api.schemas.js';

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas (served at /api/v1/openapi.json). */

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const rateHeaders = {
  'RateLimit-Limit': { schema: z.string() },
  'RateLimit-Remaining': { schema: z.string() },
  'RateLimit-Reset': { schema: z.string() },
};

/** Every refusal: a problem (RFC 9457). */
function problems(...statuses: number[]): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const s of [...statuses, 429, 500, 503])
    out[String(s) as '400'] = {
      description: 'A problem (RFC 9457); `detail` is the message the page shows',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  return out;
}

const customer = [{ customerSession: [] }];
const operator = [{ apiToken: [] }];

function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return o;
}

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: true,
  description: 'Unique per redemption attempt; the same key and body replay the answer for 24 hours',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

const paths = {
  '/campaigns/{slug}/session': {
    post: op({
      summary: 'Log in with the registration code and login key (same lockout and neutral errors as the web)',
      requestParams: { path: z.object({ slug: z.string() }) },
      requestBody: { content: { 'application/json': { schema: LoginRequestSchema } } },
      responses: {
        201: { ...json(SessionSchema, 'A bearer token for the other endpoints'), headers: rateHeaders },
        ...problems(400, 401, 404, 423),
      },
    }),
  },
  '/session': {
    delete: op({
      summary: 'Log out (ends the session)',
      security: customer,
      responses: { 204: { description: 'Logged out' }, ...problems(401) },
    }),
  },
  '/me': {
    get: op({
      summary: "The customer's status",
      security: customer,
      responses: { 200: json(CustomerStatusSchema, 'Status'), ...problems(401) },
    }),
  },
  '/me/redemption': {
    post: op({
      summary: 'Redeem (choose the gift and what happens to the data)',
      security: customer,
      parameters: [idempotencyKey],
      requestBody: { content: { 'application/json': { schema: RedemptionRequestSchema } } },
      responses: {
        200: json(RedemptionResultSchema, 'Already redeemed: the standing redemption'),
        201: json(RedemptionResultSchema, 'Redeemed'),
        ...problems(400, 401, 409, 410),
      },
    }),
  },
  '/me/choice-change': {
    post: op({
      summary: 'Change the gift (book card ↔ donation) or the data choice, while the rules allow it',
      security: customer,
      requestBody: { content: { 'application/json': { schema: ChoiceChangeRequestSchema } } },
      responses: { 200: json(ChoiceChangeResultSchema, 'Changed'), ...problems(400, 401, 404, 409, 410) },
    }),
  },
  '/ops/customers/lookup': {
    post: op({
      summary: 'Contact centre: a customer by registration code, masked (scope contact)',
      security: operator,
      requestBody: { content: { 'application/json': { schema: LookupRequestSchema } } },
      responses: { 200: json(MaskedCustomerSchema, 'The masked record'), ...problems(400, 401, 403, 404) },
    }),
  },
  '/ops/postcards/batches/{id}/entries': {
    post: op({
      summary: 'One postcard reading (scope postcards)',
      security: operator,
      requestParams: { path: z.object({ id: z.string() }) },
      requestBody: { content: { 'application/json': { schema: PostcardEntryRequestSchema } } },
      responses: {
        200: json(PostcardEntryResultSchema, 'The same card was already saved'),
        201: json(PostcardEntryResultSchema, 'Saved'),
        ...problems(400, 401, 403, 404, 409),
      },
    }),
  },
  '/ops/suppression': {
    get: op({
      summary: 'The suppression list (marketing opt-outs) after a cursor, oldest first (scope exports)',
      security: operator,
      requestParams: {
        query: z.object({
          cursor: z.string().optional(),
          limit: z.string().optional().meta({ description: '1 to 1000 (default 500)' }),
          campaign: z.string().optional().meta({ description: 'A campaign slug' }),
        }),
      },
      responses: { 200: json(SuppressionPageSchema, 'A page'), ...problems(400, 401, 403) },
    }),
  },
  '/ops/campaigns/{id}/report': {
    get: op({
      summary: "A campaign's report figures (scope reports)",
      security: operator,
      requestParams: { path: z.object({ id: z.string() }) },
      responses: { 200: json(ReportSchema, 'Figures'), ...problems(401, 403, 404) },
    }),
  },
};

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Owabi API',
      version: '1.0.0',
      description:
        'Customers: log in, read the status, redeem. Operators (API tokens from the console): contact look-up, postcard entry, the suppression list, report figures. Errors are RFC 9457 problems; no cookies.',
    },
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      securitySchemes: {
        customerSession: {
          type: 'http',
          scheme: 'bearer',
          description: 'The token from POST /campaigns/{slug}/session',
        },
        apiToken: { type: 'http', scheme: 'bearer', description: 'owabi_… token created in the console' },
      },
    },
  });
  return cached;
}
