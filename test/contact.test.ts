import { describe, expect, it } from 'vitest';
import { LETTER_HEADER } from '../src/campaigns/import/import.encoding.js';
import { formatForPrint, generateRegistrationCode } from '../src/customers/codes.js';
import { maskName } from '../src/customers/mask.js';
import { eraseDue } from '../src/erasure/erasure.service.js';
import { createApp } from '../src/platform/http/app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, type TestCustomer } from './support/factories.js';
import { buildBookCardRedemption } from './support/fulfilment-factories.js';
import { buildStaff, OpsBrowser, type TestStaff } from './support/ops.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

const REASON = '着信 CALL-2026-0042 紛失のお問い合わせ';
const ADDRESS_DETAIL = '大手町1-1-1'; // the factory's address after prefecture and city

/** Full-width, lower case, with full-width hyphens between the groups: as an operator might type it. */
const messy = (code: string) =>
  [...formatForPrint(code).toLowerCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

async function clerk(): Promise<{ staff: TestStaff; ops: OpsBrowser }> {
  const staff = await buildStaff(deps, 'clerk');
  return { staff, ops: await new OpsBrowser(app).signIn(staff) };
}

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_type', 'target_id', 'campaign_id', 'reason', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'not like', 'staff.%')
    .orderBy('id')
    .execute();

const customerRow = (id: string) =>
  deps.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const personalRow = (id: string) =>
  deps.db
    .selectFrom('customer_personal')
    .select('customer_id')
    .where('customer_id', '=', id)
    .executeTakeFirst();

/** Nothing personal in the audit log: not the name, the address, the phone, nor a login key. */
function expectNoPersonalData(entries: unknown[], customer: TestCustomer, ...secrets: string[]) {
  const text = JSON.stringify(entries);
  for (const value of [customer.fullName, ADDRESS_DETAIL, '03-1234-5678', customer.loginKey, ...secrets])
    expect(text).not.toContain(value);
}

describe('contact centre lookup', () => {
  it('when a clerk looks up a messy code with a reason, then the record is shown masked and the look is audited with the reason', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { leakedItems: ['name_gender_birth', 'address'] });
    const { staff, ops } = await clerk();

    const res = await ops.post('/ops/contact/lookup', {
      registrationCode: messy(customer.registrationCode),
      reason: REASON,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(maskName(customer.fullName));
    expect(res.text).toContain('100-＊＊＊＊');
    expect(res.text).toContain('東京都千代田区＊＊＊');
    expect(res.text).toMatch(/ご家族（記録上の人数）<\/dt><dd>1 人/);
    expect(res.text).toContain('まだお手続きされていません');
    expect(res.text).not.toContain(customer.fullName);
    expect(res.text).not.toContain(ADDRESS_DETAIL);
    expect(res.text).not.toContain('1000004');
    expect(res.text).not.toContain('03-1234-5678');

    const entries = await auditOf(staff.id);
    expect(entries).toEqual([
      {
        action: 'contact.lookup',
        target_type: 'customer',
        target_id: customer.id,
        campaign_id: campaign.id,
        reason: REASON,
        details: { registrationCode: customer.registrationCode, found: true },
      },
    ]);
    expectNoPersonalData(entries, customer);
  });

  it('when the reason is missing or the code is malformed, then 400 with a clear message and nothing is shown or audited', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();

    const noReason = await ops.post('/ops/contact/lookup', { registrationCode: customer.registrationCode });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('理由（通話番号など）を入力してください');
    expect(noReason.text).not.toContain(maskName(customer.fullName));

    const wrongCheck =
      customer.registrationCode.slice(0, 11) + (customer.registrationCode[11] === '2' ? '3' : '2');
    const malformed = await ops.post('/ops/contact/lookup', { registrationCode: wrongCheck, reason: REASON });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('ご登録用コードが正しくありません');

    const empty = await ops.post('/ops/contact/lookup', {});
    expect(empty.status).toBe(400);
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it('when a well-formed code belongs to nobody, then 404 and the miss is audited', async () => {
    const { staff, ops } = await clerk();
    const code = generateRegistrationCode();
    const res = await ops.post('/ops/contact/lookup', { registrationCode: code, reason: REASON });
    expect(res.status).toBe(404);
    expect(res.text).toContain('お客様は見つかりません');
    expect(await auditOf(staff.id)).toMatchObject([
      {
        action: 'contact.lookup',
        target_id: null,
        reason: REASON,
        details: { registrationCode: code, found: false },
      },
    ]);
  });

  it('when the customer chose a book card, then the record shows the choice and its batch, shipping and tracking', async () => {
    const campaign = await buildCampaign(deps);
    const card = await buildBookCardRedemption(deps, campaign);
    const { id: batchId } = await deps.db
      .insertInto('shipping_batches')
      .values({ campaign_id: campaign.id, line_count: 1, cut_at: new Date(), shipped_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.db
      .insertInto('shipping_lines')
      .values({ redemption_id: card.id, batch_id: batchId, line_no: 1, tracking_number: 'TRK-777' })
      .execute();
    const { ops } = await clerk();
    const res = await ops.post('/ops/contact/lookup', {
      registrationCode: card.customer.registrationCode,
      reason: REASON,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(campaign.def.options.bookCard!.productName);
    expect(res.text).toContain(`出荷バッチ ${batchId}`);
    expect(res.text).toContain('TRK-777');
    expect(res.text).toContain('ご依頼なし');
  });

  it('when an auditor opens the contact centre, then it is forbidden', async () => {
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'auditor'));
    expect((await ops.get('/ops/contact')).status).toBe(403);
  });
});

describe('requests made by phone', () => {
  it('when an opt-out is recorded, then the customer is on the suppression list once and each request is audited with its reason', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();

    const res = await ops.post(`/ops/contact/customers/${customer.id}/opt-out`, { reason: REASON });
    expect(res.status).toBe(200);
    expect(res.text).toContain('営業停止（ダイレクトメール・営業電話の停止）のご依頼を記録しました');
    const again = await ops.post(`/ops/contact/customers/${customer.id}/opt-out`, { reason: REASON });
    expect(again.text).toContain('すでに営業停止のご依頼を受け付けています');

    const rows = await deps.db
      .selectFrom('suppression_list')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .execute();
    expect(rows).toHaveLength(1);
    const entries = await auditOf(staff.id);
    expect(entries.map((e) => [e.action, e.reason, e.details])).toEqual([
      ['contact.opt_out', REASON, { registrationCode: customer.registrationCode, outcome: 'added' }],
      ['contact.opt_out', REASON, { registrationCode: customer.registrationCode, outcome: 'already' }],
    ]);
    expectNoPersonalData(entries, customer);
  });

  it('when an action has no reason or names no customer, then 400 or 404 and nothing changes', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    for (const action of ['opt-out', 'erasure', 'reissue']) {
      expect((await ops.post(`/ops/contact/customers/${customer.id}/${action}`, {})).status).toBe(400);
      expect((await ops.post(`/ops/contact/customers/0/${action}`, { reason: REASON })).status).toBe(404);
      expect(
        (await ops.post(`/ops/contact/customers/999999999999/${action}`, { reason: REASON, confirm: 'yes' }))
          .status,
      ).toBe(404);
    }
    expect(
      await deps.db
        .selectFrom('suppression_list')
        .select('customer_id')
        .where('customer_id', '=', customer.id)
        .execute(),
    ).toEqual([]);
    expect((await customerRow(customer.id)).erased_at).toBeNull();
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it('when erasure is asked for with no redemption, then a confirmation comes first and then the data is erased at once with a receipt', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();

    const confirm = await ops.post(`/ops/contact/customers/${customer.id}/erasure`, { reason: REASON });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('個人情報をただちに消去します');
    expect(confirm.text).not.toContain(maskName(customer.fullName));
    expect(await personalRow(customer.id)).toBeDefined();
    expect(await auditOf(staff.id)).toEqual([]);

    const done = await ops.post(`/ops/contact/customers/${customer.id}/erasure`, {
      reason: REASON,
      confirm: 'yes',
    });
    expect(done.status).toBe(200);
    const row = await customerRow(customer.id);
    expect(row.erased_at).not.toBeNull();
    expect(row.erasure_receipt).toMatch(/^ER-\d{8}-\d{12,}$/);
    expect(await personalRow(customer.id)).toBeUndefined();
    expect(done.text).toContain(`受付番号 ${row.erasure_receipt}`);
    expect(done.text).toContain('消去済みのため表示できません');
    const entries = await auditOf(staff.id);
    expect(entries).toMatchObject([
      {
        action: 'contact.erasure_request',
        target_id: customer.id,
        reason: REASON,
        details: { outcome: { kind: 'erased', receipt: row.erasure_receipt } },
      },
    ]);
    expectNoPersonalData(entries, customer);

    // Erased: no second erasure, no opt-out, no letter.
    for (const action of ['erasure', 'opt-out', 'reissue']) {
      const res = await ops.post(`/ops/contact/customers/${customer.id}/${action}`, {
        reason: REASON,
        confirm: 'yes',
      });
      expect(res.status).toBe(409);
      expect(res.text).toContain('すでに消去されています');
    }
    expect(await auditOf(staff.id)).toHaveLength(1);
  });

  it('when erasure is asked for while a book card is still to be delivered, then it is scheduled after delivery and happens then', async () => {
    const campaign = await buildCampaign(deps);
    const card = await buildBookCardRedemption(deps, campaign);
    const { staff, ops } = await clerk();

    const confirm = await ops.post(`/ops/contact/customers/${card.customer.id}/erasure`, { reason: REASON });
    expect(confirm.text).toContain('お届けが済んだ後に、個人情報を消去します');
    const done = await ops.post(`/ops/contact/customers/${card.customer.id}/erasure`, {
      reason: REASON,
      confirm: 'yes',
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('お届け後に個人情報を消去します');
    expect(done.text).toContain('お届け後に消去する予定');
    expect(await customerRow(card.customer.id)).toMatchObject({
      erasure_requested_before: true,
      erased_at: null,
    });
    expect(await personalRow(card.customer.id)).toBeDefined();
    expect((await auditOf(staff.id)).map((e) => e.details)).toEqual([
      { registrationCode: card.customer.registrationCode, outcome: { kind: 'after_delivery' } },
    ]);

    // Asked again before delivery: refused, the schedule stands.
    const again = await ops.post(`/ops/contact/customers/${card.customer.id}/erasure`, { reason: REASON });
    expect(again.status).toBe(409);

    await deps.db
      .updateTable('redemptions')
      .set({ fulfilled_at: new Date() })
      .where('id', '=', card.id)
      .execute();
    expect(await eraseDue(deps, { campaignId: campaign.id })).toEqual({ erased: 1 });
    expect(await personalRow(card.customer.id)).toBeUndefined();
  });
});

describe('reissuing a lost letter', () => {
  it('when a letter is reissued, then a one-letter print file with a new key is downloaded, the old key is dead at once and the new one works', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const hashBefore = (await customerRow(customer.id)).login_key_hash;
    const asked = Date.now();

    const res = await ops.post(`/ops/contact/customers/${customer.id}/reissue`, {
      reason: REASON,
      confirm: 'yes',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?letter-reissue-\d+-\d{8}\.csv"?$/,
    );
    // Dated in Japan: from midnight to 09:00 there, the UTC date is still the day before.
    const jstDay = (t: number) => new Date(t + 9 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const day = /-(\d{8})\.csv/.exec(res.headers['content-disposition'] as string)![1];
    expect([jstDay(asked), jstDay(Date.now())]).toContain(day);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.text;
    expect(text.startsWith(LETTER_HEADER)).toBe(true);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const [code, key, name, postal, address, household] = lines[1]!.split(',');
    expect(code).toBe(formatForPrint(customer.registrationCode));
    expect([name, postal, address, household]).toEqual([
      customer.fullName,
      '100-0004',
      '東京都千代田区大手町1-1-1',
      '1',
    ]);
    const newKey = key!.replaceAll('-', '');
    expect(newKey).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(newKey).not.toBe(customer.loginKey);
    expect((await customerRow(customer.id)).login_key_hash.equals(hashBefore)).toBe(false);

    const old = await new CustomerBrowser(app, campaign.slug).login(
      customer.registrationCode,
      customer.loginKey,
    );
    expect(old.status).not.toBe(303);
    const fresh = await new CustomerBrowser(app, campaign.slug).login(customer.registrationCode, newKey);
    expect(fresh.status).toBe(303);

    const entries = await auditOf(staff.id);
    expect(entries).toEqual([
      {
        action: 'export.letter_reissue',
        target_type: 'customer',
        target_id: customer.id,
        campaign_id: campaign.id,
        reason: REASON,
        details: { registrationCode: customer.registrationCode, letters: 1 },
      },
    ]);
    expectNoPersonalData(entries, customer, newKey, key!);
  });

  it('when the reissue is not confirmed, then 400 and the old key still works', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const res = await ops.post(`/ops/contact/customers/${customer.id}/reissue`, { reason: REASON });
    expect(res.status).toBe(400);
    expect(res.text).toContain('確認欄にチェック');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const login = await new CustomerBrowser(app, campaign.slug).login(
      customer.registrationCode,
      customer.loginKey,
    );
    expect(login.status).toBe(303);
    expect(await auditOf(staff.id)).toEqual([]);
  });
});
