import { Router, type Request, type Response } from 'express';
import { OVERRIDE_REASON_MIN, recordPurgeOverrideAtomically } from './purge-override.service.js';
import { PURGE_MESSAGES } from './purge.messages.js';
import { purgeStatus } from './purge.status.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { rerenderOn, type FormRenderer } from '../platform/http/validate.js';
import { STATE_LABELS } from '../campaigns/campaign-admin.form.js';
import { campaignFromParam } from '../campaigns/campaign-admin.params.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';

/** Gifts listed on the page; the purge report lists every one of them. */
const GIFTS_SHOWN = 1_000;

interface Flash {
  notice?: string;
  message?: string;
  errors?: Record<string, string>;
  reason?: string;
}

/** The purge page of a campaign, with the flash of what was just done or refused. */
function purgePage(ctx: OpsContext) {
  return async (req: Request, res: Response, campaign: CampaignRow, flash: Flash = {}, status = 200) => {
    const purge = await purgeStatus(ctx.deps.db, campaign);
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
}

const formBody = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const reasonOf = (req: Request) => {
  const reason = formBody(req).reason;
  return typeof reason === 'string' ? reason : '';
};

/**
 * The campaign's purge page (a tab of the campaign): when the purge runs, which gifts are still
 * undelivered (by redemption number), the override in force, and the form with which a supervisor
 * or an administrator records a documented override. Recording is audited.
 */
export function campaignPurgeRoutes(ctx: OpsContext): Router {
  const router = Router();
  const page = purgePage(ctx);

  opsRoute(router, 'get', '/campaigns/:id/purge', 'campaigns', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const recorded = typeof req.query.recorded === 'string' ? Number(req.query.recorded) : NaN;
    const notice = Number.isInteger(recorded) ? PURGE_MESSAGES.overrideForm.recorded(recorded) : undefined;
    await page(req, res, campaign, { notice });
  });

  // A refused override (reason, confirmation, nothing to override, already purged) shows the form again.
  const overrideForm: FormRenderer = async (req, res, failure) =>
    page(
      req,
      res,
      await campaignFromParam(ctx, req),
      { message: failure.message, errors: failure.fields, reason: reasonOf(req) },
      failure.status,
    );

  opsRoute(
    router,
    'post',
    '/campaigns/:id/purge/override',
    'campaigns',
    async (req, res) => {
      const campaign = await campaignFromParam(ctx, req);
      const { count } = await recordPurgeOverrideAtomically(ctx.deps.db, {
        campaignId: campaign.id,
        staff: { id: req.staff!.id, role: req.staff!.role },
        reason: reasonOf(req),
        confirmed: formBody(req).confirm === 'yes',
        at: ctx.deps.now(),
      });
      res.redirect(303, `/ops/campaigns/${campaign.id}/purge?recorded=${count}`);
    },
    rerenderOn(['validation', 'conflict'], overrideForm),
  );

  return router;
}
