import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { generateRegistrationCode } from '../src/customers/codes.js';
import { createApp } from '../src/app/create-app.js';
import {
  decideCard,
  jstDay,
  makeReading,
  REASONS,
  type CardHolderFacts,
  type DataTick,
  type GiftTick,
} from '../src/postcards/postcard.rules.js';
import { parsePostmark } from '../src/postcards/postcard.schema.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, redeem } from './support/factories.js';
import { staffSessions, type OpsBrowser, type TestStaff } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);
const { signedIn, clerk } = staffSessions(app, deps);

const today = () => jstDay(new Date());
const daysAgo = (n: number) => jstDay(new Date(Date.now() - n * 86400_000));

interface Card {
  code: string;
  gifts?: GiftTick[];
  data?: DataTick[];
  postmarkDate?: string;
}

/** A clerk at the entry screen of one batch. */
class Desk {
  constructor(
    readonly ops: OpsBrowser,
    readonly staff: TestStaff,
    readonly batchId: string,
  ) {}

  static async sitDown(batchId: string, role: 'clerk' | 'supervisor' = 'clerk') {
    const { ops, staff } = await signedIn(role);
    return new Desk(ops, staff, batchId);
  }

  get page() {
    return `/ops/postcards/batches/${this.batchId}`;
  }

  /** The entry form as the screen posts it: next position, current keying. */
  async form(card: Card, at?: { seq: number; keying: number }) {
    const screen = await this.ops.get(this.page);
    const seq = at?.seq ?? Number(/はがき (\d+) 番/.exec(screen.text)?.[1] ?? 1);
    const keying = at?.keying ?? (/（2回目の入力）/.test(screen.text) ? 2 : 1);
    const form: Record<string, string> = {
      code: card.code,
      seq: String(seq),
      keying: String(keying),
      postmarkDate: card.postmarkDate ?? today(),
    };
    for (const g of card.gifts ?? []) form[g] = '1';
    for (const d of card.data ?? []) form[d === 'marketing_optout' ? 'stop_marketing' : d] = '1';
    return form;
  }

  async save(card: Card, at?: { seq: number; keying: number }) {
    return this.ops.post(`${this.page}/entries`, await this.form(card, at), this.page);
  }

