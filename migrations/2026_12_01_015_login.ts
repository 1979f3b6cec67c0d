import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The login throttle's state, one row per client (an address or an IPv6 /64) and one per
    -- registration code, each keyed by its keyed digest: the times of its recent failures (at most
    -- the limit's worth). A login locks and updates both rows in its one statement (an upsert), so
    -- racing guesses wait for each other and each sees the failures of those before it, without a
    -- pending attempt committed first and without counting rows of login_attempts: every success
    -- left a dead entry in the partial index that the next count walked through.
    -- \`refused\`: whether the last attempt found the window already full (throttled or locked).
    -- \`campaign_id\`: the code's campaign (null for a client), so that a purge can remove its rows.
    create table login_throttle (
      key bytea primary key,
      campaign_id bigint,
      failures timestamptz[] not null default '{}',
      refused boolean not null default false,
      touched_at timestamptz not null
    ) with (fillfactor = 70);
    create index login_throttle_campaign_idx on login_throttle (campaign_id) where campaign_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table login_throttle`.execute(db);
}
