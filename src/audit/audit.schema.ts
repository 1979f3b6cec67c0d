import { z } from 'zod';
import type { AuditFilter } from './audit.repo.js';

/** An empty form field means "no filter". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const id = (message: string) =>
  z.preprocess(
    blank,
    z
      .string({ error: message })
      .trim()
      .regex(/^[1-9]\d{0,17}$/, message)
      .optional(),
  );

const jstDate = (message: string) =>
  z.preprocess(
    blank,
    z
      .string({ error: message })
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, message)
      .refine((s) => {
        const d = new Date(`${s}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
      }, message)
      .optional(),
  );

/** The audit log's filters, as they come in the query string. */
export const AuditQuerySchema = z
  .object({
    staff: id('スタッフを一覧から選んでください。'),
    action: z.preprocess(
      blank,
      z
        .string({ error: '操作の種類は英小文字・数字・「.」「_」で入力してください。' })
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9._]{1,60}$/, '操作の種類は英小文字・数字・「.」「_」で入力してください。')
        .optional(),
    ),
    campaign: id('キャンペーンを一覧から選んでください。'),
    from: jstDate('開始日は YYYY-MM-DD の形式で入力してください。'),
    to: jstDate('終了日は YYYY-MM-DD の形式で入力してください。'),
    before: id('ページの指定が正しくありません。'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '終了日は開始日以降の日付にしてください。',
    path: ['to'],
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The query string read as filters, or per field why not (the last word on a field wins). */
export function parseAuditQuery(
  query: unknown,
): { ok: true; query: AuditQuery } | { ok: false; errors: Record<string, string> } {
  const parsed = AuditQuerySchema.safeParse(query ?? {});
  if (parsed.success) return { ok: true, query: parsed.data };
  return {
    ok: false,
    errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
  };
}

/** The filters as given (paging aside): recorded with views and exports, and kept in links. */
export const filterParams = (q: AuditQuery): Record<string, string> =>
  Object.fromEntries(
    (['staff', 'action', 'campaign', 'from', 'to'] as const)
      .filter((k) => q[k] !== undefined)
      .map((k) => [k, q[k]!]),
  );

const JST_OFFSET_MS = 9 * 3600_000;
/** Midnight in Japan of a YYYY-MM-DD day, as an instant. */
const jstMidnight = (day: string, plusDays = 0) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - JST_OFFSET_MS + plusDays * 86_400_000);

/**
 * The repository filters by `action LIKE prefix%`: `_` and `%` would be wildcards there, so they
 * are escaped (backslash is PostgreSQL's default LIKE escape).
 */
const likePrefix = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Dates are whole days in Japan, both ends included. */
export function toAuditFilter(q: AuditQuery): AuditFilter {
  return {
    staffId: q.staff,
    action: q.action ? likePrefix(q.action) : undefined,
    campaignId: q.campaign,
    from: q.from ? jstMidnight(q.from) : undefined,
    to: q.to ? jstMidnight(q.to, 1) : undefined,
  };
}
