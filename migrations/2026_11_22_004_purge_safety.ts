import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A supervisor's documented decision to purge a campaign although gifts are still undelivered.
    -- It names the gifts it accepts losing (redemption ids): a gift redeemed later is not covered.
    create table purge_overrides (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      staff_id bigint not null references staff(id),
      reason text not null check (length(btrim(reason)) > 0),
      redemption_ids bigint[] not null,
      recorded_at timestamptz not null
    );
    create index purge_overrides_campaign_idx on purge_overrides (campaign_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table purge_overrides;`.execute(db);
}
