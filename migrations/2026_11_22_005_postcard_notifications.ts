import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A late or duplicate card is answered by post: who marked the notice sent, and when. The
    -- queue is every such card without it (one row per card, see the postcard notice repo).
    alter table postcard_entries add column notice_done_at timestamptz;
    alter table postcard_entries add column notice_done_by bigint references staff(id);
    create index postcard_entries_notice_idx on postcard_entries (campaign_id, id)
      where notice_done_at is null and outcome in ('late', 'duplicate');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index postcard_entries_notice_idx;
    alter table postcard_entries drop column notice_done_by;
    alter table postcard_entries drop column notice_done_at;
  `.execute(db);
}
