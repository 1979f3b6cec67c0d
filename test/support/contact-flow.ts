import { sql } from 'kysely';
import type { AppDeps } from '../../src/platform/deps.js';
import { useScratchDir } from './context.js';
import type { OpsBrowser } from './ops.js';

/** The contact centre's flow as a browser walks it: look-up, its token, requests, their decision. */

export const REASON = '着信 CALL-2026-0042 紛失のお問い合わせ';
export const NOTE = '本人確認済み 折返し CALL-2026-0042';

/** A DATA_DIR of the file's own (reissued letters are written there), removed after it. */
export const useDataDir = () => useScratchDir('owabi-contact-');

export function tokenFrom(html: string): string {
  const m = /name="actionToken" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no action token in page');
  return m[1]!;
}

export async function lookUp(ops: OpsBrowser, registrationCode: string, reason = REASON) {
  const res = await ops.post('/ops/contact/lookup', { registrationCode, reason });
  return { res, token: res.status === 200 ? tokenFrom(res.text) : '' };
}

export const act = (
  ops: OpsBrowser,
  customerId: string,
  action: 'opt-out' | 'erasure' | 'reissue',
  form: Record<string, string>,
) => ops.post(`/ops/contact/customers/${customerId}/${action}`, { reason: REASON, ...form });

export async function requestsOf(deps: Pick<AppDeps, 'db'>, customerId: string) {
  const { rows } = await sql<{ id: string; kind: string; status: string; requested_by: string }>`
    select id, kind, status, requested_by from contact_requests where customer_id = ${customerId} order by id`.execute(
    deps.db,
  );
  return rows;
}

/** Opens a request (an audited look); its token, when the page offers a form that carries one. */
export async function openRequest(ops: OpsBrowser, requestId: string) {
  const res = await ops.get(`/ops/contact/requests/${requestId}`);
  return { res, token: /name="actionToken" value="([^"]+)"/.exec(res.text)?.[1] ?? '' };
}

export async function decide(
  ops: OpsBrowser,
  requestId: string,
  decision: 'approve' | 'reject',
  token?: string,
  note = NOTE,
) {
  const t = token ?? (await openRequest(ops, requestId)).token;
  return ops.post(`/ops/contact/requests/${requestId}/${decision}`, { actionToken: t, note });
}

export async function downloadLetter(ops: OpsBrowser, requestId: string, token?: string) {
  const t = token ?? (await openRequest(ops, requestId)).token;
  return ops.post(`/ops/contact/requests/${requestId}/letter`, { actionToken: t });
}

/** The new login key from a one-letter print file (second line, second column). */
export function keyFromLetter(csv: string): string {
  const line = csv.split('\r\n').filter(Boolean)[1]!;
  return line.split(',')[1]!.replaceAll('-', '');
}

export async function loginHash(deps: Pick<AppDeps, 'db'>, customerId: string): Promise<Buffer> {
  const row = await deps.db
    .selectFrom('customers')
    .select('login_key_hash')
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  return row.login_key_hash;
}

export async function auditActions(deps: Pick<AppDeps, 'db'>, staffId: string) {
  return deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_id', 'reason', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'not like', 'staff.%')
    .orderBy('id')
    .execute();
}
