import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../src/platform/database.js';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { eraseDue } from '../src/erasure/erasure.service.js';
import { fulfilRedemption } from '../src/fulfilment/fulfilment.service.js';
import { cutNextBatch, lockCampaignCut } from '../src/fulfilment/shipping.repo.js';
import {
  ChangeClosed,
  ChangeLocked,
  ChangeNotAllowed,
  NothingRedeemed,
} from '../src/redemption/choice-change.errors.js';
import { changeChoice, type ChoiceChangeRequest } from '../src/redemption/choice-change.service.js';
import type { DataChoice, GiftOption } from '../src/redemption/redemption.table.js';
import { useTestDeps } from './support/context.js';
import {
  bookInLedger,
  buildCampaign,
  buildCustomer,
  buildRedemption,
  buildShippingBatch,
  markFulfilled,
} from './support/factories.js';

let clock = new Date();
const deps = useTestDeps({ now: () => clock });
const sources = { pool: { codeFor: async () => 'POOL' } };

async function redeemed(o: {
  option: GiftOption;
  dataChoice?: DataChoice;
  erasureRequestedBefore?: boolean;
}) {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign, { erasureRequestedBefore: o.erasureRequestedBefore });
  const r = await buildRedemption(deps, { customer, option: o.option, dataChoice: o.dataChoice ?? 'none' });
  return { campaign, customer, redemptionId: r.id };
}

const change = (campaign: Campaign, customerId: string, request: ChoiceChangeRequest) =>
  changeChoice(deps, campaign, customerId, request, 'web');

const redemptionOf = (id: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const changesOf = (id: string) =>
  deps.db
    .selectFrom('redemption_changes')
    .selectAll()
    .where('redemption_id', '=', id)
    .orderBy('id')
    .execute();
const onSuppressionList = async (customerId: string) =>
  (await deps.db
    .selectFrom('suppression_list')
    .select('customer_id')
    .where('customer_id', '=', customerId)
    .executeTakeFirst()) !== undefined;

/** The refusal leaves the redemption, its history and the suppression list exactly as they were. */
async function expectRefused(
  campaign: Campaign,
  customerId: string,
  redemptionId: string,
  request: ChoiceChangeRequest,
  is: (e: unknown) => boolean,
) {
  const before = await redemptionOf(redemptionId);
  const listed = await onSuppressionList(customerId);
  const history = await changesOf(redemptionId);
  const err = await change(campaign, customerId, request).catch((e: unknown) => e);
  expect(is(err), String(err)).toBe(true);
  expect(await redemptionOf(redemptionId)).toEqual(before);
  expect(await changesOf(redemptionId)).toEqual(history);
  expect(await onSuppressionList(customerId)).toBe(listed);
  return err;
}

describe('changing the gift', () => {
  it('when a book card is not yet in a batch, then it becomes a donation, with the donation amount, a fulfilment intent and a history row with its time', async () => {
    clock = new Date('2026-12-01T01:02:03Z');
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    const result = await change(campaign, customer.id, { option: 'donation' });
    expect(result.after).toMatchObject({
      option: 'donation',
      amountYen: campaign.def.options.donation!.amountYen,
    });
    const r = await redemptionOf(redemptionId);
    expect([r.option, r.brand]).toEqual(['donation', null]);
    const [row] = await changesOf(redemptionId);
    expect(row).toMatchObject({ option_before: 'book_card', option_after: 'donation', channel: 'web' });
    expect(row!.changed_at.toISOString()).toBe('2026-12-01T01:02:03.000Z');
    const intent = await deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('job_id', '=', `fulfil-${redemptionId}-change-${row!.id}`)
      .executeTakeFirst();
    expect(intent?.payload).toMatchObject({ redemptionId });
    expect(await fulfilRedemption(deps, sources, redemptionId)).toBe('fulfilled');
    expect(
      await deps.db
        .selectFrom('donation_ledger')
        .select('amount_yen')
        .where('redemption_id', '=', redemptionId)
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it('when a donation is not yet booked, then it becomes a book card to a corrected address, and the donation job then books nothing', async () => {
    clock = new Date();
    const { campaign, customer, redemptionId } = await redeemed({ option: 'donation' });
    await change(campaign, customer.id, {
      option: 'book_card',
      shipping: { postalCode: '1000004', address: '東京都千代田区大手町1-1-1' },
    });
    const r = await redemptionOf(redemptionId);
    expect([r.option, r.address_confirmed]).toEqual(['book_card', true]);
    const p = await deps.db
      .selectFrom('customer_personal')
      .select(['ship_postal_code', 'ship_address'])
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(p).toEqual({ ship_postal_code: '1000004', ship_address: '東京都千代田区大手町1-1-1' });
    expect((await changesOf(redemptionId))[0]).toMatchObject({
      option_after: 'book_card',
      address_changed: true,
    });
    expect(await fulfilRedemption(deps, sources, redemptionId)).toBe('awaiting-shipment');
    expect(
      await deps.db
        .selectFrom('donation_ledger')
        .select('redemption_id')
        .where('redemption_id', '=', redemptionId)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('when the book card is in a shipping batch, then the change is refused and nothing is written', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    await buildShippingBatch(deps, campaign, { lines: [{ redemptionId }] });
    const err = await expectRefused(
      campaign,
      customer.id,
      redemptionId,
      { option: 'donation' },
      ChangeLocked.is,
    );
    expect((err as Error).message).toContain('発送の準備');
  });

  it('when the donation is booked, then the change is refused and nothing is written', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'donation' });
    await bookInLedger(deps, campaign, redemptionId, new Date());
    await expectRefused(campaign, customer.id, redemptionId, { option: 'book_card' }, ChangeLocked.is);
  });

  it('when the gift is e-money, then neither it changes nor anything changes into e-money', async () => {
    const e = await redeemed({ option: 'emoney' });
    await expectRefused(e.campaign, e.customer.id, e.redemptionId, { option: 'donation' }, ChangeLocked.is);
    const d = await redeemed({ option: 'donation' });
    await expectRefused(d.campaign, d.customer.id, d.redemptionId, { option: 'emoney' }, ChangeNotAllowed.is);
  });

  it('when nothing is asked for, or the address for a donation, then it is refused', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'donation' });
    await expectRefused(campaign, customer.id, redemptionId, {}, ChangeNotAllowed.is);
    await expectRefused(campaign, customer.id, redemptionId, { option: 'donation' }, ChangeNotAllowed.is);
    const shipping = { postalCode: '1000004', address: '東京都千代田区大手町1-1-1' };
    await expectRefused(campaign, customer.id, redemptionId, { shipping }, ChangeNotAllowed.is);
  });

  it('when the deadline has passed, then nothing changes; when there is no redemption, then it says so', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    clock = new Date(campaign.deadlineAt.getTime() + 1000);
    try {
      await expectRefused(campaign, customer.id, redemptionId, { option: 'donation' }, ChangeClosed.is);
    } finally {
      clock = new Date();
    }
    const fresh = await buildCustomer(deps, campaign);
    await expect(change(campaign, fresh.id, { option: 'donation' })).rejects.toSatisfy(NothingRedeemed.is);
  });
});

