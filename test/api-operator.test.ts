import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../src/api/api-tokens.service.js';
import { createApp } from '../src/app/create-app.js';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { generateRegistrationCode } from '../src/customers/codes.js';
import { addToSuppressionList } from '../src/erasure/suppression.repo.js';
import type { Role } from '../src/operators/staff.table.js';
import { openBatch } from '../src/postcards/postcard-batch.service.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import { ApiClient } from './support/api.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildStaff } from './support/factories.js';

let clock = new Date();
const deps = useTestDeps({ now: () => clock });
const app = createApp(deps, { api: { suppressionSettleSeconds: 0 } });
const api = new ApiClient(app);

async function issue(
  scopes: ('contact' | 'postcards' | 'exports' | 'reports')[],
  role: Role = 'admin',
  days = 30,
) {
  const staff = await buildStaff(deps, role);
  const issued = await createApiToken(
    deps.db,
    staff.id,
    { name: `test ${randomUUID().slice(0, 6)}`, scopes, days },
    clock,
  );
  return { staff, ...issued };
}

const auditOf = (tokenId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'staff_id', 'details'])
    .where('target_type', '=', 'api_token')
    .where('target_id', '=', tokenId)
    .where('action', '!=', 'api.token_create')
    .orderBy('id')
    .execute();

/** A customer with a customer number (what the suppression list hands over). */
async function numberedCustomer(campaign: Campaign) {
  const customer = await buildCustomer(deps, campaign);
  const ref = `CR-${randomUUID().slice(0, 8)}`;
  await deps.db
    .updateTable('customer_personal')
    .set({ customer_ref: ref })
    .where('customer_id', '=', customer.id)
    .execute();
  return { ...customer, ref };
}

const lookup = (token: string, registrationCode: string, reason = '着信 12345') =>
  api.post('/api/v1/ops/customers/lookup', { token, body: { registrationCode, reason } });

describe('operator tokens: authentication, scopes, audit', () => {
  it('when a contact-centre tool looks a customer up by code, then it gets the masked record, and the use is audited as the creator with the token id only', async () => {
    clock = new Date();
    const customer = await buildCustomer(deps);
    const { staff, token, id } = await issue(['contact']);
    const res = await lookup(token, customer.registrationCode.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.json.registrationCode).toBe(customer.registrationCode);
    expect(res.json.personal.name).toMatch(/＊/);
    expect(JSON.stringify(res.json)).not.toContain(customer.fullName);
    expect(res.json.personal.address).toBe('東京都千代田区＊＊＊');
    const entries = await auditOf(id);
    expect(entries).toEqual([
      { action: 'api.customer_lookup', staff_id: staff.id, details: { tokenId: id } },
    ]);
    const contact = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'contact.lookup')
      .execute();
    expect(contact).toHaveLength(1);
  });

  it('when the code is unknown or the reason missing, then a problem with the contact page messages per field', async () => {
    clock = new Date();
    const { token } = await issue(['contact']);
    const unknown = await lookup(token, generateRegistrationCode());
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.json.errors)).toEqual(['registrationCode']);
    const noReason = await lookup(token, 'ZZZZ-ZZZZ-ZZZZ', '');
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors.reason).toBe('理由（通話番号など）を入力してください。');
  });

  it('when a token lacks the scope, then 403 and the refusal is audited; nothing is looked up', async () => {
    clock = new Date();
    const customer = await buildCustomer(deps);
    const { token, id } = await issue(['reports']);
    const res = await lookup(token, customer.registrationCode);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['api.scope_refused']);
  });

  it('when a token is expired, revoked, unknown or its creator disabled, then 401; a known one is audited as refused', async () => {
    clock = new Date();
    const expiring = await issue(['reports'], 'admin', 1);
    clock = new Date(clock.getTime() + 86_400_001);
    const expired = await api.get('/api/v1/ops/suppression', { token: expiring.token });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await auditOf(expiring.id)).map((e) => e.details)).toEqual([
      { tokenId: expiring.id, why: 'token_expired' },
    ]);

    const revoked = await issue(['exports']);
    await deps.db.updateTable('api_tokens').set({ revoked_at: clock }).where('id', '=', revoked.id).execute();
    expect((await api.get('/api/v1/ops/suppression', { token: revoked.token })).status).toBe(401);

    const disabled = await issue(['exports']);
    await deps.db
      .updateTable('staff')
      .set({ disabled_at: clock })
      .where('id', '=', disabled.staff.id)
      .execute();
    expect((await api.get('/api/v1/ops/suppression', { token: disabled.token })).status).toBe(401);

    const guessed = `owabi_${'A'.repeat(43)}`;
    expect((await api.get('/api/v1/ops/suppression', { token: guessed })).status).toBe(401);
    expect((await api.get('/api/v1/ops/suppression')).status).toBe(401);
  });

  it("when the creator's role no longer has a scope, then the token loses it", async () => {
    clock = new Date();
    const { staff, token } = await issue(['exports', 'postcards']);
    expect((await api.get('/api/v1/ops/suppression?limit=1', { token })).status).toBe(200);
    await deps.db.updateTable('staff').set({ role: 'clerk' }).where('id', '=', staff.id).execute();
    expect((await api.get('/api/v1/ops/suppression?limit=1', { token })).status).toBe(403);
  });

  it('when a token sends more than its limit, then 429 with the rate-limit headers', async () => {
    clock = new Date();
    const limited = new ApiClient(createApp(deps, { api: { tokenPerMinute: 2 } }));
    const { token } = await issue(['exports']);
    const first = await limited.get('/api/v1/ops/suppression?limit=1', { token });
    expect(first.headers['ratelimit-limit']).toBe('2');
    await limited.get('/api/v1/ops/suppression?limit=1', { token });
    const refused = await limited.get('/api/v1/ops/suppression?limit=1', { token });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });
});

