import { z } from 'zod';
import { notFound } from '../platform/errors.js';

/** Ids in paths are bigint keys: anything else (including 0) names nothing. */
const ID = /^[1-9]\d{0,17}$/;

export function idParam(value: unknown, what: string): string {
  const s = String(value ?? '');
  if (!ID.test(s)) throw notFound(what);
  return s;
}

/** Irreversible steps are posted from a confirmation page that sends `confirm=yes`. */
export const ConfirmSchema = z.object({
  confirm: z.literal('yes', { error: '確認欄にチェックを入れてから実行してください。' }),
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
