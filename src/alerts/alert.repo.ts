import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

export interface AlertToRaise {
  campaignId: string | null;
  kind: string;
  /** What the banner says: counts, kinds, dates and slugs, never a customer's personal value. */
  message: string;
  at: Date;
}

export interface AlertResolution {
  kinds: readonly string[];
  /** Alerts of these kinds that are still true: left open. */
  keep: readonly { campaignId: string; kind: string }[];
  at: Date;
  /** Limits the resolution to one campaign's alerts. */
  campaignId?: string;
}

/** Raises the alert, or refreshes the message of the one already open (one open alert per campaign and kind). */
export async function upsertOpenAlert(db: Db, alert: AlertToRaise): Promise<void> {
  await sql`
    insert into alerts (campaign_id, kind, message, raised_at)
    values (${alert.campaignId}, ${alert.kind}, ${alert.message}, ${alert.at})
    on conflict ((coalesce(campaign_id, 0)), kind) where resolved_at is null
    do update set message = excluded.message`.execute(db);
}

/** Resolves the open alerts of these kinds (for one campaign, when given) except those still in `keep`. */
export async function resolveAlertsExcept(db: Db, opts: AlertResolution): Promise<number> {
  const scope = opts.campaignId ? sql`and a.campaign_id = ${opts.campaignId}` : sql``;
  const result = await sql`
    update alerts a set resolved_at = ${opts.at}
     where a.resolved_at is null and a.kind = any(${opts.kinds}::text[]) ${scope}
       and (coalesce(a.campaign_id, 0), a.kind) not in (
         select k.campaign_id, k.kind
           from unnest(${opts.keep.map((k) => k.campaignId)}::bigint[], ${opts.keep.map((k) => k.kind)}::text[])
             as k(campaign_id, kind))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface OpenAlert {
  id: string;
  campaignId: string | null;
  campaignSlug: string | null;
  kind: string;
  message: string;
  raisedAt: Date;
}

/** The operators' banner: every open alert, oldest first. */
export async function findOpenAlerts(db: Db): Promise<OpenAlert[]> {
  const rows = await db
    .selectFrom('alerts as a')
    .leftJoin('campaigns as c', 'c.id', 'a.campaign_id')
    .select(['a.id', 'a.campaign_id', 'c.slug', 'a.kind', 'a.message', 'a.raised_at'])
    .where('a.resolved_at', 'is', null)
    .orderBy('a.raised_at')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    campaignSlug: r.slug,
    kind: r.kind,
    message: r.message,
    raisedAt: r.raised_at,
  }));
}

/** The open alert of this kind for one campaign (the pools page shows it). */
export async function findOpenAlert(
  db: Db,
  campaignId: string,
  kind: string,
): Promise<{ message: string; raised_at: Date } | undefined> {
  return db
    .selectFrom('alerts')
    .select(['message', 'raised_at'])
    .where('campaign_id', '=', campaignId)
    .where('kind', '=', kind)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
}
