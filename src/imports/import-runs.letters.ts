import type { Readable } from 'node:stream';
import { recordAudit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import { claimLetters, findImportRun, findLettersDownloads, releaseLetters } from './import-runs.repo.js';
import { ImportRunNotFound, LettersNotReady, LettersUnreadable, NoLetters } from './imports.errors.js';
import { IMPORT_TEXT } from './imports.messages.js';

/**
 * The letter print file is handed out once: the download is claimed (and audited as an export) in
 * one transaction, the file is streamed, then deleted; after that no login key exists anywhere. An
 * interrupted transfer gives the claim back, so the letters are never lost to a dropped connection.
 */
export type LettersClaim =
  | { kind: 'ok'; file: string; claimedAt: Date; imported: number }
  | { kind: 'already'; at: Date; by: string | null };

type Deps = Pick<AppDeps, 'db' | 'store' | 'now'>;
export interface LettersRequest {
  campaignId: string;
  runId: string;
  staffId: string;
}

/** Refuses while the run is not finished (LettersNotReady) and when it has no letters (NoLetters). */
export async function claimLettersDownload(deps: Deps, input: LettersRequest): Promise<LettersClaim> {
  const run = await findImportRun(deps.db, input.runId);
  if (!run || run.campaign_id !== input.campaignId) throw ImportRunNotFound();
  const already = async (): Promise<LettersClaim> => {
    const fresh = (await findImportRun(deps.db, input.runId))!;
    const who = (await findLettersDownloads(deps.db, [input.runId])).get(input.runId);
    return {
      kind: 'already',
      at: fresh.letters_downloaded_at ?? who?.at ?? deps.now(),
      by: who ? IMPORT_TEXT.downloadedBy(who.staffName, who.username) : null,
    };
  };
  if (run.letters_downloaded_at) return already();
  if (run.state === 'queued' || run.state === 'running') throw LettersNotReady();
  if (!run.letters_file) throw NoLetters();
  const at = deps.now();
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const c = await claimLetters(trx, input.runId, input.campaignId, at);
    if (!c) return undefined;
    await recordAudit(
      trx,
      {
        staffId: input.staffId,
        action: 'campaign.letters_export',
        targetType: 'import_run',
        targetId: input.runId,
        campaignId: input.campaignId,
        details: { letters: c.imported },
      },
      at,
    );
    return c;
  });
  if (!claimed) return already();
  return { kind: 'ok', file: claimed.letters_file, claimedAt: at, imported: claimed.imported };
}

/**
 * The claimed file, streaming from storage (any web process serves it, whichever wrote it); when it
 * cannot be opened the claim is given back.
 */
export async function openClaimedLetters(
  deps: Deps,
  input: LettersRequest,
  claim: { file: string; claimedAt: Date },
): Promise<Readable> {
  return deps.store.get(claim.file, { sensitive: true }).catch(async (err: unknown) => {
    const code = (err as { code?: unknown }).code;
    await releaseLettersDownload(deps, {
      ...input,
      claimedAt: claim.claimedAt,
      reason: typeof code === 'string' ? code : 'open_failed',
    });
    throw LettersUnreadable(err);
  });
}

/** Delivered: the file goes, and with it the last copy of the login keys. */
export async function completeLettersDownload(deps: Pick<AppDeps, 'store'>, file: string): Promise<void> {
  await deps.store.delete(file);
}

export async function releaseLettersDownload(
  deps: Deps,
  input: LettersRequest & { claimedAt: Date; reason: string },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await releaseLetters(trx, input.runId, input.claimedAt);
    await recordAudit(
      trx,
      {
        staffId: input.staffId,
        action: 'campaign.letters_export_interrupted',
        targetType: 'import_run',
        targetId: input.runId,
        campaignId: input.campaignId,
        details: { reason: input.reason },
      },
      deps.now(),
    );
  });
}