  /** Saves and returns the stored entry. */
  async enter(card: Card, at?: { seq: number; keying: number }) {
    const res = await this.save(card, at);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = /saved=(\d+)/.exec(res.headers.location!)![1]!;
    return deps.db.selectFrom('postcard_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
}

async function openBatch(campaign: Campaign, physicalCount: number, secondKeying = false) {
  const { ops: opener } = await clerk();
  const res = await opener.post(
    `/ops/postcards/c/${campaign.slug}/batches`,
    {
      label: `トレイ ${physicalCount}`,
      physicalCount: String(physicalCount),
      ...(secondKeying ? { secondKeying: '1' } : {}),
    },
    `/ops/postcards/c/${campaign.slug}`,
  );
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return /batches\/(\d+)$/.exec(res.headers.location!)![1]!;
}

const redemptionOf = (customerId: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('customer_id', '=', customerId).execute();

/** A campaign whose procedure ended yesterday: cards still arrive, postmarks decide. */
const pastDeadlineCampaign = () =>
  buildCampaign(deps, { deadline: daysAgo(1), purgeDeadline: jstDay(new Date(Date.now() + 90 * 86400_000)) });

/** A valid code that belongs to nobody. */
const strangerCode = () => generateRegistrationCode();

describe('postcard entry: every outcome', () => {
  it('when a card ticks a book card and stop marketing, then it is accepted: redemption, fulfilment intent, opt-out and audit commit together', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const desk = await Desk.sitDown(await openBatch(campaign, 3));
    const entry = await desk.enter({
      code: customer.registrationCode,
      gifts: ['book_card'],
      data: ['marketing_optout'],
    });

    expect(entry).toMatchObject({
      outcome: 'accepted',
      reason: null,
      seq: 1,
      keying: 1,
      customer_id: customer.id,
    });
    const [r] = await redemptionOf(customer.id);
    expect(r).toMatchObject({
      id: entry.redemption_id,
      channel: 'postcard',
      option: 'book_card',
      brand: null,
      data_choice: 'marketing_optout',
      postmark_date: today(),
      postcard_batch_id: desk.batchId,
      entered_by: desk.staff.id,
      amount_yen: campaign.def.options.bookCard!.amountYen,
    });
    const outbox = await deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('job_id', '=', `fulfil-${r!.id}`)
      .execute();
    expect(outbox).toHaveLength(1);
    const optOut = await deps.db
      .selectFrom('suppression_list')
      .select('customer_id')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(optOut).toHaveLength(1);
    const audit = await deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', entry.id)
      .where('action', '=', 'postcard.enter')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(customer.fullName);

    const screen = await desk.ops.get(`${desk.page}?saved=${entry.id}`);
    expect(screen.text).toContain('保存しました：はがき 1 番');
    expect(screen.text).toContain('受付');
    expect(screen.text).toContain('はがき 2 番');
  });

  it('when the customer had asked for erasure before the letter, then the card redeems with erasure whatever it ticks, and no opt-out', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { erasureRequestedBefore: true });
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const entry = await desk.enter({
      code: customer.registrationCode,
      gifts: ['donation'],
      data: ['marketing_optout'],
    });
    expect(entry.outcome).toBe('accepted');
    const [r] = await redemptionOf(customer.id);
    expect(r).toMatchObject({ option: 'donation', data_choice: 'erasure', channel: 'postcard' });
    const optOut = await deps.db
      .selectFrom('suppression_list')
      .select('customer_id')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(optOut).toHaveLength(0);
  });

  it('when the customer already redeemed on the web, then the card is a duplicate and the earlier redemption stands', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const webId = await redeem(deps, campaign, customer.id, { option: 'donation', dataChoice: 'none' });
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const entry = await desk.enter({
      code: customer.registrationCode,
      gifts: ['book_card'],
      data: ['erasure'],
    });
    expect(entry).toMatchObject({ outcome: 'duplicate', redemption_id: webId });
    expect(entry.reason).toContain('Web');
    const rs = await redemptionOf(customer.id);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ id: webId, channel: 'web', option: 'donation', data_choice: 'none' });
  });

  it('when a card is postmarked after the deadline day, then it is late with the reason, and nothing is redeemed', async () => {
    const campaign = await pastDeadlineCampaign();
    const late = await buildCustomer(deps, campaign);
    const inTime = await buildCustomer(deps, campaign);
    const desk = await Desk.sitDown(await openBatch(campaign, 2));
    const a = await desk.enter({ code: late.registrationCode, gifts: ['book_card'], postmarkDate: today() });
    expect(a.outcome).toBe('late');
    expect(a.reason).toContain(campaign.def.deadline);
    expect(await redemptionOf(late.id)).toHaveLength(0);
    // Postmarked on the deadline day and keyed after it: still accepted.
    const b = await desk.enter({
      code: inTime.registrationCode,
      gifts: ['donation'],
      postmarkDate: campaign.def.deadline,
    });
    expect(b.outcome).toBe('accepted');
  });

  it('when a card ticks no option, two options, e-money, or both data choices, or has an unknown or misread code, then it is invalid with its reason and in the follow-up queue', async () => {
    const campaign = await buildCampaign(deps);
    const people = await Promise.all([1, 2, 3, 4].map(() => buildCustomer(deps, campaign)));
    const misread =
      people[0]!.registrationCode.slice(0, 11) + (people[0]!.registrationCode[11] === '2' ? '3' : '2');
    const cases: [Card, string][] = [
      [{ code: people[0]!.registrationCode, gifts: [] }, REASONS.noGift],
      [{ code: people[1]!.registrationCode, gifts: ['book_card', 'donation'] }, REASONS.twoGifts],
      [{ code: people[2]!.registrationCode, gifts: ['emoney'] }, REASONS.emoney],
      [
        { code: people[3]!.registrationCode, gifts: ['donation'], data: ['erasure', 'marketing_optout'] },
        REASONS.bothData,
      ],
      [{ code: strangerCode(), gifts: ['donation'] }, REASONS.unknown],
      [{ code: misread, gifts: ['donation'] }, REASONS.malformed],
    ];
    const desk = await Desk.sitDown(await openBatch(campaign, cases.length));
    for (const [card, reason] of cases) {
      const entry = await desk.enter(card);
      expect(entry, reason).toMatchObject({ outcome: 'invalid', reason, redemption_id: null });
    }
    for (const p of people) expect(await redemptionOf(p.id)).toHaveLength(0);

    const queue = await desk.ops.get(`/ops/postcards/c/${campaign.slug}/followup`);
    expect(queue.status).toBe(200);
    expect(queue.text).toContain(`未対応 <strong>${cases.length}</strong> 件`);
    for (const [, reason] of cases) expect(queue.text).toContain(reason.slice(0, 12));
  });

  it('when the code is typed the forgiving way (lower case, full-width, hyphens), then it is the same card', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const typed = customer.registrationCode
      .toLowerCase()
      .replace(/(.{4})(?=.)/g, '$1－')
      .replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const entry = await desk.enter({ code: typed, gifts: ['donation'] });
    expect(entry).toMatchObject({ outcome: 'accepted', registration_code: customer.registrationCode });
  });
});

