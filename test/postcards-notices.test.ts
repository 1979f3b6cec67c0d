import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { eraseCustomerNow } from '../src/erasure/erasure.service.js';
import { createApp } from '../src/app/create-app.js';
import {
  NOTICE_HOW,
  NOTICE_LETTERS,
  NOTICE_PAGE,
  SECOND_KEYING,
  japaneseDate,
} from '../src/postcards/postcard.messages.js';
import { jstDay, lateReason } from '../src/postcards/postcard.rules.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, redeem } from './support/factories.js';
import { buildStaff, OpsBrowser, type TestStaff } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);

const today = () => jstDay(new Date());
const daysAgo = (n: number) => jstDay(new Date(Date.now() - n * 86400_000));

/** A campaign whose procedure ended three days ago: cards still arrive, postmarks decide. */
const pastDeadlineCampaign = () =>
  buildCampaign(deps, { deadline: daysAgo(3), purgeDeadline: jstDay(new Date(Date.now() + 90 * 86400_000)) });

/** A clerk at one batch's entry screen. */
async function clerkAt(batchId: string) {
  const staff = await buildStaff(deps, 'clerk');
  const ops = await new OpsBrowser(app).signIn(staff);
  const page = `/ops/postcards/batches/${batchId}`;
  const enter = async (code: string, seq: number, keying: 1 | 2, postmarkDate = today()) => {
    const res = await ops.post(
      `${page}/entries`,
      { code, seq: String(seq), keying: String(keying), donation: '1', postmarkDate },
      page,
    );
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = /saved=(\d+)/.exec(res.headers.location!)![1]!;
    return deps.db.selectFrom('postcard_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  };
  return { staff, ops, page, enter };
}

async function openBatch(campaign: Campaign, physicalCount: number, secondKeying = false) {
  const { ops } = await clerkAt('0');
  const res = await ops.post(
    `/ops/postcards/c/${campaign.slug}/batches`,
    { label: 'トレイ', physicalCount: String(physicalCount), ...(secondKeying ? { secondKeying: '1' } : {}) },
    `/ops/postcards/c/${campaign.slug}`,
  );
  expect(res.status).toBe(303);
  return /batches\/(\d+)$/.exec(res.headers.location!)![1]!;
}

const followup = (ops: OpsBrowser, campaign: Campaign) =>
  ops.get(`/ops/postcards/c/${campaign.slug}/followup`);
const markDone = (ops: OpsBrowser, campaign: Campaign, entryId: string) =>
  ops.post(`/ops/postcards/notices/${entryId}/done`, {}, `/ops/postcards/c/${campaign.slug}/followup`);

const noticeAudits = (campaign: Campaign) =>
  deps.db
    .selectFrom('audit_log')
    .select(['staff_id', 'target_type', 'target_id', 'details'])
    .where('action', '=', 'postcard.notice_done')
    .where('campaign_id', '=', campaign.id)
    .orderBy('id')
    .execute();

const facts = (c: Campaign) => ({ companyName: c.def.companyName, contact: c.def.contactCentre });

describe('the notice queue for late and duplicate cards', () => {
  it('when a card is postmarked after the deadline, then the follow-up area says what to post to the customer; marking it done is audited and takes it off the queue', async () => {
    const campaign = await pastDeadlineCampaign();
    const customer = await buildCustomer(deps, campaign);
    const desk = await clerkAt(await openBatch(campaign, 1));
    const postmark = daysAgo(1);
    const entry = await desk.enter(customer.registrationCode, 1, 1, postmark);
    expect(entry.outcome).toBe('late');

    const page = await followup(desk.ops, campaign);
    expect(page.status).toBe(200);
    expect(page.text).toContain(NOTICE_PAGE.heading);
    expect(page.text).toContain(NOTICE_PAGE.pending(1));
    expect(page.text).toContain(NOTICE_HOW.post);
    const letter = NOTICE_LETTERS.late({ ...facts(campaign), deadline: campaign.def.deadline });
    expect(letter).toContain(`期限（${japaneseDate(campaign.def.deadline)}消印有効）を過ぎていた`);
    expect(page.text).toContain(letter);
    expect(page.text).toContain('要確認のはがきはありません。'); // a late card is not an invalid one
    expect(page.text).not.toContain(customer.fullName);
    const home = await desk.ops.get(`/ops/postcards/c/${campaign.slug}`);
    expect(home.text).toContain(NOTICE_PAGE.campaignLink(1));

    const done = await markDone(desk.ops, campaign, entry.id);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/ops/postcards/c/${campaign.slug}/followup#notices`);
    const row = await deps.db
      .selectFrom('postcard_entries')
      .select(['notice_done_at', 'notice_done_by'])
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(row.notice_done_by).toBe(desk.staff.id);
    expect(row.notice_done_at).toBeInstanceOf(Date);
    expect(await noticeAudits(campaign)).toEqual([
      {
        staff_id: desk.staff.id,
        target_type: 'postcard_entry',
        target_id: entry.id,
        details: { batchId: entry.batch_id, seq: 1, outcome: 'late', method: 'post' },
      },
    ]);
    expect((await followup(desk.ops, campaign)).text).toContain(NOTICE_PAGE.empty);

    const again = await markDone(desk.ops, campaign, entry.id);
    expect(again.status).toBe(409);
    expect(again.text).toContain(NOTICE_PAGE.alreadyDone);
    expect(await noticeAudits(campaign)).toHaveLength(1);
  });

  it('when the customer already redeemed on the web, then the notice says when and how, and a card keyed twice is one notice', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const redeemedAt = new Date(Date.now() - 2 * 86400_000);
    await redeem({ db: deps.db, now: () => redeemedAt }, campaign, customer.id, {
      option: 'donation',
      dataChoice: 'none',
    });
    const batchId = await openBatch(campaign, 1, true);
    await (await clerkAt(batchId)).enter(customer.registrationCode, 1, 1);
    const second = await clerkAt(batchId);
    const k2 = await second.enter(customer.registrationCode, 1, 2);
    expect(k2.outcome).toBe('duplicate');

    const page = await followup(second.ops, campaign);
    expect(page.text).toContain(NOTICE_PAGE.pending(1));
    const letter = NOTICE_LETTERS.duplicate({
      ...facts(campaign),
      channel: 'web',
      redeemedOn: jstDay(redeemedAt),
    });
    expect(letter).toContain(`${japaneseDate(jstDay(redeemedAt))}にウェブサイトで`);
    expect(page.text).toContain(letter);

    expect((await markDone(second.ops, campaign, k2.id)).status).toBe(303);
    const rows = await deps.db
      .selectFrom('postcard_entries')
      .select('notice_done_at')
      .where('batch_id', '=', batchId)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.notice_done_at !== null)).toBe(true);
  });

  it('when a late card comes from a customer whose data was erased on request, then it is late (not invalid) and the notice says it cannot be posted', async () => {
    const campaign = await pastDeadlineCampaign();
    const customer = await buildCustomer(deps, campaign);
    await eraseCustomerNow(deps, customer.id);
    const desk = await clerkAt(await openBatch(campaign, 1));
    const entry = await desk.enter(customer.registrationCode, 1, 1, daysAgo(1));
    expect(entry).toMatchObject({ outcome: 'late', reason: lateReason(daysAgo(1), campaign.def.deadline) });

    const page = await followup(desk.ops, campaign);
    expect(page.text).toContain('要確認のはがきはありません。');
    expect(page.text).toContain(NOTICE_HOW.noAddress);
    expect((await markDone(desk.ops, campaign, entry.id)).status).toBe(303);
    expect((await noticeAudits(campaign))[0]!.details).toMatchObject({ method: 'none' });
  });

  it('when a mismatch is resolved into a late card, then the card still reaches the notice queue', async () => {
    const campaign = await pastDeadlineCampaign();
    const customer = await buildCustomer(deps, campaign);
    const batchId = await openBatch(campaign, 1, true);
    await (await clerkAt(batchId)).enter(customer.registrationCode, 1, 1, daysAgo(1));
    const second = await clerkAt(batchId);
    const k2 = await second.enter(customer.registrationCode, 1, 2, daysAgo(2));
    expect(k2.outcome).toBe('mismatch');
    const resolved = await second.ops.post(
      `/ops/postcards/followup/${k2.id}/resolve`,
      { action: 'apply1', note: 'はがきを確認' },
      `/ops/postcards/c/${campaign.slug}/followup`,
    );
    expect(resolved.status).toBe(303);
    const page = await followup(second.ops, campaign);
    expect(page.text).toContain(NOTICE_PAGE.pending(1));
    expect(page.text).toContain(NOTICE_LETTERS.late({ ...facts(campaign), deadline: campaign.def.deadline }));
    expect(page.text).toContain(lateReason(daysAgo(1), campaign.def.deadline)); // the reading applied
  });
});

