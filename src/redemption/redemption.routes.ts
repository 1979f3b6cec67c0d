import { Router, type Request, type RequestHandler, type Response } from 'express';
import { dropDeadSession } from '../auth/session.middleware.js';
import type { WebContext } from '../auth/web-context.js';
import { isAcceptingRedemptions } from '../campaigns/campaign.service.js';
import { catalogueOf } from '../platform/http/language.js';
import { rerenderOn, type FormRenderer } from '../platform/http/validate.js';
import { lookUpAddressPage } from './address-lookup.routes.js';
import { choiceChangeRoutes } from './choice-change.routes.js';
import { statusLocals } from './choice-change.view.js';
import { parseChoice, type ChoiceForm, type FieldErrors } from './redemption.schema.js';
import { completeRedemption, getStatusIfSessionLive, type CustomerStatus } from './redemption.service.js';

const requireCustomer: RequestHandler = (req, res, next) => {
  if (!res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/login`);
  next();
};

const DEFAULT_FORM: ChoiceForm = { dataChoice: 'none', addressAction: 'as_is' };

interface Refusal {
  errors: FieldErrors;
  message: string;
  status: number;
}

/** What the customer's pages share: their status, the choice form, where a decided customer goes. */
interface RedemptionPages {
  /** The status, read with the session's check; undefined (sent to log in) when the session ended. */
  status(req: Request, res: Response): Promise<CustomerStatus | undefined>;
  choose(req: Request, res: Response, st: CustomerStatus, form: ChoiceForm, refusal?: Refusal): void;
  /** Routes an already-decided customer to their status, a closed campaign to its notice. */
  elsewhere(req: Request, res: Response, st: CustomerStatus): boolean;
  /** The choice form again, with the message of a refused redemption (rerenderOn). */
  choiceForm: FormRenderer;
}

function redemptionPages(ctx: WebContext): RedemptionPages {
  const { db, now } = ctx.deps;
  const pages: RedemptionPages = {
    status: async (req, res) => {
      const st = await getStatusIfSessionLive(db, req.campaign!, req.customerSession!, now());
      if (st) return st;
      dropDeadSession(req, res, ctx.deps.config.SECURE_COOKIES);
      res.redirect(303, `/c/${req.campaign!.slug}/login`);
    },
    choose: (req, res, st, form, refusal) =>
      res.status(refusal?.status ?? 200).render('redemption/choose', {
        csrfToken: ctx.csrfToken(req, res),
        status: st,
        form,
        errors: refusal?.errors ?? {},
        message: refusal?.message ?? null,
      }),
    elsewhere: (req, res, st) => {
      if (st.redemption || st.erasedAt) {
        res.render('redemption/status', {
          status: st,
          justCompleted: req.query.done === '1',
          justChanged: req.query.changed === '1',
          ...statusLocals(ctx.deps, req.campaign!, st),
          csrfToken: ctx.csrfToken(req, res),
        });
        return true;
      }
      if (!isAcceptingRedemptions(req.campaign!, now())) {
        res.status(410).render('campaign/closed', { csrfToken: ctx.csrfToken(req, res) });
        return true;
      }
      return false;
    },
    choiceForm: async (req, res, failure) => {
      const st = await pages.status(req, res);
      if (!st) return;
      pages.choose(req, res, st, req.body as ChoiceForm, {
        errors: failure.fields,
        message: failure.message,
        status: failure.status,
      });
    },
  };
  return pages;
}

const invalidChoice = (res: Response, errors: FieldErrors): Refusal => ({
  errors,
  message: catalogueOf(res).common.checkInput,
  status: 400,
});

/** The choices, or the customer's status once they have decided. */
const showChoices =
  (pages: RedemptionPages): RequestHandler =>
  async (req, res) => {
    const st = await pages.status(req, res);
    if (!st) return;
    if (pages.elsewhere(req, res, st)) return;
    pages.choose(req, res, st, DEFAULT_FORM);
  };

/** The choice checked and shown back for confirmation; nothing is written yet. */
const confirmChoice =
  (ctx: WebContext, pages: RedemptionPages): RequestHandler =>
  async (req, res) => {
    const st = await pages.status(req, res);
    if (!st) return;
    if (st.redemption) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    if (pages.elsewhere(req, res, st)) return;
    if (req.body?.action === 'lookup') {
      return lookUpAddressPage(req, res, (form, refusal) => pages.choose(req, res, st, form, refusal));
    }
    const parsed = parseChoice(req.campaign!.def, req.body, st.erasureRequestedBefore, catalogueOf(res));
    if (!parsed.ok) return pages.choose(req, res, st, parsed.form, invalidChoice(res, parsed.errors));
    res.render('redemption/confirm', {
      csrfToken: ctx.csrfToken(req, res),
      status: st,
      choice: parsed.choice,
      form: req.body,
    });
  };

/** The confirmed choice recorded (or the choices again: "back", or an invalid form). */
const completeChoice =
  (ctx: WebContext, pages: RedemptionPages): RequestHandler =>
  async (req, res) => {
    const campaign = req.campaign!;
    const st = await pages.status(req, res);
    if (!st) return;
    if (st.redemption) return res.redirect(303, `/c/${campaign.slug}/my`);
    if (pages.elsewhere(req, res, st)) return;
    const parsed = parseChoice(campaign.def, req.body, st.erasureRequestedBefore, catalogueOf(res));
    if (req.body?.action === 'back') return pages.choose(req, res, st, parsed.ok ? req.body : parsed.form);
    if (!parsed.ok) return pages.choose(req, res, st, parsed.form, invalidChoice(res, parsed.errors));
    await completeRedemption(ctx.deps.db, campaign, st.customerId, parsed.choice, ctx.deps.now());
    // Post/redirect/get: a reload of the completion page never posts again.
    res.redirect(303, `/c/${campaign.slug}/my?done=1`);
  };

/**
 * The pages whose one status query checks the session too (pages.status): requireLiveSession skips
 * its own lookup for them. Exact paths, as sent; any other spelling is checked there as before.
 */
export const checksSessionItself = (req: Request): boolean =>
  (req.method === 'GET' && /^\/c\/[^/]+\/my$/.test(req.path)) ||
  (req.method === 'POST' && /^\/c\/[^/]+\/my\/(?:confirm|complete)$/.test(req.path));

/** The customer's pages below /my, added to the campaign's router (a new one without). */
export function redemptionRoutes(ctx: WebContext, router = Router({ mergeParams: true })): Router {
  const pages = redemptionPages(ctx);
  router.get('/my', requireCustomer, showChoices(pages));
  choiceChangeRoutes(ctx, router);
  // A reload or new tab on a POST-only step lands where the customer stands: /my shows the choices or the status.
  const backToMyPage: RequestHandler = (req, res) => res.redirect(303, `/c/${req.campaign!.slug}/my`);
  router.get(['/my/confirm', '/my/complete'], requireCustomer, backToMyPage);
  router.post('/my/confirm', requireCustomer, confirmChoice(ctx, pages));
  router.post(
    '/my/complete',
    requireCustomer,
    completeChoice(ctx, pages),
    rerenderOn(['pool_empty'], pages.choiceForm),
  );
  return router;
}