describe('changing the data choice', () => {
  it('when an e-money customer stops marketing and later asks for erasure, then both are recorded, the opt-out stays listed and the erasure job then erases', async () => {
    clock = new Date();
    const { campaign, customer, redemptionId } = await redeemed({ option: 'emoney' });
    await markFulfilled(deps, redemptionId, new Date());
    await change(campaign, customer.id, { dataChoice: 'marketing_optout' });
    expect(await onSuppressionList(customer.id)).toBe(true);
    await change(campaign, customer.id, { dataChoice: 'erasure' });
    expect(await onSuppressionList(customer.id)).toBe(true);
    const rows = await changesOf(redemptionId);
    expect(rows.map((r) => [r.data_choice_before, r.data_choice_after])).toEqual([
      ['none', 'marketing_optout'],
      ['marketing_optout', 'erasure'],
    ]);
    await eraseDue(deps, { campaignId: campaign.id });
    const c = await deps.db
      .selectFrom('customers')
      .select('erased_at')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(c.erased_at).not.toBeNull();
    await expectRefused(
      campaign,
      customer.id,
      redemptionId,
      { dataChoice: 'marketing_optout' },
      ChangeLocked.is,
    );
  });

  it('when a customer who chose erasure switches to stop marketing before it ran, then they go on the suppression list and the erasure job leaves them alone', async () => {
    const { campaign, customer, redemptionId } = await redeemed({
      option: 'donation',
      dataChoice: 'erasure',
    });
    await change(campaign, customer.id, { dataChoice: 'marketing_optout' });
    expect(await onSuppressionList(customer.id)).toBe(true);
    await markFulfilled(deps, redemptionId, new Date());
    await eraseDue(deps, { campaignId: campaign.id });
    const c = await deps.db
      .selectFrom('customers')
      .select('erased_at')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(c.erased_at).toBeNull();
  });

  it('when asked to go back to "none", or when erasure was asked for before the letter, then it is refused', async () => {
    const a = await redeemed({ option: 'donation', dataChoice: 'marketing_optout' });
    await expectRefused(
      a.campaign,
      a.customer.id,
      a.redemptionId,
      { dataChoice: 'none' },
      ChangeNotAllowed.is,
    );
    const b = await redeemed({ option: 'donation', dataChoice: 'erasure', erasureRequestedBefore: true });
    await expectRefused(
      b.campaign,
      b.customer.id,
      b.redemptionId,
      { dataChoice: 'marketing_optout' },
      ChangeNotAllowed.is,
    );
  });

  it('when the gift change is refused, then the data choice asked for with it is not written either', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    await buildShippingBatch(deps, campaign, { lines: [{ redemptionId }] });
    await expectRefused(
      campaign,
      customer.id,
      redemptionId,
      { option: 'donation', dataChoice: 'marketing_optout' },
      ChangeLocked.is,
    );
  });
});

