import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of the opt-out export: claim what has not been sent yet, then mark it sent. */

export interface PendingOptOut {
  customerId: string;
  campaignId: string;
  campaignSlug: string;
  customerRef: string | null;
  requestedAt: Date;
}

/** Campaigns that have opt-outs not yet exported. */
export async function listCampaignsWithPendingOptOuts(db: Db, campaignId?: string): Promise<string[]> {
  let q = db
    .selectFrom('campaigns as c')
    .select('c.id')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('suppression_list as s')
          .select(sql`1`.as('one'))
          .whereRef('s.campaign_id', '=', 'c.id')
          .where('s.exported_at', 'is', null),
      ),
    )
    .orderBy('c.id');
  if (campaignId) q = q.where('c.id', '=', campaignId);
  return (await q.execute()).map((r) => r.id);
}

/**
 * Locks up to `limit` unexported opt-outs of one campaign until the transaction ends; a concurrent
 * export skips them instead of sending them twice.
 */
export async function claimPendingOptOuts(
  trx: Db,
  campaignId: string,
  limit: number,
): Promise<PendingOptOut[]> {
  const rows = await trx
    .selectFrom('suppression_list as s')
    .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
    .select(['s.customer_id', 's.campaign_id', 'c.slug', 's.customer_ref', 's.requested_at'])
    .where('s.campaign_id', '=', campaignId)
    .where('s.exported_at', 'is', null)
    .orderBy('s.customer_id')
    .limit(limit)
    .forUpdate('s')
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    customerId: r.customer_id,
    campaignId: r.campaign_id,
    campaignSlug: r.slug,
    customerRef: r.customer_ref,
    requestedAt: r.requested_at,
  }));
}

/**
 * Marks opt-outs exported. A customer erased meanwhile keeps no customer number once it has reached
 * the other systems: the number is personal data too.
 */
export async function markOptOutsExported(
  trx: Db,
  campaignId: string,
  customerIds: string[],
  at: Date,
): Promise<void> {
  if (customerIds.length === 0) return;
  await sql`
    update suppression_list s
       set exported_at = ${at},
           customer_ref = case when c.erased_at is null then s.customer_ref end
      from customers c
     where s.campaign_id = ${campaignId} and c.campaign_id = ${campaignId}
       and c.id = s.customer_id and s.customer_id = any(${customerIds}::bigint[])`.execute(trx);
}
