import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { csvFileName } from '../platform/csv.js';
import type { FormRenderer } from '../platform/http/validate.js';
import { campaignFromParam, isId, rerenderRefusals } from '../campaigns/campaign-admin.params.js';
import { STATE_LABELS } from '../campaigns/campaign.messages.js';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import {
  claimLettersDownload,
  completeLettersDownload,
  openClaimedLetters,
  releaseLettersDownload,
} from './import-runs.letters.js';
import { importRunsForPage } from './import-runs.list.js';
import { CUSTOMER_CSV_GUIDE, customerCsvColumnName } from './import-runs.messages.js';
import { customerCsvSample, customerCsvTemplate } from './import-runs.sample.js';
import { startImportRun } from './import-runs.service.js';
import { ImportRunNotFound } from './imports.errors.js';

/** The model case is 35 million customers: the CSV may be several gigabytes. */
const MAX_CUSTOMER_CSV_BYTES = 16 * 1024 ** 3;

/** Customer uploads (a job per file, with a progress bar) and the once-only letter download. */
export function importRunRoutes(ctx: OpsContext): Router {
  const router = Router();
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/imports\/?$/);
  opsRoute(router, 'get', '/campaigns/:id/imports', 'imports', async (req, res) =>
    renderImportsPage(ctx, req, res, await campaignFromParam(ctx, req)),
  );
  csvFileRoutes(router, ctx);
  uploadRoute(router, ctx);
  lettersRoute(router, ctx);
  return router;
}

async function renderImportsPage(
  ctx: OpsContext,
  req: Request,
  res: Response,
  campaign: CampaignRow,
  extra: { message?: string | null; errors?: Record<string, string> } = {},
  status = 200,
) {
  const runs = await importRunsForPage(ctx.deps.db, campaign.id);
  const active = runs.some((r) => r.state === 'queued' || r.state === 'running');
  renderOps(
    ctx,
    req,
    res,
    'campaigns/imports',
    {
      campaign,
      stateLabels: STATE_LABELS,
      runs,
      columns: CUSTOMER_CSV_GUIDE,
      columnName: customerCsvColumnName,
      refreshSeconds: active ? 2 : null,
      message: null,
      errors: {},
      ...extra,
    },
    status,
  );
}

/** The empty template and the fictitious sample: no personal data, so nothing to audit. */
function csvFileRoutes(router: Router, ctx: OpsContext): void {
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
}

function uploadRoute(router: Router, ctx: OpsContext): void {
  /** A refused upload: the page again, with the reason above the form and beside the file field. */
  const refused: FormRenderer = async (req, res, failure) =>
    renderImportsPage(
      ctx,
      req,
      res,
      await campaignFromParam(ctx, req),
      { message: failure.message, errors: failure.fields },
      failure.status,
    );
  opsRoute(
    router,
    'post',
    '/campaigns/:id/imports',
    'imports',
    fileUpload('file', MAX_CUSTOMER_CSV_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      try {
        const campaign = await campaignFromParam(ctx, req);
        const upload = storedUpload(req);
        const runId = await startImportRun(ctx.deps, { campaign, staffId: req.staff!.id, upload });
        res.redirect(303, `/ops/campaigns/${campaign.id}/imports#run-${runId}`);
      } finally {
        await removeUpload(req);
      }
    },
    rerenderRefusals(['validation', 'conflict'], refused),
  );
}

/** The letter file, once: an interrupted transfer gives the download back. */
function lettersRoute(router: Router, ctx: OpsContext): void {
  opsRoute(router, 'post', '/campaigns/:id/imports/:runId/letters', 'exports', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const runId = req.params.runId;
    if (!isId(runId)) throw ImportRunNotFound();
    const input = { campaignId: campaign.id, runId, staffId: req.staff!.id };
    const claim = await claimLettersDownload(ctx.deps, input);
    if (claim.kind === 'already') {
      const locals = { campaign, runId, at: claim.at, by: claim.by };
      return renderOps(ctx, req, res, 'campaigns/letters-gone', locals, 410);
    }
    const letters = await openClaimedLetters(ctx.deps, input, claim);
    res.attachment(`letters-${campaign.slug}-run${runId}.csv`);
    res.type('text/csv; charset=utf-8');
    try {
      await pipeline(letters, res);
    } catch (err) {
      // The operator's browser did not get the whole file: it stays, and may be downloaded again.
      const reason = (err as NodeJS.ErrnoException).code ?? 'interrupted';
      await releaseLettersDownload(ctx.deps, { ...input, claimedAt: claim.claimedAt, reason });
      return;
    }
    await completeLettersDownload(ctx.deps, claim.file);
  });
}
