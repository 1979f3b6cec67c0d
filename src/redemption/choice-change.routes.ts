import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { WebContext } from '../auth/web-context.js';
import { isAppError, type AppError } from '../platform/errors.js';
import { catalogueOf, messageIn } from '../platform/http/language.js';
import { refusalError } from './choice-change.errors.js';
import { decideChange } from './choice-change.rules.js';
import { parseChange, type ChangeForm } from './choice-change.schema.js';
import { changeChoice, type ChoiceChangeRequest } from './choice-change.service.js';
import { changeableOf, changeStateOf } from './choice-change.view.js';
import type { FieldErrors } from './redemption.schema.js';
import { getCustomerStatus, type CustomerStatus } from './redemption.service.js';

/**
 * The customer's change of mind on the web: GET /my/change (the form: what can still change),
 * POST /my/change/confirm (before → after, nothing written), POST /my/change (written, then the
 * status page). A refused or invalid change shows the form again with the message and writes
 * nothing. GET of the confirm step (a reload, a new tab) goes back to the form.
 */

/** Refusals a customer can meet on the form: shown above it, not as an error page. */
const SHOWN_ON_FORM = new Set(['validation', 'conflict', 'campaign_closed', 'not_found']);

interface Failure {
  status: number;
  message: string;
  errors: FieldErrors;
}

function changePages(ctx: WebContext) {
  const { db, now } = ctx.deps;
  const status = (req: Request) => getCustomerStatus(db, req.campaign!, req.customerSession!.customerId);
  const form = (req: Request, res: Response, st: CustomerStatus, values: ChangeForm, failure?: Failure) =>
    res.status(failure?.status ?? 200).render('redemption/change', {
      csrfToken: ctx.csrfToken(req, res),
      status: st,
      changeable: changeableOf(req.campaign!, st, now()),
      form: values,
      errors: failure?.errors ?? {},
      message: failure?.message ?? null,
    });
  const refused = (res: Response, err: AppError): Failure => ({
    status: err.status,
    message: messageIn(err, catalogueOf(res)),
    errors: err.fields,
  });
  const invalid = (res: Response, errors: FieldErrors): Failure => ({
    status: 400,
    message: catalogueOf(res).common.checkInput,
    errors,
  });
  return { status, form, refused, invalid };
}

const requireCustomer: RequestHandler = (req, res, next) => {
  if (!res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/login`);
  next();
};

/** The rules' verdict on the request before anything is written (the service decides again under lock). */
function precheck(req: Request, st: CustomerStatus, request: ChoiceChangeRequest, at: Date): AppError | null {
  const state = changeStateOf(req.campaign!, st, at);
  if (!state) return null;
  const d = decideChange(state, {
    option: request.option,
    dataChoice: request.dataChoice,
    addressChange: request.shipping !== undefined,
  });
  return d.ok ? null : refusalError(d.refusal);
}

/** Added to the campaign's router (a new one without). */
export function choiceChangeRoutes(ctx: WebContext, router = Router({ mergeParams: true })): Router {
  const pages = changePages(ctx);
  const myPage = (req: Request) => `/c/${req.campaign!.slug}/my`;

  router.get('/my/change', requireCustomer, async (req, res) => {
    const st = await pages.status(req);
    if (!st.redemption) return res.redirect(303, myPage(req));
    pages.form(req, res, st, {});
  });
  router.get('/my/change/confirm', requireCustomer, (req, res) => res.redirect(303, `${myPage(req)}/change`));

  router.post('/my/change/confirm', requireCustomer, async (req, res) => {
    const st = await pages.status(req);
    if (!st.redemption) return res.redirect(303, myPage(req));
    const parsed = parseChange(catalogueOf(res), req.campaign!.def, req.body);
    if (!parsed.ok) return pages.form(req, res, st, parsed.form, pages.invalid(res, parsed.errors));
    const refusal = precheck(req, st, parsed.request, ctx.deps.now());
    if (refusal) return pages.form(req, res, st, parsed.form, pages.refused(res, refusal));
    res.render('redemption/change-confirm', {
      csrfToken: ctx.csrfToken(req, res),
      status: st,
      request: parsed.request,
      form: parsed.form,
    });
  });

  router.post('/my/change', requireCustomer, async (req, res) => {
    const st = await pages.status(req);
    if (!st.redemption) return res.redirect(303, myPage(req));
    const parsed = parseChange(catalogueOf(res), req.campaign!.def, req.body);
    if (!parsed.ok) return pages.form(req, res, st, parsed.form, pages.invalid(res, parsed.errors));
    if (req.body?.action === 'back') return pages.form(req, res, st, parsed.form);
    try {
      await changeChoice(ctx.deps, req.campaign!, st.customerId, parsed.request, 'web');
    } catch (err) {
      if (!isAppError(err) || !SHOWN_ON_FORM.has(err.code)) throw err;
      return pages.form(req, res, await pages.status(req), parsed.form, pages.refused(res, err));
    }
    // Post/redirect/get: a reload of the status page never posts the change again.
    res.redirect(303, `${myPage(req)}?changed=1`);
  });
  return router;
}
