import { Router, type Request, type Response } from 'express';
import type { OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { contactRequestRoutes } from './contact-requests.routes.js';
import { lostLetterRoutes } from './lost-letter.routes.js';
import { ContactActionTokens } from './contact-token.js';
import { actionTokenOf, requireLookupToken } from './contact-token.middleware.js';
import { requireView } from './contact-view.service.js';
import { CONTACT_TEXT } from './contact.messages.js';
import { contactPages, REFUSALS, type ContactPages, type Flash } from './contact.pages.js';
import { ActionSchema, ConfirmedActionSchema, customerIdParam, LookupSchema } from './contact.schema.js';
import {
  erasurePlan,
  lookUpCustomer,
  recordOptOut,
  requestErasure,
  requestReissue,
  type ErasureOutcome,
} from './contact.service.js';
import { registrationCodeByReference } from '../redemption/receipt.service.js';

const erasureNotice = (o: ErasureOutcome) =>
  o.kind === 'awaiting_approval'
    ? CONTACT_TEXT.erasureRequested
    : o.kind === 'after_delivery'
      ? CONTACT_TEXT.erasureAfterDelivery
      : o.kind === 'already_scheduled'
        ? CONTACT_TEXT.erasureAlreadyScheduled
        : CONTACT_TEXT.erasureApproved(o.receipt);

/** The look-up by registration code: the masked record, or the form again with why not. */
function lookupRoute(router: Router, ctx: OpsContext, tokens: ContactActionTokens, pages: ContactPages) {
  const form: FormRenderer = (req, res, failure) =>
    pages.form(
      req,
      res,
      { message: failure.message, errors: failure.fields, form: req.body ?? {} },
      failure.status,
    );
  opsRoute(
    router,
    'post',
    '/contact/lookup',
    'contact',
    validate(LookupSchema, form),
    async (req, res) => {
      const { registrationCode: typed, reason } = validated(res, LookupSchema);
      // A receipt's reference number (受付番号) finds the same customer as their registration code.
      const registrationCode = (await registrationCodeByReference(ctx.deps, typed)) ?? typed;
      const found = await lookUpCustomer(
        ctx.deps,
        tokens,
        { staffId: req.staff!.id, reason },
        registrationCode,
      );
      pages.customer(req, res, { view: found.view, token: found.token, reason });
    },
    rerenderOn(['not_found', ...REFUSALS], form),
  );
}

interface ActionRequest {
  staffId: string;
  customerId: string;
  token: string;
  reason: string;
}

type ActionHandler = (req: Request, res: Response, a: ActionRequest) => Promise<void>;

interface ActionKit {
  route(path: string, action: string, schema: ActionForm, handle: ActionHandler): void;
  /** The record again (covered by the look-up's audit entry), with what happened. */
  again(req: Request, res: Response, flash: Flash, status?: number): Promise<void>;
}

type ActionForm = typeof ActionSchema | typeof ConfirmedActionSchema;

/**
 * How an action on a looked-up customer is routed: it carries the look-up's token and a reason; a
 * refused one shows the record again with why, a form bad past the browser goes back to the
 * look-up form.
 */
function actionKit(
  router: Router,
  ctx: OpsContext,
  tokens: ContactActionTokens,
  pages: ContactPages,
): ActionKit {
  const { deps } = ctx;
  const actionOf = (req: Request, res: Response): ActionRequest => ({
    staffId: req.staff!.id,
    customerId: customerIdParam(req.params.customerId),
    token: actionTokenOf(req) as string,
    reason: validated(res, ActionSchema).reason,
  });
  /** The record again (covered by the look-up's audit entry), with what happened. */
  const again = async (req: Request, res: Response, flash: Flash, status = 200) => {
    const a = actionOf(req, res);
    const view = await requireView(deps.db, a.customerId);
    pages.customer(req, res, { view, token: a.token, reason: a.reason, ...flash }, status);
  };
  const badForm: FormRenderer = (req, res, failure) =>
    pages.form(req, res, { message: failure.message, errors: failure.fields }, failure.status);
  const refused: FormRenderer = (req, res, failure) =>
    again(req, res, { message: failure.message, errors: failure.fields }, failure.status);

  const route = (path: string, action: string, schema: ActionForm, handle: ActionHandler) =>
    opsRoute(
      router,
      'post',
      `/contact/customers/:customerId/${path}`,
      'contact',
      requireLookupToken(ctx, tokens, pages, action, (req) => customerIdParam(req.params.customerId)),
      validate(schema, badForm),
      (req, res) => handle(req, res, actionOf(req, res)),
      rerenderOn(REFUSALS, refused),
    );
  return { route, again };
}

/** Stop marketing, erase (after a confirmation), reissue a lost letter. */
function actionRoutes(router: Router, ctx: OpsContext, tokens: ContactActionTokens, pages: ContactPages) {
  const { deps } = ctx;
  const { route, again } = actionKit(router, ctx, tokens, pages);

  route('opt-out', 'opt_out', ActionSchema, async (req, res, a) => {
    const outcome = await recordOptOut(deps, a, a.customerId);
    await again(req, res, {
      notice: outcome === 'added' ? CONTACT_TEXT.optOutAdded : CONTACT_TEXT.optOutAlready,
    });
  });

  route('erasure', 'erasure', ActionSchema, async (req, res, a) => {
    if (req.body?.confirm !== 'yes') {
      // No registration code and nothing personal here: the step changes nothing.
      const plan = await erasurePlan(deps.db, a.customerId);
      return pages.erasureConfirm(req, res, {
        customerId: a.customerId,
        token: a.token,
        plan,
        reason: a.reason,
      });
    }
    await again(req, res, { notice: erasureNotice(await requestErasure(deps, a, a.customerId)) });
  });

  route('reissue', 'reissue', ConfirmedActionSchema, async (req, res, a) => {
    await requestReissue(deps, a, a.customerId);
    await again(req, res, { notice: CONTACT_TEXT.reissueRequested });
  });
}

/**
 * The contact centre: look a customer up by registration code (masked, audited, within an hourly
 * limit per staff member), and record what they ask for by phone — stop marketing, erase, reissue a
 * lost letter. Lookups are POSTs: the code and the reason stay out of URLs and logs. Every action
 * carries the token of the staff member's own look-up of that customer (10 minutes): without it,
 * 403, audited. Erasing at once and reissuing a letter only open a request for a second person
 * (contact-requests.routes.ts); no login key ever reaches this browser.
 */
export function contactRoutes(ctx: OpsContext): Router {
  const router = Router();
  const tokens = new ContactActionTokens(ctx.deps.config.STAFF_SESSION_SECRET);
  const pages = contactPages(ctx);
  opsRoute(router, 'get', '/contact', 'contact', (req, res) => pages.form(req, res));
  lookupRoute(router, ctx, tokens, pages);
  actionRoutes(router, ctx, tokens, pages);
  router.use(contactRequestRoutes(ctx, tokens, pages));
  router.use(lostLetterRoutes(ctx, tokens, pages));
  return router;
}