describe('postcard entry: the check step and bad input', () => {
  it('when the clerk looks a code up, then the masked name is shown, never the full name, and the view is audited without it', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { fullName: '山田 太郎' });
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const res = await desk.ops.post(
      `${desk.page}/check`,
      { code: customer.registrationCode.toLowerCase() },
      desk.page,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('山＊ 太＊');
    expect(res.text).toContain('東京都千代田区＊＊＊');
    expect(res.text).not.toContain('山田');
    expect(res.text).toMatch(/id="book_card"[^>]*autofocus/);
    const audit = await deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('staff_id', '=', desk.staff.id)
      .where('action', '=', 'postcard.lookup')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      target_type: 'customer',
      target_id: customer.id,
      campaign_id: campaign.id,
    });
    expect(JSON.stringify(audit[0])).not.toMatch(/山田|太郎|千代田/);
  });

  it('when the looked-up customer already redeemed, then the check step warns before saving', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    await redeem(deps, campaign, customer.id, { option: 'donation', dataChoice: 'none' });
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const res = await desk.ops.post(`${desk.page}/check`, { code: customer.registrationCode }, desk.page);
    expect(res.text).toContain('すでにお手続き済みです');
    const unknown = await desk.ops.post(`${desk.page}/check`, { code: strangerCode() }, desk.page);
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain(REASONS.unknown);
  });

  it('when the form is empty, the postmark is in the future or not a date, then 400 with a clear message and nothing is written', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const desk = await Desk.sitDown(await openBatch(campaign, 1));
    const empty = await desk.ops.post(`${desk.page}/entries`, {}, desk.page);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('登録コードを入力してください。');
    const emptyCheck = await desk.ops.post(`${desk.page}/check`, { code: ' - ' }, desk.page);
    expect(emptyCheck.status).toBe(400);
    expect(emptyCheck.text).toContain('登録コードを入力してください。');

    const tomorrow = jstDay(new Date(Date.now() + 86400_000));
    const future = await desk.save({
      code: customer.registrationCode,
      gifts: ['donation'],
      postmarkDate: tomorrow,
    });
    expect(future.status).toBe(400);
    expect(future.text).toContain('消印日が未来の日付です');
    expect(future.text).toMatch(/id="postmarkDate"[^>]*aria-invalid=true/);
    expect(future.text).toMatch(/id="donation"[^>]*checked/); // the ticks survive the round trip
    const garbage = await desk.save({
      code: customer.registrationCode,
      gifts: ['donation'],
      postmarkDate: '2026-02-30',
    });
    expect(garbage.status).toBe(400);
    expect(garbage.text).toContain('消印日は 2026-11-20 のように入力してください。');
    const entries = await deps.db
      .selectFrom('postcard_entries')
      .select('id')
      .where('batch_id', '=', desk.batchId)
      .execute();
    expect(entries).toHaveLength(0);
  });

  it('when a path id is not a number or the batch does not exist, then 404, never a server error', async () => {
    const desk = await Desk.sitDown('99999999999999999999');
    expect((await desk.ops.get('/ops/postcards/batches/99999999999999999999')).status).toBe(404);
    expect((await desk.ops.get('/ops/postcards/batches/abc')).status).toBe(404);
    expect((await desk.ops.post('/ops/postcards/batches/123456789/entries', {})).status).toBe(404);
    expect((await desk.ops.get('/ops/postcards/c/no-such-campaign')).status).toBe(404);
  });
});

