import { Router, type Request, type Response } from 'express';
import { listPublicCampaigns } from '../campaigns/campaign.repo.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import type { ContactActionTokens } from './contact-token.js';
import { REFUSALS, type ContactPages } from './contact.pages.js';
import { LostLetterSchema } from './lost-letter.schema.js';
import { searchLostLetter } from './lost-letter.service.js';
import { LOST_LETTER_TEXT as T } from './lost-letter.text.js';

interface FormPage {
  message?: string | null;
  notice?: string | null;
  errors?: Record<string, string>;
  form?: Record<string, unknown>;
}

/**
 * Lost letters: the search form (campaign, kana name, birth date, postal code, reason — a POST, so
 * none of it reaches an address or a log), and its outcome. One match opens the same masked record
 * as a look-up by code, with its token: the reissue request on it is the contact centre's only one.
 * No match and several matches say so on the form and show nobody.
 */
export function lostLetterRoutes(ctx: OpsContext, tokens: ContactActionTokens, pages: ContactPages): Router {
  const router = Router();
  const formPage = async (req: Request, res: Response, page: FormPage = {}, status = 200) =>
    renderOps(
      ctx,
      req,
      res,
      'contact/lost-letter',
      {
        pageTitle: T.pageTitle,
        campaigns: await listPublicCampaigns(ctx.deps.db),
        message: null,
        notice: null,
        errors: {},
        form: {},
        ...page,
      },
      status,
    );
  const rerender: FormRenderer = (req, res, failure) =>
    formPage(
      req,
      res,
      { message: failure.message, errors: failure.fields, form: (req.body ?? {}) as Record<string, unknown> },
      failure.status,
    );

  opsRoute(router, 'get', '/contact/lost-letter', 'contact', (req, res) => formPage(req, res));
  opsRoute(
    router,
    'post',
    '/contact/lost-letter',
    'contact',
    validate(LostLetterSchema, rerender),
    async (req, res) => {
      const form = validated(res, LostLetterSchema);
      const actor = { staffId: req.staff!.id, reason: form.reason };
      const outcome = await searchLostLetter(ctx.deps, tokens, actor, form);
      if (outcome.kind === 'one') {
        return pages.customer(req, res, { view: outcome.view, token: outcome.token, reason: form.reason });
      }
      const message = outcome.kind === 'none' ? T.noMatch : T.several(outcome.atLeast);
      // The three values are not put back into the form: the next search starts clean.
      await formPage(req, res, { message, form: { campaign: form.campaign, reason: form.reason } });
    },
    rerenderOn(REFUSALS, rerender),
  );
  return router;
}
