import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { JobDeps } from '../platform/job-deps.js';
import {
  checkCounts,
  checkDatabase,
  checkLogs,
  checkRedis,
  checkStorage,
  samplePersonalValues,
} from './purge.checks.js';
import {
  clearManifestFiles,
  clearReissueLetterFiles,
  deleteContactTraces,
  clearSuppressionRefs,
  countCampaignData,
  deleteCampaignOutbox,
  deleteLoginAttempts,
  dropEmptyPersonalPartitions,
  emptyPersonalPartitions,
  listCampaignsDueForPurge,
  listPurgedWithPartitionsLeft,
} from './purge.repo.js';
import { assessUndelivered } from './purge.guard.js';
import { PURGE_LEAD_MS } from './purge.impact.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';
import { recordPurgeReport } from './purge.record.js';
import { countCampaignJobs, deleteCampaignJobs } from './purge.redis.js';
import { buildPurgeReport, type PurgeCounts, type PurgeReport, type ReportInput } from './purge.report.js';
import { countCampaignObjects, deleteCampaignObjects } from './purge.storage.js';
import { withoutParallelWorkers } from '../platform/serial-reads.js';
import { deleteCampaignLetterTraces } from '../letters/letter-token.repo.js';

/**
 * Removes every piece of the campaign's personal data, redeemed or not: personal rows and letter
 * tokens (their partitions truncated, then dropped: no row-by-row delete, no dead tuples left behind),
 * login attempts, customer numbers of opt-outs, job intents and queued jobs, and every file of the
 * campaign in the object store (uploads, letters, manifests, exports: its whole prefix). The
 * tombstones (customers, redemptions, ledger) stay for accounting. Then it proves the result (the
 * store is listed, not a local folder) and writes the report to the database and to the store. The campaign is marked purged only
 * when every applicable check passed; otherwise an alert stays open and the next run tries again.
 * While gifts are undelivered and no supervisor's override names them, it deletes nothing and
 * writes a refusal listing them. Running it on a purged campaign does nothing but check and report.
 */
export async function purgeCampaign(deps: JobDeps, campaignId: string): Promise<PurgeReport> {
  const t0 = performance.now();
  const { phasesMs, timed } = phaseTimer();
  const startedAt = deps.now();
  const campaign = await findCampaignById(deps.db, campaignId);
  if (!campaign) throw CampaignNotFound();
  // Both only read, before anything is deleted: side by side, each on its own connection (and with
  // no parallel workers: see withoutParallelWorkers).
  const [guard, countsBefore] = await Promise.all([
    timed('undelivered', () => withoutParallelWorkers(deps.db, (db) => assessUndelivered(db, campaign))),
    timed('countBefore', () => countAll(deps, campaign)),
  ]);
  const finish = async (
    rest: Pick<ReportInput, 'sampledValues' | 'countsAfter' | 'checks' | 'partitionsDropped'>,
  ) => {
    const report = buildPurgeReport({
      campaign,
      startedAt,
      finishedAt: deps.now(),
      durationMs: Math.round(performance.now() - t0),
      phasesMs,
      countsBefore,
      guard,
      ...rest,
    });
    await recordPurgeReport(deps, campaign, report, startedAt);
    return report;
  };
  if (guard.refused) return finish({ sampledValues: 0, countsAfter: countsBefore, checks: [] });

  const samples = await timed('sample', () => samplePersonalValues(deps.db, campaign.id));
  await timed('deletePersonal', () => emptyPersonalPartitions(deps.db, campaign.id));
  const partitionsDropped = await timed('dropPartitions', () =>
    dropEmptyPersonalPartitions(deps.db, campaign.id),
  );
  await timed('deleteRest', () => deleteCampaignTraces(deps, campaign.id));

  const countsAfter = await timed('countAfter', () => countAll(deps, campaign));
  // Independent searches of different stores: side by side.
  const checks = [
    ...checkCounts(countsAfter),
    ...(await Promise.all([
      timed('checkDatabase', () => checkDatabase(deps.db, campaign.id, samples)),
      timed('checkRedis', () => checkRedis(deps.redis, samples)),
      timed('checkStorage', () => checkStorage(deps.store, campaign.id)),
      timed('checkLogs', () => checkLogs(deps.config, samples)),
    ])),
  ];
  return finish({ sampledValues: samples.length, countsAfter, checks, partitionsDropped });
}

/** Times each phase of a purge, for its report (phases run side by side overlap). */
function phaseTimer() {
  const phasesMs: Record<string, number> = {};
  const timed = async <T>(phase: keyof typeof M.steps, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    phasesMs[phase] = Math.round(performance.now() - t);
    return result;
  };
  return { phasesMs, timed };
}

/** Everything of the campaign's outside its personal partitions: rows, files and queued jobs. */
async function deleteCampaignTraces(deps: JobDeps, campaignId: string): Promise<void> {
  await deleteLoginAttempts(deps.db, campaignId);
  await clearSuppressionRefs(deps.db, campaignId);
  await deleteCampaignOutbox(deps.db, campaignId);
  await deleteCampaignObjects(deps.store, campaignId);
  await clearManifestFiles(deps.db, campaignId);
  await clearReissueLetterFiles(deps.db, campaignId);
  await deleteContactTraces(deps.db, campaignId);
  await deleteCampaignLetterTraces(deps.db, campaignId);
  await deleteCampaignJobs(deps.redis, campaignId).catch(() => undefined); // the counts then say what is left
}

/** Purges every campaign whose purge deadline is less than a day away, or past. */
export async function purgeDueCampaigns(deps: JobDeps): Promise<PurgeReport[]> {
  const due = await listCampaignsDueForPurge(deps.db, new Date(deps.now().getTime() + PURGE_LEAD_MS));
  const reports: PurgeReport[] = [];
  for (const id of due) reports.push(await purgeCampaign(deps, id));
  // Partitions emptied by an earlier run whose drop found the shared tables busy: they hold nothing.
  // A few a run, and none more once the parents are busy: each try may hold every page 200 ms.
  for (const id of await listPurgedWithPartitionsLeft(deps.db, 10)) {
    const dropped = await dropEmptyPersonalPartitions(deps.db, id).catch((err: unknown) => {
      // Not a lock: the partitions are not empty (written to after the purge). Kept, and said.
      deps.logger.warn(
        { campaignId: id, code: (err as { code?: string }).code },
        'purge: emptied partitions of a purged campaign not dropped',
      );
      return true;
    });
    if (!dropped) break;
  }
  return reports;
}

async function countAll(deps: JobDeps, campaign: CampaignRow): Promise<PurgeCounts> {
  // Three different stores: side by side.
  const [db, files, redisJobs] = await Promise.all([
    withoutParallelWorkers(deps.db, (trx) => countCampaignData(trx, campaign.id)),
    countCampaignObjects(deps.store, campaign.id),
    countCampaignJobs(deps.redis, campaign.id).catch(() => -1),
  ]);
  return {
    ...db,
    ...files,
    redis_jobs: redisJobs,
  };
}
