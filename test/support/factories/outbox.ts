import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../../src/platform/deps.js';

/** A job intent written `createdAt`, relayed to the queue at `relayedAt` (null: still waiting). */
export async function buildOutboxEntry(
  deps: Pick<AppDeps, 'db'>,
  o: { createdAt: Date; relayedAt?: Date | null },
): Promise<void> {
  await deps.db
    .insertInto('outbox')
    .values({
      queue: 'fulfilment',
      job_name: 'fulfil',
      job_id: `fulfil-${randomUUID()}`,
      payload: JSON.stringify({ redemptionId: '1', campaignId: '1' }) as never,
      created_at: o.createdAt,
      relayed_at: o.relayedAt ?? null,
    })
    .execute();
}
