import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { findCampaignBySlug } from '../campaigns/campaign.repo.js';
import { donationReport } from '../fulfilment/donation.service.js';
import { fulfilPending } from '../fulfilment/fulfilment.service.js';
import { createEmoneySources } from '../fulfilment/emoney/sources.js';
import { importShippedFile, markBatchShipped } from '../fulfilment/shipping.service.js';
import { isAppError } from '../platform/errors.js';
import { loadCliConfig } from './cli-config.js';
import { createDb, createPool } from '../platform/db.js';
import type { JobDeps } from '../platform/job-deps.js';
import { createProcessLogger } from '../platform/logger.js';
import { relayOnce } from '../platform/outbox/relay.js';
import { createObjectStore } from '../platform/storage/storage.config.js';
import { errorKind, UserFacingError } from '../platform/safe-errors.js';
import { createHandlers, isJobName } from './job-handlers.js';
import { closeQueues, createQueues, queueSink } from '../platform/queue-connections.js';
import { createRedis } from '../platform/redis-connection.js';

/**
 * `npm run job -- NAME [--batch N] [--file F] [--campaign SLUG]`: runs one job now, in this process,
 * and prints what it did. Without DATABASE_URL / REDIS_URL (or REDIS_SENTINELS) it uses the ones
 * `npm start` runs.
 */
const USAGE = `usage: npm run job -- NAME
  fulfil              deliver every pending e-money and donation gift
  cut-batches         cut book-card shipping batches and write their manifests
  ship --batch ID     mark a shipping batch shipped (fulfils its book cards)
  import-shipped --file F   import the vendor's shipped file (batch,line,tracking_number)
  erase               erase customers who asked, once their gift is delivered
  close               close campaigns whose procedure deadline has passed
  check-deadlines     raise alerts for anything that would outlive the purge deadline
  purge               purge campaigns whose purge deadline has come
  export-suppression  export marketing opt-outs for the company's other systems
  check-pool-stock    raise or resolve low-stock alerts of e-money pools
  export-audit-head   append the audit chain's head to AUDIT_HEAD_FILE
  sweep-uploads       delete orphaned uploads (temporary files older than a day, stored CSVs no run reads)
  relay               hand committed job intents to the queue
  donations --campaign SLUG   donation count and total`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { batch: { type: 'string' }, file: { type: 'string' }, campaign: { type: 'string' } },
});
const name = positionals[0];
if (!name) {
  console.error(USAGE);
  process.exit(64);
}

const config = loadCliConfig();
const pool = createPool(config.DATABASE_URL, 4);
const redis = createRedis(config, 'cli');
const deps: JobDeps = {
  config,
  pool,
  db: createDb(pool),
  logger: createProcessLogger({ ...config, LOG_LEVEL: 'warn' }),
  store: createObjectStore(config),
  now: () => new Date(),
  redis,
};

async function run(): Promise<unknown> {
  const sources = createEmoneySources(config, deps.db, deps.now);
  const handlers = createHandlers(deps, sources);
  switch (name) {
    case 'fulfil':
      // Everything pending, however fresh (the scheduled safety net waits for older gifts only).
      return fulfilPending(deps, sources);
    case 'ship':
      if (!values.batch) throw new UserFacingError('ship needs --batch ID');
      return markBatchShipped(deps, values.batch);
    case 'import-shipped':
      if (!values.file) throw new UserFacingError('import-shipped needs --file F');
      return importShippedFile(deps, createReadStream(values.file));
    case 'donations': {
      const campaign = values.campaign ? await findCampaignBySlug(deps.db, values.campaign) : undefined;
      if (!campaign) throw new UserFacingError('donations needs --campaign SLUG of an existing campaign');
      return donationReport(deps.db, campaign.id);
    }
    case 'relay': {
      const { queues, connection } = createQueues(config);
      try {
        let total = 0;
        for (let n; (n = await relayOnce(deps.db, queueSink(queues), deps.now)) > 0;) total += n;
        return { relayed: total };
      } finally {
        await closeQueues(queues, connection);
      }
    }
    default:
      if (name === 'fulfil-pending' || !isJobName(name!, handlers))
        throw new UserFacingError(`unknown job ${name}\n${USAGE}`);
      if (name === 'purge' || name === 'check-deadlines') await redis.connect().catch(() => undefined);
      return (handlers[name] as (d: object) => Promise<unknown>)({});
  }
}

try {
  const result = await run();
  console.log(JSON.stringify({ job: name, result }, null, 2));
} catch (err) {
  // A message of our own is shown; any other may quote personal data (a database error's values).
  const shown =
    err instanceof UserFacingError ? err.message : isAppError(err) ? err.publicMessage : errorKind(err);
  console.error(`job ${name} failed: ${shown}`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await deps.db.destroy();
}
