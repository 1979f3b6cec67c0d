import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { csvFileName } from '../platform/csv.js';
import { AppError, isAppError, notFound } from '../platform/errors.js';
import { campaignFromParam, isId } from '../campaigns/campaign-admin.params.js';
import { STATE_LABELS } from '../campaigns/campaign-admin.form.js';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import {
  claimLettersDownload,
  completeLettersDownload,
  releaseLettersDownload,
} from './import-runs.letters.js';
import { CUSTOMER_CSV_GUIDE, customerCsvColumnName } from './import-runs.messages.js';
import { findLettersDownloads, listImportRuns, type ImportRunListRow } from './import-runs.repo.js';
import { customerCsvSample, customerCsvTemplate } from './import-runs.sample.js';
import { startImportRun, type ImportRunReport } from './import-runs.service.js';

/** The model case is 35 million customers: the CSV may be several gigabytes. */
const MAX_CUSTOMER_CSV_BYTES = 16 * 1024 ** 3;

const RUN_STATE_LABELS: Record<ImportRunListRow['state'], string> = {
  queued: '待機中',
  running: '取り込み中',
  done: '完了',
  failed: '失敗',
};

/** Customer uploads (a job per file, with a progress bar) and the once-only letter download. */
export function importRunRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db } = ctx.deps;
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/imports\/?$/);

  const page = async (
    req: Request,
    res: Response,
    campaign: CampaignRow,
    extra: { message?: string | null; errors?: Record<string, string> } = {},
    status = 200,
  ) => {
    const runs = await listImportRuns(db, campaign.id);
    const downloads = await findLettersDownloads(
      db,
      runs.map((r) => r.id),
    );
    const view = runs.map((r) => {
      const report = (r.report ?? { expectedRows: 0 }) as ImportRunReport;
      const d = downloads.get(r.id);
      return {
        id: r.id,
        state: r.state,
        stateLabel: RUN_STATE_LABELS[r.state],
        startedBy: r.started_by_name,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
        rowsRead: r.rows_read,
        imported: r.imported,
        expectedRows: report.expectedRows,
        result: report.result ?? null,
        error: report.error ?? null,
        letters: r.letters_downloaded_at
          ? 'downloaded'
          : r.state === 'queued' || r.state === 'running'
            ? 'pending'
            : r.letters_file
              ? 'available'
              : 'none',
        downloadedAt: r.letters_downloaded_at,
        downloadedBy: d ? `${d.staffName ?? '不明'}（${d.username ?? '-'}）` : null,
      };
    });
    const active = view.some((r) => r.state === 'queued' || r.state === 'running');
    renderOps(
      ctx,
      req,
      res,
      'campaigns/imports',
      {
        campaign,
        stateLabels: STATE_LABELS,
        runs: view,
        columns: CUSTOMER_CSV_GUIDE,
        columnName: customerCsvColumnName,
        refreshSeconds: active ? 2 : null,
        message: null,
        errors: {},
        ...extra,
      },
      status,
    );
  };

  opsRoute(router, 'get', '/campaigns/:id/imports', 'imports', async (req, res) =>
    page(req, res, await campaignFromParam(ctx, req)),
  );

  /** The empty template and the fictitious sample: no personal data, so nothing to audit. */
  const sendCsv = (res: Response, name: string, body: string) =>
    res.type('text/csv; charset=utf-8').attachment(name).send(body);

  opsRoute(router, 'get', '/campaigns/:id/imports/template.csv', 'imports', async (req, res) => {
    await campaignFromParam(ctx, req);
    sendCsv(res, csvFileName('customer-csv-template'), customerCsvTemplate());
  });

  opsRoute(router, 'get', '/campaigns/:id/imports/sample.csv', 'imports', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const keys = campaign.definition.leakedItems.map((i) => i.key);
    sendCsv(res, csvFileName('customer-csv-sample', campaign.slug), customerCsvSample(keys));
  });

  opsRoute(
    router,
    'post',
    '/campaigns/:id/imports',
    'imports',
    fileUpload(ctx.deps.config.DATA_DIR, 'file', MAX_CUSTOMER_CSV_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      try {
        const campaign = await campaignFromParam(ctx, req);
        const refuse = (message: string, status = 400) =>
          page(req, res, campaign, { message, errors: { file: message } }, status);
        if (campaign.state === 'purged') return refuse('消去済みのキャンペーンには取り込めません。', 409);
        const upload = storedUpload(req);
        if (!upload) return refuse('顧客CSVファイルを選んでください。');
        if (upload.size === 0) return refuse('ファイルが空です。顧客CSVファイルを選んでください。');
        try {
          const runId = await startImportRun(ctx.deps, {
            campaignId: campaign.id,
            staffId: req.staff!.id,
            upload,
          });
          res.redirect(303, `/ops/campaigns/${campaign.id}/imports#run-${runId}`);
        } catch (err) {
          if (isAppError(err) && err.code === 'validation') return refuse(err.publicMessage);
          throw err;
        }
      } finally {
        await removeUpload(req);
      }
    },
  );

  opsRoute(router, 'post', '/campaigns/:id/imports/:runId/letters', 'exports', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const runId = req.params.runId;
    if (!isId(runId)) throw notFound('取り込み');
    const input = { campaignId: campaign.id, runId, staffId: req.staff!.id };
    const claim = await claimLettersDownload(ctx.deps, input);
    if (claim.kind === 'already') {
      return renderOps(
        ctx,
        req,
        res,
        'campaigns/letters-gone',
        { campaign, runId, at: claim.at, by: claim.by },
        410,
      );
    }
    if (claim.kind === 'unavailable') throw new AppError('conflict', claim.message);

    const release = (reason: string) =>
      releaseLettersDownload(ctx.deps, { ...input, claimedAt: claim.claimedAt, reason });
    const handle = await open(claim.file, 'r').catch(async (err: NodeJS.ErrnoException) => {
      await release(err.code ?? 'open_failed');
      throw new AppError(
        'unavailable',
        '手紙データのファイルを開けませんでした。ダウンロードは行われていません。システム管理者に連絡してください。',
        { cause: err },
      );
    });
    res.attachment(`letters-${campaign.slug}-run${runId}.csv`);
    res.type('text/csv; charset=utf-8');
    try {
      await pipeline(handle.createReadStream(), res);
    } catch (err) {
      // The operator's browser did not get the whole file: it stays, and may be downloaded again.
      await release((err as NodeJS.ErrnoException).code ?? 'interrupted');
      return;
    }
    await completeLettersDownload(claim.file);
  });

  return router;
}