/**
 * Waits until a backend running a statement like `like` waits, directly or through others, for a
 * lock backend `pid` holds. Both, because other test files share the database: any backend may wait
 * for a lock (an attach waits for every writer of redemptions), and any may run the same statement.
 */
async function waitUntilBlockedBy(pid: number, like: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await deps.pool.query<{ n: string }>(
      `with recursive waiting(pid) as (
         select a.pid from pg_stat_activity a where $1::int = any(pg_blocking_pids(a.pid))
         union
         select a.pid from pg_stat_activity a join waiting w on w.pid = any(pg_blocking_pids(a.pid))
       ) select count(*) as n from waiting w join pg_stat_activity a using (pid) where a.query ilike $2`,
      [pid, like],
    );
    if (Number(rows[0]!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no backend running ${like} blocked by backend ${pid}`);
}

/** The backend running `db`, to wait for those it blocks. */
async function backendOf(db: Db): Promise<number> {
  return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
}

describe('a change racing the batch cut', () => {
  it('when the cut runs first, then the change waits for it and is refused: the card stays in the batch', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let cutPid!: number;
    const cut = deps.db.transaction().execute(async (trx) => {
      cutPid = await backendOf(trx);
      await lockCampaignCut(trx, campaign.id);
      const batch = await cutNextBatch(trx, campaign.id, '0', 1000, new Date());
      await held;
      return batch;
    });
    await new Promise((r) => setTimeout(r, 100));
    const changing = change(campaign, customer.id, { option: 'donation' }).catch((e: unknown) => e);
    await waitUntilBlockedBy(cutPid, '%pg_advisory_xact_lock%');
    release();
    expect((await cut)?.lineCount).toBe(1);
    expect(ChangeLocked.is(await changing)).toBe(true);
    expect((await redemptionOf(redemptionId)).option).toBe('book_card');
    expect(await changesOf(redemptionId)).toEqual([]);
  });

  it('when the change holds the locks first, then the cut waits for it and no longer sees the card', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'book_card' });
    // Hold the redemption row so that the change stops after taking the cut lock.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holderPid!: number;
    const holder = deps.db.transaction().execute(async (trx) => {
      holderPid = await backendOf(trx);
      await trx.selectFrom('redemptions').select('id').where('id', '=', redemptionId).forUpdate().execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const changing = change(campaign, customer.id, { option: 'donation' });
    await waitUntilBlockedBy(holderPid, '%for update%');
    const cut = deps.db.transaction().execute(async (trx) => {
      await lockCampaignCut(trx, campaign.id);
      return cutNextBatch(trx, campaign.id, '0', 1000, new Date());
    });
    // The cut waits for the change, which waits for the holder.
    await waitUntilBlockedBy(holderPid, '%pg_advisory_xact_lock%');
    release();
    await holder;
    expect((await changing).after.option).toBe('donation');
    expect(await cut).toBeUndefined();
    const line = await deps.db
      .selectFrom('shipping_lines')
      .select('batch_id')
      .where('redemption_id', '=', redemptionId)
      .executeTakeFirst();
    expect(line).toBeUndefined();
  });
});

describe('a change racing the erasure job', () => {
  it('when a change holds the redemption, then the erasure job passes the customer by instead of erasing on the old choice', async () => {
    const { campaign, customer, redemptionId } = await redeemed({ option: 'emoney', dataChoice: 'erasure' });
    await markFulfilled(deps, redemptionId, new Date());
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holder = deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('redemptions').select('id').where('id', '=', redemptionId).forUpdate().execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await eraseDue(deps, { campaignId: campaign.id })).erased).toBe(0);
    release();
    await holder;
    const c = await deps.db
      .selectFrom('customers')
      .select('erased_at')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(c.erased_at).toBeNull();
  });
});

describe('a change racing the donation job', () => {
  it('when the job read a donation but a change to a book card commits before it books, then nothing is booked', async () => {
    const { redemptionId } = await redeemed({ option: 'donation' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holderPid!: number;
    // What changeChoice does to the row, held open until the job is waiting on it.
    const changing = deps.db.transaction().execute(async (trx) => {
      holderPid = await backendOf(trx);
      await trx.selectFrom('redemptions').select('id').where('id', '=', redemptionId).forUpdate().execute();
      await trx
        .updateTable('redemptions')
        .set({ option: 'book_card' })
        .where('id', '=', redemptionId)
        .execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const job = fulfilRedemption(deps, sources, redemptionId);
    // Other test files share the database: wait for a backend blocked by this holder, not any.
    await waitUntilBlockedBy(holderPid, '%update "redemptions" set "fulfilled_at"%');
    release();
    await changing;
    expect(await job).toBe('already-fulfilled');
    const booked = await deps.db
      .selectFrom('donation_ledger')
      .select('redemption_id')
      .where('redemption_id', '=', redemptionId)
      .executeTakeFirst();
    expect(booked).toBeUndefined();
    expect((await redemptionOf(redemptionId)).fulfilled_at).toBeNull();
  });
});
