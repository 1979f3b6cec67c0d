import { z } from 'zod';
import type { AppError } from '../platform/errors.js';
import { FULFILMENT_TEXT as T } from './fulfilment-admin.messages.js';

/** Ids in paths are bigint keys: anything else (including 0) names nothing. */
const ID = /^[1-9]\d{0,17}$/;

/** The id in the path, or the not-found error of what it should name. */
export function idParam(value: unknown, notFound: () => AppError): string {
  const s = String(value ?? '');
  if (!ID.test(s)) throw notFound();
  return s;
}

/** Irreversible steps are posted from a confirmation page that sends `confirm=yes`. */
export const ConfirmSchema = z.object({
  confirm: z.literal('yes', { error: T.errors.confirmShipped }),
});

const count = z.number();

/**
 * What the console shows of a stored purge report (a JSON column written by the purge job). Read
 * leniently: a field a later version added or dropped must not break the page.
 */
export const PurgeReportViewSchema = z.object({
  campaign: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: count.optional(),
  passed: z.boolean(),
  sampledValues: count.optional(),
  phasesMs: z.record(z.string(), count).default({}),
  countsBefore: z.record(z.string(), count).default({}),
  countsAfter: z.record(z.string(), count).default({}),
  checks: z
    .array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string().default('') }))
    .default([]),
  file: z.string().optional(),
});
export type PurgeReportView = z.infer<typeof PurgeReportViewSchema>;
