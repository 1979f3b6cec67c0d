import { access } from 'node:fs/promises';
import path from 'node:path';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { importUploadPath, lettersPath } from '../imports/import-runs.files.js';
import { listImportRunFiles } from '../imports/import-runs.repo.js';
import { printPath } from '../contact/contact.letter.js';
import { manifestDir, removeFile } from '../fulfilment/manifest.js';
import type { JobDeps } from '../platform/job-deps.js';
import { listMatchingFiles } from '../erasure/erasure.files.js';
import {
  checkCounts,
  checkDatabase,
  checkLogs,
  checkRedis,
  inParallel,
  samplePersonalValues,
} from './purge.checks.js';
import {
  clearManifestFiles,
  clearReissueLetterFiles,
  deleteContactTraces,
  listReissueLetterFiles,
  clearSuppressionRefs,
  countCampaignData,
  deleteCampaignOutbox,
  deleteLoginAttempts,
  deletePersonalRange,
  listCampaignsDueForPurge,
  listManifestFiles,
  personalIdRange,
} from './purge.repo.js';
import { assessUndelivered } from './purge.guard.js';
import { PURGE_LEAD_MS } from './purge.impact.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';
import { recordPurgeReport } from './purge.record.js';
import { countCampaignJobs, deleteCampaignJobs } from './purge.redis.js';
import { buildPurgeReport, type PurgeCounts, type PurgeReport, type ReportInput } from './purge.report.js';
import { suppressionDir, suppressionFilePattern } from '../erasure/suppression.service.js';

/** Customer ids per delete: each statement is short, so logins of other customers never wait long. */
export const PURGE_BATCH_IDS = 20_000n;

/**
 * Removes every piece of the campaign's personal data, redeemed or not: personal rows (in batches),
 * login attempts, customer numbers of opt-outs, job intents and queued jobs, manifest and export
 * files. The tombstones (customers, redemptions, ledger) stay for accounting. Then it proves the
 * result and writes the report to the database and to a file. The campaign is marked purged only
 * when every applicable check passed; otherwise an alert stays open and the next run tries again.
 * While gifts are undelivered and no supervisor's override names them, it deletes nothing and
 * writes a refusal listing them. Running it on a purged campaign does nothing but check and report.
 */
export async function purgeCampaign(deps: JobDeps, campaignId: string): Promise<PurgeReport> {
  const t0 = performance.now();
  const phasesMs: Record<string, number> = {};
  const timed = async <T>(phase: keyof typeof M.steps, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    phasesMs[phase] = Math.round(performance.now() - t);
    return result;
  };
  const startedAt = deps.now();
  const campaign = await findCampaignById(deps.db, campaignId);
  if (!campaign) throw CampaignNotFound();
  const guard = await timed('undelivered', () => assessUndelivered(deps.db, campaign));
  const countsBefore = await timed('countBefore', () => countAll(deps, campaign));
  const finish = async (rest: Pick<ReportInput, 'sampledValues' | 'countsAfter' | 'checks'>) => {
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
  await timed('deletePersonal', () => deletePersonalRows(deps, campaign.id));
  await timed('deleteRest', async () => {
    await deleteLoginAttempts(deps.db, campaign.id);
    await clearSuppressionRefs(deps.db, campaign.id);
    await deleteCampaignOutbox(deps.db, campaign.id);
    for (const file of await campaignFiles(deps, campaign)) await removeFile(file);
    await clearManifestFiles(deps.db, campaign.id);
    await clearReissueLetterFiles(deps.db, campaign.id);
    await deleteContactTraces(deps.db, campaign.id);
    await deleteCampaignJobs(deps.redis, campaign.id).catch(() => undefined); // the counts then say what is left
  });

  const countsAfter = await timed('countAfter', () => countAll(deps, campaign));
  const checks = [
    ...checkCounts(countsAfter),
    await timed('checkDatabase', () => checkDatabase(deps.db, campaign.id, samples)),
    await timed('checkRedis', () => checkRedis(deps.redis, samples)),
    await timed('checkLogs', () => checkLogs(deps.config, samples)),
  ];
  return finish({ sampledValues: samples.length, countsAfter, checks });
}

/** Purges every campaign whose purge deadline is less than a day away, or past. */
export async function purgeDueCampaigns(deps: JobDeps): Promise<PurgeReport[]> {
  const due = await listCampaignsDueForPurge(deps.db, new Date(deps.now().getTime() + PURGE_LEAD_MS));
  const reports: PurgeReport[] = [];
  for (const id of due) reports.push(await purgeCampaign(deps, id));
  return reports;
}

/** Primary-key ranges, two at a time: each delete is short, and two use both of the database's cores. */
async function deletePersonalRows(deps: JobDeps, campaignId: string): Promise<void> {
  const range = await personalIdRange(deps.db, campaignId);
  if (!range) return;
  const starts: bigint[] = [];
  for (let from = range.min; from <= range.max; from += PURGE_BATCH_IDS) starts.push(from);
  await inParallel(starts, 2, (from) =>
    deletePersonalRange(deps.db, campaignId, from, from + PURGE_BATCH_IDS),
  );
}

/**
 * Manifests named in the batches or lying in the manifest folder, opt-out export files, and the
 * customer uploads and letter files of import runs, still on disk.
 */
async function campaignFiles(deps: JobDeps, campaign: CampaignRow): Promise<string[]> {
  const manifests = new RegExp(`^${campaign.slug}-batch-\\d+\\.csv(\\.[0-9a-f]+\\.tmp)?$`);
  const runs = await listImportRunFiles(deps.db, campaign.id);
  const candidates = new Set([
    ...runs.flatMap((r) => [
      importUploadPath(deps.config.DATA_DIR, r.id),
      lettersPath(deps.config.DATA_DIR, r.id),
    ]),
    ...(await listManifestFiles(deps.db, campaign.id)).map((f) => path.resolve(f)),
    ...(await listMatchingFiles(manifestDir(deps.config.DATA_DIR), manifests)).map((f) => path.resolve(f)),
    ...(await listMatchingFiles(suppressionDir(deps.config.DATA_DIR), suppressionFilePattern(campaign.slug))),
    ...(await listReissueLetterFiles(deps.db, campaign.id)).map((f) => printPath(deps.config.DATA_DIR, f)),
  ]);
  const present = await Promise.all(
    [...candidates].map((f) =>
      access(f).then(
        () => f,
        () => undefined,
      ),
    ),
  );
  return present.filter((f): f is string => f !== undefined);
}

async function countAll(deps: JobDeps, campaign: CampaignRow): Promise<PurgeCounts> {
  const db = await countCampaignData(deps.db, campaign.id);
  const files = await campaignFiles(deps, campaign);
  const suppressionFiles = files.filter((f) =>
    suppressionFilePattern(campaign.slug).test(path.basename(f)),
  ).length;
  const redisJobs = await countCampaignJobs(deps.redis, campaign.id).catch(() => -1);
  return {
    ...db,
    manifest_files: files.length - suppressionFiles,
    suppression_files: suppressionFiles,
    redis_jobs: redisJobs,
  };
}
