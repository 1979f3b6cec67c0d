import { Router, type Request, type Response } from 'express';
import { can } from '../operators/permissions.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { isAppError } from '../platform/errors.js';
import {
  EDITABLE_STATES,
  FORM_LABELS,
  parseCampaignForm,
  readForm,
  STATE_LABELS,
  type CampaignForm,
  type FormField,
} from './campaign-admin.form.js';
import { emptyCampaignForm, formatCampaignForm, formErrorsFromDefinition } from './campaign-admin.format.js';
import { listCampaignsForOps } from './campaign-admin.repo.js';
import {
  readConfirmations,
  SAFETY_TEXT,
  type ChangeCheck,
  type ChangeWarning,
} from './campaign-admin.safety.js';
import { createCampaign, updateCampaign } from './campaign-admin.service.js';
import { checkCsrf, multipartFields } from '../operators/uploads.js';
import { campaignFromParam } from './campaign-admin.params.js';
import type { CampaignRow } from './campaign.table.js';

/**
 * The console's campaign section (menu link /ops/campaigns): the list, the campaign form (create and
 * edit), and below each campaign its customer imports and e-money pools.
 */
export function campaignAdminRoutes(ctx: OpsContext, checks: readonly ChangeCheck[]): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  // The campaign form is multipart (its texts outgrow the app-wide urlencoded limits).
  checkCsrfAfterUpload(/^\/ops\/campaigns\/?$/);
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/?$/);
  const multipart = [multipartFields(), checkCsrf(ctx)];

  const formPage = (
    req: Request,
    res: Response,
    locals: {
      campaign: CampaignRow | null;
      form: CampaignForm;
      errors?: Partial<Record<FormField, string>>;
      message?: string | null;
      saved?: boolean;
      warnings?: ChangeWarning[];
    },
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'campaigns/form',
      {
        errors: {},
        message: null,
        saved: false,
        warnings: [],
        labels: FORM_LABELS,
        states: EDITABLE_STATES,
        stateLabels: STATE_LABELS,
        ...locals,
      },
      status,
    );

  opsRoute(router, 'get', '/campaigns', 'campaigns', async (req, res) =>
    renderOps(ctx, req, res, 'campaigns/list', {
      campaigns: await listCampaignsForOps(db),
      stateLabels: STATE_LABELS,
      mayImport: can(req.staff!.role, 'imports'),
      mayPool: can(req.staff!.role, 'pools'),
    }),
  );

  opsRoute(router, 'get', '/campaigns/new', 'campaigns', (req, res) =>
    formPage(req, res, { campaign: null, form: emptyCampaignForm() }),
  );

  opsRoute(router, 'post', '/campaigns', 'campaigns', ...multipart, async (req, res) => {
    const form = readForm(req.body);
    const parsed = parseCampaignForm(form);
    if (!parsed.ok) {
      return formPage(
        req,
        res,
        { campaign: null, form, errors: parsed.errors, message: '入力内容をご確認ください。' },
        400,
      );
    }
    try {
      const result = await db.transaction().execute((trx) =>
        createCampaign(trx, {
          staffId: req.staff!.id,
          definition: parsed.definition,
          state: parsed.state,
          at: now(),
          confirmations: readConfirmations(req.body),
          checks,
        }),
      );
      if ('confirm' in result) {
        const locals = {
          campaign: null,
          form,
          warnings: result.confirm,
          message: SAFETY_TEXT.needsConfirmation,
        };
        return formPage(req, res, locals, 409);
      }
      res.redirect(303, `/ops/campaigns/${result.saved.id}/edit?saved=1`);
    } catch (err) {
      if (!isAppError(err) || Object.keys(err.fields).length === 0) throw err;
      const errors = formErrorsFromDefinition(err.fields);
      return formPage(req, res, { campaign: null, form, errors, message: err.publicMessage }, err.status);
    }
  });

  opsRoute(router, 'get', '/campaigns/:id/edit', 'campaigns', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    formPage(req, res, {
      campaign,
      form: formatCampaignForm(campaign.definition, campaign.state),
      saved: req.query.saved === '1',
    });
  });

  opsRoute(router, 'post', '/campaigns/:id', 'campaigns', ...multipart, async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const form = { ...readForm(req.body), slug: campaign.slug };
    const parsed = parseCampaignForm(form, campaign.slug);
    if (!parsed.ok) {
      return formPage(
        req,
        res,
        { campaign, form, errors: parsed.errors, message: '入力内容をご確認ください。' },
        400,
      );
    }
    try {
      const result = await db.transaction().execute((trx) =>
        updateCampaign(trx, campaign.id, {
          staffId: req.staff!.id,
          definition: parsed.definition,
          state: parsed.state,
          at: now(),
          confirmations: readConfirmations(req.body),
          checks,
        }),
      );
      if ('confirm' in result) {
        const locals = { campaign, form, warnings: result.confirm, message: SAFETY_TEXT.needsConfirmation };
        return formPage(req, res, locals, 409);
      }
    } catch (err) {
      if (!isAppError(err) || Object.keys(err.fields).length === 0) throw err;
      const errors = formErrorsFromDefinition(err.fields);
      return formPage(req, res, { campaign, form, errors, message: err.publicMessage }, err.status);
    }
    res.redirect(303, `/ops/campaigns/${campaign.id}/edit?saved=1`);
  });

  return router;
}
