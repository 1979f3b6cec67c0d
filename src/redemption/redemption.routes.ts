import { Router, type Request, type RequestHandler, type Response } from 'express';
import { isAcceptingRedemptions } from '../campaigns/campaign.service.js';
import { isAppError } from '../platform/errors.js';
import type { WebContext } from '../auth/web-context.js';
import { parseChoice, type ChoiceForm, type FieldErrors } from './redemption.schema.js';
import { getCustomerStatus, redeemOnWeb, type CustomerStatus } from './redemption.service.js';

const requireCustomer: RequestHandler = (req, res, next) => {
  if (!res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/login`);
  next();
};

const DEFAULT_FORM: ChoiceForm = { dataChoice: 'none', addressAction: 'as_is' };

export function redemptionRoutes(ctx: WebContext): Router {
  const router = Router({ mergeParams: true });
  const { db, now } = ctx.deps;

  const status = (req: Request) => getCustomerStatus(db, req.campaign!, req.customerSession!.customerId);

  const renderChoose = (
    req: Request,
    res: Response,
    st: CustomerStatus,
    form: ChoiceForm,
    errors: FieldErrors = {},
    message: string | null = null,
    httpStatus = 200,
  ) =>
    res.status(httpStatus).render('redemption/choose', {
      csrfToken: ctx.csrfToken(req, res),
      status: st,
      form,
      errors,
      message,
    });

  /** Routes an already-decided customer to their status, a closed campaign to its notice. */
  const nextPageFor = (req: Request, res: Response, st: CustomerStatus): boolean => {
    if (st.redemption || st.erasedAt) {
      res.render('redemption/status', {
        status: st,
        justCompleted: req.query.done === '1',
        csrfToken: ctx.csrfToken(req, res),
      });
      return true;
    }
    if (!isAcceptingRedemptions(req.campaign!, now())) {
      res.status(410).render('campaign/closed', { csrfToken: ctx.csrfToken(req, res) });
      return true;
    }
    return false;
  };

  router.get('/my', requireCustomer, async (req, res) => {
    const st = await status(req);
    if (nextPageFor(req, res, st)) return;
    renderChoose(req, res, st, DEFAULT_FORM);
  });

  router.post('/my/confirm', requireCustomer, async (req, res) => {
    const st = await status(req);
    if (st.redemption) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    if (nextPageFor(req, res, st)) return;
    const parsed = parseChoice(req.campaign!.def, req.body, st.erasureRequestedBefore);
    if (!parsed.ok)
      return renderChoose(req, res, st, parsed.form, parsed.errors, '入力内容をご確認ください。', 400);
    res.render('redemption/confirm', {
      csrfToken: ctx.csrfToken(req, res),
      status: st,
      choice: parsed.choice,
      form: req.body,
    });
  });

  router.post('/my/complete', requireCustomer, async (req, res) => {
    const campaign = req.campaign!;
    const st = await status(req);
    if (st.redemption) return res.redirect(303, `/c/${campaign.slug}/my`);
    if (nextPageFor(req, res, st)) return;
    const parsed = parseChoice(campaign.def, req.body, st.erasureRequestedBefore);
    if (req.body?.action === 'back') return renderChoose(req, res, st, parsed.ok ? req.body : parsed.form);
    if (!parsed.ok)
      return renderChoose(req, res, st, parsed.form, parsed.errors, '入力内容をご確認ください。', 400);
    try {
      await db
        .transaction()
        .execute((trx) => redeemOnWeb(trx, campaign, st.customerId, parsed.choice, now()));
    } catch (err) {
      if (isAppError(err) && err.code === 'pool_empty') {
        return renderChoose(req, res, st, req.body, {}, err.publicMessage, err.status);
      }
      throw err;
    }
    // Post/redirect/get: a reload of the completion page never posts again.
    res.redirect(303, `/c/${campaign.slug}/my?done=1`);
  });

  return router;
}
