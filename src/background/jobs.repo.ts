import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

export interface OutboxBacklog {
  /** Intents not handed to BullMQ yet. */
  pending: number;
  /** When the oldest of them was recorded; null when there are none. */
  oldestAt: Date | null;
}

/** The outbox's backlog, from the partial index on unrelayed intents. */
export async function outboxBacklog(db: Db): Promise<OutboxBacklog> {
  const { rows } = await sql<{ pending: number; oldest_at: Date | null }>`
    select (select count(*) from outbox where relayed_at is null)::int as pending,
           (select created_at from outbox where relayed_at is null order by id limit 1) as oldest_at`.execute(
    db,
  );
  return { pending: rows[0]?.pending ?? 0, oldestAt: rows[0]?.oldest_at ?? null };
}
