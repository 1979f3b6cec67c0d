import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { act, decide, lookUp, openRequest, REASON, requestsOf } from '../support/contact-flow.js';
import { buildCampaign, buildCustomer } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/**
 * What staff type about a customer must not become a second, permanent copy of their data.
 * ASVS numbering: OWASP ASVS 5.0.0.
 */

const deps = useTestDeps();
const app = createApp(deps);

const notesOf = async (customerId: string) =>
  (
    await sql<{ body: string; campaign_id: string }>`
    select body, campaign_id from contact_notes where customer_id = ${customerId} order by id`.execute(
      deps.db,
    )
  ).rows;

describe('contact centre: reasons and notes', () => {
  it('ASVS 5.0 14.2.7, 16.2.5: when a reason or a decision note holds a phone number, an e-mail address, a postal code, a long number or the customer’s name, then it is refused with a Japanese message and stored nowhere', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    const { token } = await lookUp(ops, customer.registrationCode);
    const cases: [string, string][] = [
      ['折返し 03-1234-5678 まで', '電話番号'],
      ['連絡先 hanako@example.jp', 'メールアドレス'],
      ['転居先 〒150-0001', '郵便番号'],
      ['口座 1234567890123', '長い数字の並び'],
      [`${customer.fullName.split(' ')[0]}様より`, 'お名前'],
      ['シケン ハナコ様', 'お名前'],
    ];
    for (const [reason, what] of cases) {
      const res = await act(ops, customer.id, 'opt-out', { actionToken: token, reason });
      expect(res.status, reason).toBe(400);
      expect(res.text, reason).toContain(what);
    }
    // Accepted text goes to a note of the campaign (the purge deletes those), never to the audit log.
    expect((await act(ops, customer.id, 'reissue', { actionToken: token, confirm: 'yes' })).status).toBe(200);
    const [request] = await requestsOf(deps, customer.id);
    const sv = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const { token: review } = await openRequest(sv, request!.id);
    const named = await decide(sv, request!.id, 'approve', review, `${customer.fullName}さんと確認済み`);
    expect(named.status).toBe(400);
    expect((await requestsOf(deps, customer.id))[0]!.status).toBe('pending');

    expect(await notesOf(customer.id)).toEqual([
      { body: REASON, campaign_id: campaign.id },
      { body: REASON, campaign_id: campaign.id },
    ]);
    const { rows } = await sql<{ t: string }>`
      select coalesce(reason, '') || details::text as t from audit_log where target_id = ${customer.id}`.execute(
      deps.db,
    );
    for (const r of rows) {
      expect(r.t).not.toContain(REASON);
      for (const [reason] of cases) expect(r.t).not.toContain(reason);
    }
  });
});
