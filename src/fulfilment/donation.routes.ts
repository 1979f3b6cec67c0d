import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { can } from '../operators/permissions.js';
import { exportDonationLedger } from './donation.export.js';
import { DONATION_TEXT } from './donation.messages.js';
import { donationLedger } from './fulfilment-admin.records.js';
import { idParam } from './fulfilment-admin.schema.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';

/**
 * The donation ledger in the console: totals per campaign and the latest entries, and per campaign
 * a CSV file for the recipient. The file is an export like the manifests: `exports`, audited.
 */
export function donationRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { deps } = ctx;

  opsRoute(router, 'get', '/fulfilment/donations', 'fulfilment', async (req, res) =>
    renderOps(ctx, req, res, 'fulfilment/donations', {
      pageTitle: DONATION_TEXT.pageTitle,
      canExport: can(req.staff!.role, 'exports'),
      ...(await donationLedger(deps.db)),
    }),
  );

  opsRoute(router, 'get', '/fulfilment/donations/:campaignId.csv', 'exports', async (req, res) => {
    const campaignId = idParam(req.params.campaignId, CampaignNotFound);
    const file = await exportDonationLedger(deps, req.staff!.id, campaignId);
    res.status(200).type('text/csv; charset=utf-8').attachment(file.filename);
    await pipeline(Readable.from(file.chunks), res);
  });

  return router;
}