describe('second keying by another operator', () => {
  async function firstRoundDone() {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { fullName: '照合 花子' });
    const batchId = await openBatch(campaign, 1, true);
    const first = await clerkAt(batchId);
    await first.enter(customer.registrationCode, 1, 1);
    return { campaign, customer, batchId, first };
  }

  const lookups = (staff: TestStaff) =>
    deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'postcard.lookup')
      .execute();

  it('when the operator who keyed the first round opens the batch, then no card form is offered and the refusal is said at once', async () => {
    const { customer, first } = await firstRoundDone();
    const screen = await first.ops.get(first.page);
    expect(screen.status).toBe(200);
    expect(screen.text).toContain(SECOND_KEYING.refused);
    expect(screen.text).not.toContain('name="code"');

    // A stale tab posting the code anyway: refused before the holder is looked up.
    const check = await first.ops.post(
      `${first.page}/check`,
      { code: customer.registrationCode },
      first.page,
    );
    expect(check.status).toBe(403);
    expect(check.text).toContain(SECOND_KEYING.refused);
    expect(check.text).not.toContain('name="book_card"');
    expect(check.text).not.toContain('照＊');
    expect(await lookups(first.staff)).toHaveLength(0);
  });

  it('when another operator opens the batch, then the second keying form is offered', async () => {
    const { customer, batchId } = await firstRoundDone();
    const other = await clerkAt(batchId);
    const screen = await other.ops.get(other.page);
    expect(screen.text).toContain('（2回目の入力）');
    expect(screen.text).toContain('name="code"');
    expect(screen.text).not.toContain(SECOND_KEYING.refused);
    const check = await other.ops.post(
      `${other.page}/check`,
      { code: customer.registrationCode },
      other.page,
    );
    expect(check.status).toBe(200);
    expect(check.text).toContain('name="book_card"');
  });
});
