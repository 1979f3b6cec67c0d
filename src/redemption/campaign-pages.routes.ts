import { Router, type RequestHandler } from 'express';
import type { WebContext } from '../auth/web-context.js';
import { DonationTotalCache } from '../fulfilment/donation-total.js';
import { isAcceptingRedemptions } from '../campaigns/campaign.service.js';
import { definitionIn, type CampaignPart } from '../campaigns/campaign.language.js';
import { langOf } from '../platform/http/language.js';
import { listCampaignsForIndex } from './campaign-pages.service.js';

/** Loads the campaign named in the path for every route below /c/:slug. */
export function campaignLoader(ctx: WebContext): RequestHandler {
  return async (req, res, next) => {
    const campaign = await ctx.campaigns.get(String(req.params.slug));
    req.campaign = campaign;
    // Views read the campaign's texts in the page's language; req.campaign keeps the original for logic.
    const { def, japaneseOnly } = definitionIn(campaign.def, langOf(res));
    res.locals.campaign = { ...campaign, def, japaneseOnly };
    res.locals.jaOnly = (part: CampaignPart) => japaneseOnly.includes(part);
    res.locals.jaLang = (part: CampaignPart) => (japaneseOnly.includes(part) ? ' lang="ja"' : '');
    res.locals.isOpen = isAcceptingRedemptions(campaign, ctx.deps.now());
    res.locals.loggedIn = req.customerSession?.campaignId === campaign.id;
    next();
  };
}

/** The landing page and the FAQ, added to the campaign's router (a new one without). */
export function campaignPages(ctx: WebContext, router = Router({ mergeParams: true })): Router {
  const donations = new DonationTotalCache(ctx.deps.db);
  router.get('/', async (req, res) => {
    const donationTotal = req.campaign!.def.options.donation ? await donations.get(req.campaign!.id) : null;
    res.render('campaign/landing', { csrfToken: ctx.csrfToken(req, res), donationTotal });
  });
  router.get('/faq', (_req, res) => {
    res.render('campaign/faq');
  });
  return router;
}

/** The site's root (GET /): the one campaign, or the list of them. */
export function campaignIndex(ctx: WebContext): RequestHandler {
  return async (_req, res) => {
    const campaigns = await listCampaignsForIndex(ctx.deps.db);
    if (campaigns.length === 1) return res.redirect(303, `/c/${campaigns[0]!.slug}`);
    res.render('campaign/index', { campaigns, campaign: null });
  };
}
