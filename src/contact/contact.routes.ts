import { Router, type Request, type Response } from 'express';
import type { OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkActionToken } from './contact-guard.service.js';
import { contactRequestRoutes } from './contact-requests.routes.js';
import { ContactActionTokens } from './contact-token.js';
import { CONTACT_TEXT } from './contact.messages.js';
import { contactPages, refusalOf } from './contact.pages.js';
import {
  ActionSchema,
  ConfirmedActionSchema,
  customerIdParam,
  fieldErrors,
  LookupSchema,
} from './contact.schema.js';
import {
  erasurePlan,
  lookUpCustomer,
  recordOptOut,
  requestErasure,
  requestReissue,
  type ErasureOutcome,
} from './contact.service.js';
import { requireView } from './contact.view.js';

const erasureNotice = (o: ErasureOutcome) =>
  o.kind === 'awaiting_approval'
    ? CONTACT_TEXT.erasureRequested
    : o.kind === 'after_delivery'
      ? CONTACT_TEXT.erasureAfterDelivery
      : o.kind === 'already_scheduled'
        ? CONTACT_TEXT.erasureAlreadyScheduled
        : CONTACT_TEXT.erasureApproved(o.receipt);

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
  const { deps } = ctx;
  const tokens = new ContactActionTokens(deps.config.STAFF_SESSION_SECRET);
  const pages = contactPages(ctx);

  /**
   * The customer named in the path, if the request carries this staff member's look-up token for
   * them; otherwise the refusal is audited and answered (403) here.
   */
  const authorised = async (req: Request, res: Response, action: string) => {
    const customerId = customerIdParam(req.params.customerId);
    const token = (req.body as Record<string, unknown> | undefined)?.actionToken;
    if (await checkActionToken(deps, tokens, { staffId: req.staff!.id, customerId, action, token }))
      return { customerId, token: token as string };
    pages.form(req, res, { message: CONTACT_TEXT.tokenRefused }, 403);
    return undefined;
  };

  /** Parses an action's form; a bad one goes back to the look-up form (only possible past the browser). */
  const parse = <T extends typeof ActionSchema | typeof ConfirmedActionSchema>(
    req: Request,
    res: Response,
    schema: T,
  ) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) return parsed.data;
    pages.form(req, res, { message: CONTACT_TEXT.checkInput, errors: fieldErrors(parsed.error.issues) }, 400);
    return undefined;
  };

  /** The record again (covered by the look-up's audit entry), with what happened. */
  const again = async (
    req: Request,
    res: Response,
    a: { customerId: string; token: string },
    reason: string,
    flash: { notice?: string; message?: string; errors?: Record<string, string> },
    status = 200,
  ) =>
    pages.customer(
      req,
      res,
      { view: await requireView(deps.db, a.customerId), token: a.token, reason, ...flash },
      status,
    );

  /** A refused action: the record again, with why. */
  const refuse = async (
    req: Request,
    res: Response,
    a: { customerId: string; token: string },
    reason: string,
    err: unknown,
  ) => {
    const r = refusalOf(err);
    await again(req, res, a, reason, { message: r.message, errors: r.errors }, r.status);
  };

  opsRoute(router, 'get', '/contact', 'contact', (req, res) => pages.form(req, res));

  opsRoute(router, 'post', '/contact/lookup', 'contact', async (req, res) => {
    const parsed = LookupSchema.safeParse(req.body ?? {});
    const form = req.body ?? {};
    if (!parsed.success)
      return pages.form(
        req,
        res,
        { message: CONTACT_TEXT.checkInput, errors: fieldErrors(parsed.error.issues), form },
        400,
      );
    const { registrationCode, reason } = parsed.data;
    try {
      const found = await lookUpCustomer(deps, tokens, { staffId: req.staff!.id, reason }, registrationCode);
      if (found.kind === 'missing')
        return pages.form(
          req,
          res,
          { message: CONTACT_TEXT.notFound, errors: { registrationCode: CONTACT_TEXT.notFoundField }, form },
          404,
        );
      if (found.kind === 'refused')
        return pages.form(req, res, { message: found.message, errors: { reason: found.message }, form }, 400);
      pages.customer(req, res, { view: found.view, token: found.token, reason });
    } catch (err) {
      const r = refusalOf(err);
      pages.form(req, res, { message: r.message, form }, r.status);
    }
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/opt-out', 'contact', async (req, res) => {
    const a = await authorised(req, res, 'opt_out');
    const data = a && parse(req, res, ActionSchema);
    if (!a || !data) return;
    try {
      const outcome = await recordOptOut(deps, { staffId: req.staff!.id, reason: data.reason }, a.customerId);
      await again(req, res, a, data.reason, {
        notice: outcome === 'added' ? CONTACT_TEXT.optOutAdded : CONTACT_TEXT.optOutAlready,
      });
    } catch (err) {
      await refuse(req, res, a, data.reason, err);
    }
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/erasure', 'contact', async (req, res) => {
    const a = await authorised(req, res, 'erasure');
    const data = a && parse(req, res, ActionSchema);
    if (!a || !data) return;
    try {
      if (req.body?.confirm !== 'yes') {
        // No registration code and nothing personal here: the step changes nothing.
        const plan = await erasurePlan(deps.db, a.customerId);
        return pages.erasureConfirm(req, res, {
          customerId: a.customerId,
          token: a.token,
          plan,
          reason: data.reason,
        });
      }
      const outcome = await requestErasure(
        deps,
        { staffId: req.staff!.id, reason: data.reason },
        a.customerId,
      );
      await again(req, res, a, data.reason, { notice: erasureNotice(outcome) });
    } catch (err) {
      await refuse(req, res, a, data.reason, err);
    }
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/reissue', 'contact', async (req, res) => {
    const a = await authorised(req, res, 'reissue');
    const data = a && parse(req, res, ConfirmedActionSchema);
    if (!a || !data) return;
    try {
      await requestReissue(deps, { staffId: req.staff!.id, reason: data.reason }, a.customerId);
      await again(req, res, a, data.reason, { notice: CONTACT_TEXT.reissueRequested });
    } catch (err) {
      await refuse(req, res, a, data.reason, err);
    }
  });

  router.use(contactRequestRoutes(ctx, tokens, pages));
  return router;
}
