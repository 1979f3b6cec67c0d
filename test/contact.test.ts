import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LETTER_HEADER } from '../src/imports/import.encoding.js';
import { formatForPrint, generateRegistrationCode } from '../src/customers/codes.js';
import { maskName } from '../src/customers/mask.js';
import { eraseDue } from '../src/erasure/erasure.service.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import {
  act,
  decide,
  downloadLetter,
  keyFromLetter,
  lookUp,
  NOTE,
  openRequest,
  REASON,
  requestsOf,
  useDataDir,
} from './support/contact-flow.js';
import {
  buildBookCardRedemption,
  buildCampaign,
  buildCustomer,
  buildShippingBatch,
  type TestCustomer,
} from './support/factories.js';
import { staffSessions } from './support/ops.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps({}, { DATA_DIR: useDataDir() });
const app = createApp(deps);

const ADDRESS_DETAIL = '大手町1-1-1'; // the factory's address after prefecture and city

/** Full-width, lower case, with full-width hyphens between the groups: as an operator might type it. */
const messy = (code: string) =>
  [...formatForPrint(code).toLowerCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

const { signedIn, clerk } = staffSessions(app, deps);

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_type', 'target_id', 'campaign_id', 'reason', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'not like', 'staff.%')
    .orderBy('id')
    .execute();

const noteBody = async (id: unknown) => {
  const { rows } = await sql<{ body: string; campaign_id: string }>`
    select body, campaign_id from contact_notes where id = ${String(id)}`.execute(deps.db);
  return rows[0];
};

const customerRow = (id: string) =>
  deps.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const personalRow = (id: string) =>
  deps.db
    .selectFrom('customer_personal')
    .select('customer_id')
    .where('customer_id', '=', id)
    .executeTakeFirst();

/** Nothing personal in the audit log: not the name, the address, the phone, a login key nor the typed reason. */
function expectNoPersonalData(entries: unknown[], customer: TestCustomer, ...secrets: string[]) {
  const text = JSON.stringify(entries);
  for (const value of [
    customer.fullName,
    ADDRESS_DETAIL,
    '03-1234-5678',
    customer.loginKey,
    REASON,
    ...secrets,
  ])
    expect(text).not.toContain(value);
}

describe('contact centre lookup', () => {
  it('when a clerk looks up a messy code with a reason, then the record is shown masked and the look is audited with its reason kept as a purgeable note', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { leakedItems: ['name_gender_birth', 'address'] });
    const { staff, ops } = await clerk();

    const { res } = await lookUp(ops, messy(customer.registrationCode));
    expect(res.status).toBe(200);
    expect(res.text).toContain(maskName(customer.fullName));
    expect(res.text).toContain('100-＊＊＊＊');
    expect(res.text).toContain('東京都千代田区＊＊＊');
    expect(res.text).toMatch(/ご家族（記録上の人数）<\/dt><dd>1 人/);
    expect(res.text).toContain('まだお手続きされていません');
    for (const raw of [customer.fullName, ADDRESS_DETAIL, '1000004', '03-1234-5678'])
      expect(res.text).not.toContain(raw);

    const entries = await auditOf(staff.id);
    expect(entries).toEqual([
      {
        action: 'contact.lookup',
        target_type: 'customer',
        target_id: customer.id,
        campaign_id: campaign.id,
        reason: null,
        details: { registrationCode: customer.registrationCode, found: true, noteId: expect.any(String) },
      },
    ]);
    expect(await noteBody(entries[0]!.details.noteId)).toEqual({ body: REASON, campaign_id: campaign.id });
    expectNoPersonalData(entries, customer);
  });

  it('when the reason is missing, looks like personal data or the code is malformed, then 400 with a clear message and nothing is shown or audited', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();

    const noReason = await ops.post('/ops/contact/lookup', { registrationCode: customer.registrationCode });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('理由（通話番号など）を入力してください');
    expect(noReason.text).not.toContain(maskName(customer.fullName));

    const phone = await lookUp(ops, customer.registrationCode, '折返し先 090-1234-5678');
    expect(phone.res.status).toBe(400);
    expect(phone.res.text).toContain('電話番号のような数字が含まれています');

    const wrongCheck =
      customer.registrationCode.slice(0, 11) + (customer.registrationCode[11] === '2' ? '3' : '2');
    const malformed = await lookUp(ops, wrongCheck);
    expect(malformed.res.status).toBe(400);
    expect(malformed.res.text).toContain('ご登録用コードが正しくありません');

    expect((await ops.post('/ops/contact/lookup', {})).status).toBe(400);
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it("when the reason holds the customer's own name, then 400 and the look is audited as refused without the text", async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const { res } = await lookUp(ops, customer.registrationCode, `${customer.fullName}様より紛失の連絡`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('お客様のお名前（またはフリガナ）が含まれています');
    expect(res.text).not.toContain(maskName(customer.fullName));
    const entries = await auditOf(staff.id);
    expect(entries).toMatchObject([
      { action: 'contact.lookup', details: { found: true, reasonRefused: true } },
    ]);
    expectNoPersonalData(entries, customer);
  });

  it('when a well-formed code belongs to nobody, then 404 and the miss is audited', async () => {
    const { staff, ops } = await clerk();
    const code = generateRegistrationCode();
    const { res } = await lookUp(ops, code);
    expect(res.status).toBe(404);
    expect(res.text).toContain('お客様は見つかりません');
    expect(await auditOf(staff.id)).toMatchObject([
      { action: 'contact.lookup', target_id: null, details: { registrationCode: code, found: false } },
    ]);
  });

  it('when the customer chose a book card, then the record shows the choice and its batch, shipping and tracking', async () => {
    const campaign = await buildCampaign(deps);
    const card = await buildBookCardRedemption(deps, campaign);
    const batchId = await buildShippingBatch(deps, campaign, {
      shippedAt: new Date(),
      lines: [{ redemptionId: card.id, trackingNumber: 'TRK-777' }],
    });
    const { ops } = await clerk();
    const { res } = await lookUp(ops, card.customer.registrationCode);
    expect(res.status).toBe(200);
    expect(res.text).toContain(campaign.def.options.bookCard!.productName);
    expect(res.text).toContain(`出荷バッチ ${batchId}`);
    expect(res.text).toContain('TRK-777');
    expect(res.text).toContain('ご依頼なし');
  });

  it('when an auditor opens the contact centre, then it is forbidden', async () => {
    const { ops } = await signedIn('auditor');
    expect((await ops.get('/ops/contact')).status).toBe(403);
    expect((await ops.get('/ops/contact/requests')).status).toBe(403);
  });
});