describe('operator endpoints', () => {
  async function batchOf(campaign: Campaign, staffId: string) {
    return openBatch(
      deps.db,
      campaign,
      staffId,
      { label: 'API', physicalCount: 10, secondKeying: false },
      clock,
    );
  }

  it('when a postcard reading is invalid, then a problem with the entry screen messages per field, and nothing is written', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const { staff, token } = await issue(['postcards']);
    const batchId = await batchOf(campaign, staff.id);
    const url = `/api/v1/ops/postcards/batches/${batchId}/entries`;
    const bad = await api.post(url, { token, body: { code: '', seq: 'x', keying: 3, postmarkDate: '' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual({
      code: '登録コードを入力してください。',
      seq: '番号が正しくありません。',
      keying: '入力回が正しくありません。',
      postmarkDate: '消印日を入力してください。',
    });
    const rows = await deps.db
      .selectFrom('postcard_entries')
      .select('id')
      .where('batch_id', '=', batchId)
      .execute();
    expect(rows).toHaveLength(0);
    expect((await api.post('/api/v1/ops/postcards/batches/nope/entries', { token, body: {} })).status).toBe(
      404,
    );
  });

  it('when a valid postcard reading is sent, then it is saved as on the screen (a redemption); the same card again is a replay', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, token } = await issue(['postcards']);
    const batchId = await batchOf(campaign, staff.id);
    const url = `/api/v1/ops/postcards/batches/${batchId}/entries`;
    const body = {
      code: customer.registrationCode,
      seq: 1,
      keying: 1,
      gifts: ['book_card'],
      postmarkDate: jstDay(clock),
    };
    const saved = await api.post(url, { token, body });
    expect(saved.status).toBe(201);
    expect(saved.json).toMatchObject({ seq: 1, keying: 1, outcome: 'accepted', replay: false });
    const again = await api.post(url, { token, body });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ entryId: saved.json.entryId, replay: true });
    const redemptions = await deps.db
      .selectFrom('redemptions')
      .select('channel')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(redemptions).toEqual([{ channel: 'postcard' }]);
  });

  it('when the suppression list is read page by page from a cursor, then every opt-out comes once, in order, and new ones follow', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customers = await Promise.all(Array.from({ length: 5 }, () => numberedCustomer(campaign)));
    for (const [i, c] of customers.entries())
      await addToSuppressionList(deps.db, campaign.id, [c.id], new Date(clock.getTime() - (10 - i) * 1000));
    const { token } = await issue(['exports']);
    const refs: string[] = [];
    let cursor = '';
    for (const expected of [2, 2, 1, 0]) {
      const page = await api.get(
        `/api/v1/ops/suppression?limit=2&campaign=${campaign.slug}&cursor=${cursor}`,
        { token },
      );
      expect(page.status).toBe(200);
      expect(page.json.items).toHaveLength(expected);
      refs.push(...page.json.items.map((i: { customerRef: string }) => i.customerRef));
      cursor = page.json.nextCursor;
    }
    expect(refs).toEqual(customers.map((c) => c.ref));
    const late = await numberedCustomer(campaign);
    await addToSuppressionList(deps.db, campaign.id, [late.id], clock);
    const next = await api.get(`/api/v1/ops/suppression?limit=2&campaign=${campaign.slug}&cursor=${cursor}`, {
      token,
    });
    expect(next.json.items).toHaveLength(1);
    expect((await api.get(`/api/v1/ops/suppression?cursor=garbage`, { token })).status).toBe(400);
    expect((await api.get(`/api/v1/ops/suppression?limit=5000`, { token })).status).toBe(400);
  });

  it('when opt-outs are younger than the settle time, then they wait for a later page', async () => {
    clock = new Date();
    const settling = new ApiClient(createApp(deps, { api: { suppressionSettleSeconds: 60 } }));
    const campaign = await buildCampaign(deps);
    const customer = await numberedCustomer(campaign);
    await addToSuppressionList(deps.db, campaign.id, [customer.id], clock);
    const { token } = await issue(['exports']);
    const url = `/api/v1/ops/suppression?campaign=${campaign.slug}`;
    expect((await settling.get(url, { token })).json.items).toHaveLength(0);
    clock = new Date(clock.getTime() + 61_000);
    expect((await settling.get(url, { token })).json.items).toHaveLength(1);
  });

  it("when report figures are asked for, then the campaign's summary and charts, audited as a report view", async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    await buildCustomer(deps, campaign);
    const { staff, token, id } = await issue(['reports']);
    const res = await api.get(`/api/v1/ops/campaigns/${campaign.id}/report`, { token });
    expect(res.status).toBe(200);
    expect(res.json.summary.notified).toBe(1);
    expect(res.json.charts.length).toBeGreaterThan(3);
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['api.report_view']);
    const views = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'report.view')
      .execute();
    expect(views).toHaveLength(1);
    expect((await api.get('/api/v1/ops/campaigns/999999999/report', { token })).status).toBe(404);
  });
});