describe('postcard entry: concurrency and resubmits', () => {
  it('when two clerks enter the same code at the same moment, then exactly one redemption exists and the other card is a duplicate', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const [a, b] = await Promise.all([
      Desk.sitDown(await openBatch(campaign, 1)),
      Desk.sitDown(await openBatch(campaign, 1)),
    ]);
    const [fa, fb] = await Promise.all([
      a.form({ code: customer.registrationCode, gifts: ['book_card'] }),
      b.form({ code: customer.registrationCode, gifts: ['donation'] }),
    ]);
    const [ta, tb] = await Promise.all([a.ops.token(a.page), b.ops.token(b.page)]);
    const [ra, rb] = await Promise.all([
      a.ops.agent
        .post(`${a.page}/entries`)
        .type('form')
        .send({ _csrf: ta, ...fa }),
      b.ops.agent
        .post(`${b.page}/entries`)
        .type('form')
        .send({ _csrf: tb, ...fb }),
    ]);
    expect([ra.status, rb.status]).toEqual([303, 303]);
    const rs = await redemptionOf(customer.id);
    expect(rs).toHaveLength(1);
    const outcomes = await deps.db
      .selectFrom('postcard_entries')
      .select(['outcome', 'redemption_id'])
      .where('customer_id', '=', customer.id)
      .execute();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['accepted', 'duplicate']);
    expect(outcomes.every((o) => o.redemption_id === rs[0]!.id)).toBe(true);
  });

  it('when the same form is posted twice (double Enter, back and resubmit), then one entry and one redemption', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const desk = await Desk.sitDown(await openBatch(campaign, 2));
    const form = await desk.form({ code: customer.registrationCode, gifts: ['book_card'] });
    const first = await desk.ops.post(`${desk.page}/entries`, form, desk.page);
    const second = await desk.ops.post(`${desk.page}/entries`, form, desk.page);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const entries = await deps.db
      .selectFrom('postcard_entries')
      .select('id')
      .where('batch_id', '=', desk.batchId)
      .execute();
    expect(entries).toHaveLength(1);
    expect(await redemptionOf(customer.id)).toHaveLength(1);

    // Another clerk posting a different card at the taken position is refused on the entry screen.
    const other = await Desk.sitDown(desk.batchId);
    const stranger = await buildCustomer(deps, campaign);
    const taken = await other.save(
      { code: stranger.registrationCode, gifts: ['donation'] },
      { seq: 1, keying: 1 },
    );
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('はがき 1 番はすでに入力されています');
    expect(await redemptionOf(stranger.id)).toHaveLength(0);
  });
});

