import { Router, type Request, type Response } from 'express';
import { can } from '../operators/permissions.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { validate, validated, type FormFailure, type FormRenderer } from '../platform/http/validate.js';
import { checkCsrf, multipartFields } from '../operators/uploads.js';
import { EDITABLE_STATES, readForm, type CampaignForm, type FormField } from './campaign-admin.fields.js';
import { emptyCampaignForm, formatCampaignForm, formErrorsFromDefinition } from './campaign-admin.format.js';
import { campaignFromParam, rerenderRefusals } from './campaign-admin.params.js';
import { readConfirmations, type ChangeCheck, type ChangeWarning } from './campaign-admin.safety.js';
import {
  CampaignEditFormSchema,
  NewCampaignFormSchema,
  type ParsedCampaignForm,
} from './campaign-admin.schema.js';
import {
  createCampaign,
  listCampaigns,
  updateCampaign,
  type CampaignChange,
  type SaveResult,
} from './campaign-admin.service.js';
import { FORM_LABELS, SAFETY_TEXT, STATE_LABELS } from './campaign.messages.js';
import type { CampaignRow } from './campaign.table.js';

/**
 * The console's campaign section (menu link /ops/campaigns): the list, the campaign form (create and
 * edit), and below each campaign its customer imports and e-money pools.
 */
export function campaignAdminRoutes(ctx: OpsContext, checks: readonly ChangeCheck[]): Router {
  const router = Router();
  // The campaign form is multipart (its texts outgrow the app-wide urlencoded limits).
  checkCsrfAfterUpload(/^\/ops\/campaigns\/?$/);
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/?$/);
  listRoute(router, ctx);
  newCampaignRoutes(router, ctx, checks);
  editCampaignRoutes(router, ctx, checks);
  return router;
}

interface FormLocals {
  campaign: CampaignRow | null;
  form: CampaignForm;
  errors?: Partial<Record<FormField, string>>;
  message?: string | null;
  saved?: boolean;
  warnings?: ChangeWarning[];
}

function renderForm(ctx: OpsContext, req: Request, res: Response, locals: FormLocals, status = 200) {
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
}

/** The form as posted; when editing, with the campaign's own slug (it cannot change). */
const postedForm = (req: Request, campaign: CampaignRow | null): CampaignForm =>
  campaign ? { ...readForm(req.body), slug: campaign.slug } : readForm(req.body);

/**
 * The form again with what was typed and a message beside each field concerned. A refusal that
 * names no field (a purged campaign) is not about the form: the error page shows it.
 */
function refusedForm(
  ctx: OpsContext,
  campaignOf: (req: Request) => Promise<CampaignRow | null>,
): FormRenderer {
  return async (req, res, failure: FormFailure) => {
    if (Object.keys(failure.fields).length === 0) throw failure.error;
    const campaign = await campaignOf(req);
    const errors = formErrorsFromDefinition(failure.fields);
    const locals = { campaign, form: postedForm(req, campaign), errors, message: failure.message };
    renderForm(ctx, req, res, locals, failure.status);
  };
}

/** A save that still waits for the operator's confirmation shows the form with the warnings (409). */
function renderSaved(
  ctx: OpsContext,
  req: Request,
  res: Response,
  campaign: CampaignRow | null,
  result: SaveResult,
) {
  if ('confirm' in result) {
    const form = postedForm(req, campaign);
    const locals = { campaign, form, warnings: result.confirm, message: SAFETY_TEXT.needsConfirmation };
    return renderForm(ctx, req, res, locals, 409);
  }
  res.redirect(303, `/ops/campaigns/${result.saved.id}/edit?saved=1`);
}

const changeOf = (
  ctx: OpsContext,
  req: Request,
  parsed: ParsedCampaignForm,
  checks: readonly ChangeCheck[],
): CampaignChange => ({
  staffId: req.staff!.id,
  definition: parsed.definition,
  state: parsed.state,
  at: ctx.deps.now(),
  confirmations: readConfirmations(req.body),
  checks,
});

function listRoute(router: Router, ctx: OpsContext): void {
  opsRoute(router, 'get', '/campaigns', 'campaigns', async (req, res) =>
    renderOps(ctx, req, res, 'campaigns/list', {
      campaigns: await listCampaigns(ctx.deps.db),
      stateLabels: STATE_LABELS,
      mayImport: can(req.staff!.role, 'imports'),
      mayPool: can(req.staff!.role, 'pools'),
    }),
  );
}

function newCampaignRoutes(router: Router, ctx: OpsContext, checks: readonly ChangeCheck[]): void {
  const refused = refusedForm(ctx, async () => null);
  opsRoute(router, 'get', '/campaigns/new', 'campaigns', (req, res) =>
    renderForm(ctx, req, res, { campaign: null, form: emptyCampaignForm() }),
  );
  opsRoute(
    router,
    'post',
    '/campaigns',
    'campaigns',
    multipartFields(),
    checkCsrf(ctx),
    validate(NewCampaignFormSchema, refused),
    async (req, res) => {
      const parsed = validated(res, NewCampaignFormSchema);
      const result = await createCampaign(ctx.deps.db, changeOf(ctx, req, parsed, checks));
      renderSaved(ctx, req, res, null, result);
    },
    rerenderRefusals(['validation', 'conflict'], refused),
  );
}

function editCampaignRoutes(router: Router, ctx: OpsContext, checks: readonly ChangeCheck[]): void {
  const refused = refusedForm(ctx, (req) => campaignFromParam(ctx, req));
  opsRoute(router, 'get', '/campaigns/:id/edit', 'campaigns', async (req, res) => {
    const campaign = await campaignFromParam(ctx, req);
    const form = formatCampaignForm(campaign.definition, campaign.state);
    renderForm(ctx, req, res, { campaign, form, saved: req.query.saved === '1' });
  });
  opsRoute(
    router,
    'post',
    '/campaigns/:id',
    'campaigns',
    multipartFields(),
    checkCsrf(ctx),
    validate(CampaignEditFormSchema, refused),
    async (req, res) => {
      const campaign = await campaignFromParam(ctx, req);
      const { definition, state } = validated(res, CampaignEditFormSchema);
      const parsed = { definition: { ...definition, slug: campaign.slug }, state };
      const result = await updateCampaign(ctx.deps.db, campaign.id, changeOf(ctx, req, parsed, checks));
      renderSaved(ctx, req, res, campaign, result);
    },
    rerenderRefusals(['validation', 'conflict'], refused),
  );
}