describe('requests made by phone', () => {
  it('when an opt-out is recorded after a look-up, then the customer is on the suppression list once and each request is audited with a note', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const { token } = await lookUp(ops, customer.registrationCode);

    const res = await act(ops, customer.id, 'opt-out', { actionToken: token });
    expect(res.status).toBe(200);
    expect(res.text).toContain('営業停止（ダイレクトメール・営業電話の停止）のご依頼を記録しました');
    const again = await act(ops, customer.id, 'opt-out', { actionToken: token });
    expect(again.text).toContain('すでに営業停止のご依頼を受け付けています');

    const rows = await deps.db
      .selectFrom('suppression_list')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .execute();
    expect(rows).toHaveLength(1);
    const entries = (await auditOf(staff.id)).slice(1);
    expect(entries.map((e) => [e.action, e.reason, e.details])).toEqual([
      [
        'contact.opt_out',
        null,
        { registrationCode: customer.registrationCode, outcome: 'added', noteId: expect.any(String) },
      ],
      [
        'contact.opt_out',
        null,
        { registrationCode: customer.registrationCode, outcome: 'already', noteId: expect.any(String) },
      ],
    ]);
    expectNoPersonalData(entries, customer);
  });

  it('when an action has a token but no reason, or names no customer, then 400 or 404 and nothing changes', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const { token } = await lookUp(ops, customer.registrationCode);
    for (const action of ['opt-out', 'erasure', 'reissue']) {
      const path = `/ops/contact/customers/${customer.id}/${action}`;
      expect((await ops.post(path, { actionToken: token })).status).toBe(400);
      expect((await ops.post(`/ops/contact/customers/0/${action}`, { reason: REASON })).status).toBe(404);
    }
    expect(
      await deps.db
        .selectFrom('suppression_list')
        .select('customer_id')
        .where('customer_id', '=', customer.id)
        .execute(),
    ).toEqual([]);
    expect((await customerRow(customer.id)).erased_at).toBeNull();
    expect((await auditOf(staff.id)).map((e) => e.action)).toEqual(['contact.lookup']);
  });

  it('when erasure is asked for with no redemption, then a confirmation without the code comes first, a request waits for a second person, and the approval erases with a receipt', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const { token } = await lookUp(ops, customer.registrationCode);

    const confirm = await act(ops, customer.id, 'erasure', { actionToken: token });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('個人情報をただちに消去するよう依頼します');
    expect(confirm.text).not.toContain(formatForPrint(customer.registrationCode));
    expect(confirm.text).not.toContain(maskName(customer.fullName));

    const asked = await act(ops, customer.id, 'erasure', { actionToken: token, confirm: 'yes' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('個人情報の消去を依頼しました');
    expect(await personalRow(customer.id)).toBeDefined();
    const [request] = await requestsOf(deps, customer.id);
    expect(request).toMatchObject({ kind: 'erasure', status: 'pending', requested_by: staff.id });

    const { staff: supervisor, ops: sv } = await signedIn('supervisor');
    const approved = await decide(sv, request!.id, 'approve');
    expect(approved.status).toBe(200);
    const row = await customerRow(customer.id);
    expect(row.erased_at).not.toBeNull();
    expect(row.erasure_receipt).toMatch(/^ER-\d{8}-\d{12,}$/);
    expect(await personalRow(customer.id)).toBeUndefined();
    expect(approved.text).toContain(`受付番号 ${row.erasure_receipt}`);
    // The clerk sees the receipt in the queue, to tell the customer.
    expect((await ops.get('/ops/contact/requests')).text).toContain(row.erasure_receipt!);

    expect((await auditOf(staff.id)).map((e) => e.action)).toEqual([
      'contact.lookup',
      'contact.erasure_requested',
    ]);
    const decided = await auditOf(supervisor.id);
    expect(decided.map((e) => e.action)).toEqual(['contact.request_review', 'contact.erasure_approved']);
    expect(decided[1]!.details).toMatchObject({
      requestId: request!.id,
      requestedBy: staff.id,
      outcome: { kind: 'erased', receipt: row.erasure_receipt },
    });
    expectNoPersonalData([...decided, ...(await auditOf(staff.id))], customer, NOTE);

    // Erased: no second erasure, no opt-out, no letter.
    for (const action of ['erasure', 'opt-out', 'reissue'] as const) {
      const res = await act(ops, customer.id, action, { actionToken: token, confirm: 'yes' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('すでに消去されています');
    }
  });

  it('when erasure is asked for while a book card is still to be delivered, then it is scheduled after delivery and happens then', async () => {
    const campaign = await buildCampaign(deps);
    const card = await buildBookCardRedemption(deps, campaign);
    const { staff, ops } = await clerk();
    const { token } = await lookUp(ops, card.customer.registrationCode);

    const confirm = await act(ops, card.customer.id, 'erasure', { actionToken: token });
    expect(confirm.text).toContain('お届けが済んだ後に、個人情報を消去します');
    const done = await act(ops, card.customer.id, 'erasure', { actionToken: token, confirm: 'yes' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('お届け後に個人情報を消去します');
    expect(done.text).toContain('お届け後に消去する予定');
    expect(await customerRow(card.customer.id)).toMatchObject({
      erasure_requested_before: true,
      erased_at: null,
    });
    expect(await personalRow(card.customer.id)).toBeDefined();
    expect((await auditOf(staff.id)).map((e) => e.details).slice(1)).toEqual([
      {
        registrationCode: card.customer.registrationCode,
        outcome: { kind: 'after_delivery' },
        noteId: expect.any(String),
      },
    ]);

    // Asked again before delivery: refused, the schedule stands.
    expect((await act(ops, card.customer.id, 'erasure', { actionToken: token })).status).toBe(409);

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
  it('when a reissue is requested, approved by a supervisor and downloaded once by an administrator, then the file holds a new key, the old key is dead and the new one works', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const hashBefore = (await customerRow(customer.id)).login_key_hash;
    const { token } = await lookUp(ops, customer.registrationCode);

    const asked = await act(ops, customer.id, 'reissue', { actionToken: token, confirm: 'yes' });
    expect(asked.status).toBe(200);
    expect(asked.headers['content-type']).toMatch(/^text\/html/);
    expect(asked.text).toContain('お知らせの再発行を依頼しました');
    expect((await customerRow(customer.id)).login_key_hash.equals(hashBefore)).toBe(true);
    const [request] = await requestsOf(deps, customer.id);

    const { ops: sv } = await signedIn('supervisor');
    expect((await decide(sv, request!.id, 'approve')).status).toBe(200);
    expect((await customerRow(customer.id)).login_key_hash.equals(hashBefore)).toBe(false);

    const { staff: admin, ops: ad } = await signedIn('admin');
    const asked2 = Date.now();
    const { token: adminToken } = await openRequest(ad, request!.id);
    const res = await downloadLetter(ad, request!.id, adminToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?letter-reissue-\d+-\d{8}\.csv"?$/,
    );
    // Dated in Japan: from midnight to 09:00 there, the UTC date is still the day before.
    const jstDay = (t: number) => new Date(t + 9 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const day = /-(\d{8})\.csv/.exec(res.headers['content-disposition'] as string)![1];
    expect([jstDay(asked2), jstDay(Date.now())]).toContain(day);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.text;
    expect(text.startsWith(LETTER_HEADER)).toBe(true);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const [code, , name, postal, address, household] = lines[1]!.split(',');
    expect(code).toBe(formatForPrint(customer.registrationCode));
    expect([name, postal, address, household]).toEqual([
      customer.fullName,
      '100-0004',
      '東京都千代田区大手町1-1-1',
      '1',
    ]);
    const newKey = keyFromLetter(text);
    expect(newKey).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(newKey).not.toBe(customer.loginKey);

    // Once only: the page offers it no more, and the form posted again is refused.
    expect((await openRequest(ad, request!.id)).res.text).not.toContain('/letter"');
    const twice = await downloadLetter(ad, request!.id, adminToken);
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('すでにダウンロードされています');

    const old = await new CustomerBrowser(app, campaign.slug).login(
      customer.registrationCode,
      customer.loginKey,
    );
    expect(old.status).not.toBe(303);
    const fresh = await new CustomerBrowser(app, campaign.slug).login(customer.registrationCode, newKey);
    expect(fresh.status).toBe(303);

    expect((await auditOf(staff.id)).map((e) => e.action)).toEqual([
      'contact.lookup',
      'contact.reissue_requested',
    ]);
    const exports = (await auditOf(admin.id)).filter((e) => e.action === 'export.letter_reissue');
    expect(exports).toEqual([
      {
        action: 'export.letter_reissue',
        target_type: 'customer',
        target_id: customer.id,
        campaign_id: campaign.id,
        reason: null,
        details: { registrationCode: customer.registrationCode, letters: 1, requestId: request!.id },
      },
    ]);
    const { rows: all } = await sql`select details from audit_log where target_id = ${customer.id}`.execute(
      deps.db,
    );
    expectNoPersonalData(all, customer, newKey);
  });

  it('when the reissue is not confirmed, then 400, no request and the old key still works', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await clerk();
    const { token } = await lookUp(ops, customer.registrationCode);
    const res = await act(ops, customer.id, 'reissue', { actionToken: token });
    expect(res.status).toBe(400);
    expect(res.text).toContain('確認欄にチェック');
    const login = await new CustomerBrowser(app, campaign.slug).login(
      customer.registrationCode,
      customer.loginKey,
    );
    expect(login.status).toBe(303);
    expect(await requestsOf(deps, customer.id)).toEqual([]);
    expect((await auditOf(staff.id)).map((e) => e.action)).toEqual(['contact.lookup']);
  });
});