describe('postcard batches: counts and closing', () => {
  it('when the entered count differs from the physical count, then the batch does not close; when they match, it closes and takes no more cards', async () => {
    const campaign = await buildCampaign(deps);
    const people = await Promise.all([1, 2, 3].map(() => buildCustomer(deps, campaign)));
    const desk = await Desk.sitDown(await openBatch(campaign, 3));
    await desk.enter({ code: people[0]!.registrationCode, gifts: ['donation'] });
    await desk.enter({ code: people[1]!.registrationCode, gifts: ['donation'] });
    const early = await desk.ops.post(`${desk.page}/close`, {}, desk.page);
    expect(early.status).toBe(409);
    expect(early.text).toContain('入力済みの 2 枚が実枚数 3 枚と一致しない');

    // The tray was miscounted: correcting the count is audited with its reason.
    const bad = await desk.ops.post(
      `${desk.page}/count`,
      { physicalCount: '1', reason: '数え直し' },
      desk.page,
    );
    expect(bad.status).toBe(400);
    const fixed = await desk.ops.post(
      `${desk.page}/count`,
      { physicalCount: '2', reason: '数え直し' },
      desk.page,
    );
    expect(fixed.status).toBe(303);
    const closed = await desk.ops.post(`${desk.page}/close`, {}, desk.page);
    expect(closed.status).toBe(303);
    const batch = await deps.db
      .selectFrom('postcard_batches')
      .selectAll()
      .where('id', '=', desk.batchId)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ physical_count: 2, closed_by: desk.staff.id });
    const actions = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('target_id', '=', desk.batchId)
      .where('target_type', '=', 'postcard_batch')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'postcard.batch_open',
      'postcard.batch_count',
      'postcard.batch_close',
    ]);

    const after = await desk.save(
      { code: people[2]!.registrationCode, gifts: ['donation'] },
      { seq: 2, keying: 1 },
    );
    expect(after.status).toBe(409);
    expect(after.text).toContain('この束はすでに締められています。');
    expect(await redemptionOf(people[2]!.id)).toHaveLength(0);
  });

  it('when a batch is opened with bad input, then 400 with the field messages', async () => {
    const campaign = await buildCampaign(deps);
    const { ops } = await clerk();
    const res = await ops.post(
      `/ops/postcards/c/${campaign.slug}/batches`,
      { label: '', physicalCount: '0' },
      `/ops/postcards/c/${campaign.slug}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('束の名前を入力してください。');
    expect(res.text).toContain('実枚数は1枚以上にしてください。');
  });
});

describe('second keying', () => {
  it('when a batch is keyed twice, then matches are applied, mismatches flagged for follow-up, the same clerk cannot key twice, and resolving applies the chosen reading', async () => {
    const campaign = await buildCampaign(deps);
    const [p1, p2, p3] = await Promise.all([1, 2, 3].map(() => buildCustomer(deps, campaign)));
    const batchId = await openBatch(campaign, 3, true);
    const first = await Desk.sitDown(batchId);
    const k1 = [
      await first.enter({ code: p1!.registrationCode, gifts: ['book_card'] }),
      await first.enter({ code: p2!.registrationCode, gifts: ['donation'], postmarkDate: daysAgo(2) }),
      await first.enter({ code: p3!.registrationCode, gifts: [] }),
    ];
    expect(k1.map((e) => e.outcome)).toEqual([
      'pending_verification',
      'pending_verification',
      'pending_verification',
    ]);
    for (const p of [p1!, p2!, p3!]) expect(await redemptionOf(p.id)).toHaveLength(0);
    expect((await first.ops.post(`${first.page}/close`, {}, first.page)).status).toBe(409);

    // The first clerk may not verify their own keying.
    const own = await first.save({ code: p1!.registrationCode, gifts: ['book_card'] }, { seq: 1, keying: 2 });
    expect(own.status).toBe(403);
    expect(own.text).toContain('別のオペレーターに交代してください');

    const second = await Desk.sitDown(batchId);
    const m1 = await second.enter({ code: p1!.registrationCode, gifts: ['book_card'] });
    expect(m1).toMatchObject({ seq: 1, keying: 2, outcome: 'accepted' });
    const m2 = await second.enter({
      code: p2!.registrationCode,
      gifts: ['book_card'],
      postmarkDate: daysAgo(3),
    });
    expect(m2).toMatchObject({ seq: 2, keying: 2, outcome: 'mismatch' });
    expect(m2.reason).toContain('お詫びの品');
    expect(m2.reason).toContain('消印日');
    const m3 = await second.enter({ code: p3!.registrationCode, gifts: [] });
    expect(m3.outcome).toBe('invalid');

    const rows = await deps.db
      .selectFrom('postcard_entries')
      .selectAll()
      .where('batch_id', '=', batchId)
      .where('keying', '=', 1)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.outcome)).toEqual(['accepted', 'mismatch', 'invalid']);
    expect(rows[0]!.redemption_id).toBe(m1.redemption_id);
    expect(await redemptionOf(p1!.id)).toHaveLength(1);
    expect(await redemptionOf(p2!.id)).toHaveLength(0);

    const closed = await second.ops.post(`${second.page}/close`, {}, second.page);
    expect(closed.status).toBe(303);

    // Follow-up: one row per card (the mismatch and the invalid), both readings of the mismatch shown.
    const queue = await second.ops.get(`/ops/postcards/c/${campaign.slug}/followup`);
    expect(queue.text).toContain('未対応 <strong>2</strong> 件');
    expect(queue.text).toContain(daysAgo(2));
    expect(queue.text).toContain(daysAgo(3));

    const noNote = await second.ops.post(
      `/ops/postcards/followup/${m2.id}/resolve`,
      { action: 'apply1', note: '' },
      `/ops/postcards/c/${campaign.slug}/followup`,
    );
    expect(noNote.status).toBe(400);
    expect(noNote.text).toContain('対応内容を入力してください。');
    const apply = await second.ops.post(
      `/ops/postcards/followup/${m2.id}/resolve`,
      { action: 'apply1', note: 'はがきを確認: 寄付に印' },
      `/ops/postcards/c/${campaign.slug}/followup`,
    );
    expect(apply.status).toBe(303);
    const [r2] = await redemptionOf(p2!.id);
    expect(r2).toMatchObject({ option: 'donation', postmark_date: daysAgo(2), channel: 'postcard' });
    const card2 = await deps.db
      .selectFrom('postcard_entries')
      .select(['outcome', 'redemption_id', 'followup_resolved_at'])
      .where('batch_id', '=', batchId)
      .where('seq', '=', 2)
      .execute();
    expect(
      card2.every((c) => c.outcome === 'accepted' && c.redemption_id === r2!.id && c.followup_resolved_at),
    ).toBe(true);

    const close = await second.ops.post(
      `/ops/postcards/followup/${m3.id}/resolve`,
      { action: 'close', note: 'お客様へ案内状を送付' },
      `/ops/postcards/c/${campaign.slug}/followup`,
    );
    expect(close.status).toBe(303);
    const again = await second.ops.post(
      `/ops/postcards/followup/${m3.id}/resolve`,
      { action: 'close', note: '二度目' },
      `/ops/postcards/c/${campaign.slug}/followup`,
    );
    expect(again.status).toBe(409);
    const empty = await second.ops.get(`/ops/postcards/c/${campaign.slug}/followup`);
    expect(empty.text).toContain('要確認のはがきはありません。');
    const audits = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'details'])
      .where('action', '=', 'postcard.followup_resolve')
      .where('campaign_id', '=', campaign.id)
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.reason)).toEqual(['はがきを確認: 寄付に印', 'お客様へ案内状を送付']);
  });
});

describe('the rules, as properties', () => {
  const gifts = fc.subarray([...(['book_card', 'donation', 'emoney'] as const)]);
  const data = fc.subarray([...(['erasure', 'marketing_optout'] as const)]);
  const day = fc
    .integer({ min: 0, max: 60 })
    .map((n) => jstDay(new Date(Date.UTC(2026, 9, 1) + n * 86400_000)));
  const holder: fc.Arbitrary<CardHolderFacts> = fc.oneof(
    fc.constant({ status: 'malformed' } as const),
    fc.constant({ status: 'unknown' } as const),
    fc.record({
      status: fc.constant('known' as const),
      customerId: fc.constant('1'),
      erasureRequestedBefore: fc.boolean(),
      erased: fc.boolean(),
      redemption: fc.option(fc.constant({ id: '9', channel: 'web' as const, redeemedAt: new Date() }), {
        nil: null,
      }),
    }),
  );

  test.prop([gifts, data, day, holder, fc.boolean(), fc.boolean()])(
    'a card is accepted exactly when its code leads to an unredeemed customer, it is in time, and it ticks one allowed gift and at most one data choice',
    (g, d, postmark, h, bookCard, donation) => {
      const rules = { deadlineDay: '2026-10-31', bookCard, donation };
      const decision = decideCard(makeReading('X', g, d, postmark), h, rules);
      const expected =
        h.status === 'known' &&
        !h.redemption &&
        !h.erased &&
        postmark <= rules.deadlineDay &&
        g.length === 1 &&
        g[0] !== 'emoney' &&
        (g[0] === 'book_card' ? bookCard : donation) &&
        d.length <= 1;
      expect(decision.outcome === 'accepted').toBe(expected);
      if (decision.outcome === 'accepted') {
        expect(decision.dataChoice).toBe(
          h.status === 'known' && h.erasureRequestedBefore ? 'erasure' : (d[0] ?? 'none'),
        );
      } else expect(decision.reason.length).toBeGreaterThan(5);
      if (h.status === 'known' && h.redemption) expect(decision.outcome).toBe('duplicate');
      // Late whenever the postmark is after the deadline, whatever the card ticks or the holder's data.
      if (h.status === 'known' && !h.redemption && postmark > rules.deadlineDay)
        expect(decision.outcome).toBe('late');
    },
  );

  test.prop([fc.integer({ min: 0, max: 3650 })])(
    'a postmark written any accepted way parses to the same day',
    (n) => {
      const iso = jstDay(new Date(Date.UTC(2020, 0, 1) + n * 86400_000));
      const [y, m, d] = iso.split('-');
      const today = '2030-12-31';
      for (const written of [iso, `${y}/${Number(m)}/${Number(d)}`, `${y}${m}${d}`, `${y}.${m}.${d}`])
        expect(parsePostmark(written, today)).toBe(iso);
      expect(parsePostmark(`${m}${d}`, `${y}-12-31`)).toBe(iso);
    },
  );

  it('when only month and day are written, then the latest such day not in the future is meant', () => {
    expect(parsePostmark('11/20', '2026-11-22')).toBe('2026-11-20');
    expect(parsePostmark('1230', '2026-11-22')).toBe('2025-12-30');
    expect(parsePostmark('２０２６－１１－２０', '2026-11-22')).toBe('2026-11-20');
    expect(parsePostmark('2026-02-30', '2026-11-22')).toBeNull();
    expect(parsePostmark('yesterday', '2026-11-22')).toBeNull();
  });
});
