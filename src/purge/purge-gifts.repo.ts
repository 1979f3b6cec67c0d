import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { GiftKind } from './purge.messages.js';

/**
 * SQL of the gifts a purge would make undeliverable, and of the supervisors' overrides.
 *
 * Undelivered, for a redemption `r` of the campaign:
 * - book card: not shipped (`fulfilled_at` is set when its batch is marked shipped or the vendor's
 *   shipped file names it); the address is needed until then;
 * - donation: no entry in the donation ledger (the ledger is what the recipient is paid from);
 * - e-money: not marked fulfilled and no code stored for it (a pool code is allocated at the
 *   redemption, a vendor code when the vendor issued it).
 */
export const undeliveredPredicate = sql`(
  (r.option = 'book_card' and r.fulfilled_at is null)
  or (r.option = 'donation' and not exists (select 1 from donation_ledger d where d.redemption_id = r.id))
  or (r.option = 'emoney' and r.fulfilled_at is null
      and not exists (select 1 from emoney_codes e where e.redemption_id = r.id)))`;

/** An undelivered book card or e-money gift (`r`): only unfulfilled rows, which a partial index holds. */
const undeliveredOtherGift = sql`r.fulfilled_at is null and r.option <> 'donation' and ${undeliveredPredicate}`;

export interface UndeliveredGift {
  redemptionId: string;
  kind: GiftKind;
  /** The shipping batch a book card was cut into (not shipped yet), if any. */
  batchId: string | null;
}

/**
 * The campaign's unbooked donations: its donations less its ledger rows (exact: the ledger's key,
 * migration 2026_12_01_022, makes the campaign's ledger rows exactly its booked donations). Two
 * index-only counts instead of a ledger look-up per donation.
 */
export const unbookedDonationCount = (campaignId: string) => sql<string>`(
  (select count(*) from redemptions where campaign_id = ${campaignId} and option = 'donation')
  - (select count(*) from donation_ledger where campaign_id = ${campaignId}))`;

/**
 * Every undelivered gift of the campaign, by redemption number: references only, nothing personal.
 * Book cards and e-money are looked for among the unfulfilled rows (undeliveredOtherGift);
 * donations are looked up one by one in the ledger only when unbookedDonationCount says some are
 * unbooked. One statement, one snapshot.
 */
export async function listUndeliveredGifts(db: Db, campaignId: string): Promise<UndeliveredGift[]> {
  const { rows } = await sql<{ id: string; option: GiftKind; batch_id: string | null }>`
    select r.id, r.option::text as option, l.batch_id
      from redemptions r
      left join shipping_lines l on l.redemption_id = r.id
     where r.campaign_id = ${campaignId} and ${undeliveredOtherGift}
    union all
    select r.id, r.option::text, null
      from redemptions r
     where ${unbookedDonationCount(campaignId)} <> 0
       and r.campaign_id = ${campaignId} and r.option = 'donation'
       and not exists (select 1 from donation_ledger d where d.redemption_id = r.id)
     order by id`.execute(db);
  return rows.map((r) => ({ redemptionId: String(r.id), kind: r.option, batchId: r.batch_id }));
}

export type GiftCounts = Record<GiftKind, number>;

export async function countUndeliveredGifts(db: Db, campaignId: string): Promise<GiftCounts> {
  const { rows } = await sql<{ option: GiftKind; n: string }>`
    select r.option::text as option, count(*) as n from redemptions r
     where r.campaign_id = ${campaignId} and ${undeliveredOtherGift}
     group by r.option
    union all
    select 'donation', ${unbookedDonationCount(campaignId)}`.execute(db);
  const counts: GiftCounts = { book_card: 0, donation: 0, emoney: 0 };
  for (const r of rows) counts[r.option] = Number(r.n);
  return counts;
}

export interface PurgeOverrideRow {
  id: string;
  campaignId: string;
  staffId: string;
  staffUsername: string;
  reason: string;
  redemptionIds: string[];
  recordedAt: Date;
}

/** The campaign's latest override (the one in force), with who recorded it. */
export async function findLatestOverride(db: Db, campaignId: string): Promise<PurgeOverrideRow | undefined> {
  const { rows } = await sql<{
    id: string;
    campaign_id: string;
    staff_id: string;
    username: string;
    reason: string;
    redemption_ids: string[];
    recorded_at: Date;
  }>`
    select o.id, o.campaign_id, o.staff_id, s.username, o.reason,
           o.redemption_ids::text[] as redemption_ids, o.recorded_at
      from purge_overrides o join staff s on s.id = o.staff_id
     where o.campaign_id = ${campaignId}
     order by o.id desc
     limit 1`.execute(db);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: String(r.id),
    campaignId: String(r.campaign_id),
    staffId: String(r.staff_id),
    staffUsername: r.username,
    reason: r.reason,
    redemptionIds: r.redemption_ids,
    recordedAt: r.recorded_at,
  };
}

export async function insertOverride(
  db: Db,
  o: { campaignId: string; staffId: string; reason: string; redemptionIds: string[]; at: Date },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into purge_overrides (campaign_id, staff_id, reason, redemption_ids, recorded_at)
    values (${o.campaignId}, ${o.staffId}, ${o.reason}, ${o.redemptionIds}::bigint[], ${o.at})
    returning id`.execute(db);
  return String(rows[0]!.id);
}
