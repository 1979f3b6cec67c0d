import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/**
 * The suppression list read in order (requested_at, customer_id) from a cursor, for the marketing
 * systems that pull it. A read of the erasure domain's table: it changes nothing, the push export
 * (src/erasure) keeps its own exported_at.
 */
export interface FeedRow {
  customer_id: string;
  customer_ref: string | null;
  requested_at: Date;
  /** requested_at exactly (microseconds, UTC, `2026-11-30 23:05:34.123456+00`): the cursor's position. */
  at_text: string;
  campaign: string;
}

export async function readSuppressionFeed(
  db: Db,
  q: { after: { at: string; customerId: string } | null; until: Date; limit: number; campaignSlug?: string },
): Promise<FeedRow[]> {
  let query = db
    .selectFrom('suppression_list as s')
    .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
    .select(['s.customer_id', 's.customer_ref', 's.requested_at', 'c.slug as campaign'])
    // ISO in UTC whatever the session's DateStyle and TimeZone (the cursor's check expects this form).
    .select(
      sql<string>`to_char(s.requested_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'`.as(
        'at_text',
      ),
    )
    .where('s.requested_at', '<=', q.until)
    .orderBy('s.requested_at')
    .orderBy('s.customer_id')
    .limit(q.limit);
  if (q.after) {
    const { at, customerId } = q.after;
    query = query.where((eb) =>
      eb.or([
        eb('s.requested_at', '>', sql<Date>`${at}::timestamptz`),
        eb.and([
          eb('s.requested_at', '=', sql<Date>`${at}::timestamptz`),
          eb('s.customer_id', '>', customerId),
        ]),
      ]),
    );
  }
  if (q.campaignSlug) query = query.where('c.slug', '=', q.campaignSlug);
  return query.execute();
}
