import { Router, type Request, type Response } from 'express';
import { OVERRIDE_REASON_MIN, recordPurgeOverride } from './purge-override.service.js';
import { PURGE_MESSAGES } from './purge.messages.js';
import { purgeStatus } from './purge.status.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { isAppError } from '../platform/errors.js';
import { STATE_LABELS } from '../campaigns/campaign-admin.form.js';
import { campaignFromParam } from '../campaigns/campaign-admin.params.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';

/** Gifts listed on the page; the purge report lists every one of them. */
const GIFTS_SHOWN = 1_000;

/**
 * The campaign's purge page (a tab of the campaign): when the purge runs, which gifts are still
 * undelivered (by redemption number), the override in force, and the form with which a supervisor
 * or an administrator records a documented override. Recording is audited.
 */
export function campaignPurgeRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const page = async (
    req: Request,
    res: Response,
    campaign: CampaignRow,
    flash: { notice?: string; message?: string; errors?: Record<string, string>; reason?: string } = {},
    status = 200,
  ) => {
    const purge = await purgeStatus(db, campaign);
    renderOps(
      ctx,
      req,
      res,
      'campaigns/purge',
      {
        campaign,
        stateLabels: STATE_LABELS,
        purge,
        giftsShown: purge.undelivered.gifts.slice(0, GIFTS_SHOWN),
        m: PURGE_MESSAGES,
        reasonMin: OVERRIDE_REASON_MIN,
        notice: null,
        message: null,
        errors: {},
        reason: '',
        ...flash,
      },
      status,
    );
  };

  opsRoute(router, 'get', '/campaigns/:id/purge', 'campaigns', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const recorded = typeof req.query.recorded === 'string' ? Number(req.query.recorded) : NaN;
    const notice = Number.isInteger(recorded) ? PURGE_MESSAGES.overrideForm.recorded(recorded) : undefined;
    await page(req, res, campaign, { notice });
  });

  opsRoute(router, 'post', '/campaigns/:id/purge/override', 'campaigns', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === 'string' ? body.reason : '';
    try {
      const { count } = await db.transaction().execute((trx) =>
        recordPurgeOverride(trx, {
          campaignId: campaign.id,
          staff: { id: req.staff!.id, role: req.staff!.role },
          reason,
          confirmed: body.confirm === 'yes',
          at: now(),
        }),
      );
      res.redirect(303, `/ops/campaigns/${campaign.id}/purge?recorded=${count}`);
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'validation' && err.code !== 'conflict')) throw err;
      await page(req, res, campaign, { message: err.publicMessage, errors: err.fields, reason }, err.status);
    }
  });

  return router;
}
