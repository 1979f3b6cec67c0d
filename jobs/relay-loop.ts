import type { Kysely } from 'kysely';
import type { Database } from '../src/platform/database.js';
import type { Logger } from '../src/platform/logger.js';
import { outboxPending } from '../src/platform/metrics.js';
import { countPending } from '../src/platform/outbox/outbox.repo.js';
import { relayOnce, type JobSink } from '../src/platform/outbox/relay.js';

/** Polls the outbox and hands intents to the queue; while Redis is down it keeps trying, quietly. */
export function startRelayLoop(
  db: Kysely<Database>,
  sink: JobSink,
  logger: Logger,
  now: () => Date,
  intervalMs = 250,
) {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      while (!stopped && (await relayOnce(db, sink, now)) > 0) {
        /* drain */
      }
      if (failing) logger.info('outbox relay: queue reachable again');
      failing = false;
    } catch (err) {
      if (!failing)
        logger.warn({ err: (err as Error).message }, 'outbox relay: queue unreachable, intents kept');
      failing = true;
      outboxPending.set(await countPending(db).catch(() => -1));
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
