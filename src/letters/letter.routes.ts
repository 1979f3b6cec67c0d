import { Router, type Request, type Response } from 'express';
import type { CampaignCache } from '../campaigns/campaign.cache.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import type { AppDeps } from '../platform/deps.js';
import { jstDay } from '../platform/jst.js';
import { checkLetter, type LetterCheck } from './letter-verify.service.js';

/** What the letter pages need of the customer-facing context. */
export interface LetterWebContext {
  deps: AppDeps;
  campaigns: CampaignCache;
}

const PATH = '/letter/:token';

function render(req: Request, res: Response, check: LetterCheck, slug: string | null): void {
  // The page says whether a letter is ours; search engines have no business keeping it.
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  const token = String(req.params.token);
  res.status(check.kind === 'unknown' ? 404 : 200).render('letter/verify', {
    check,
    issuedDay: check.kind === 'unknown' ? null : jstDay(check.issuedAt),
    replacedDay: check.kind === 'replaced' ? jstDay(check.replacedAt) : null,
    // The token, never the code, goes to the login page: it puts the code into the form itself.
    loginHref:
      check.kind === 'genuine' && slug ? `/c/${slug}/login?letter=${encodeURIComponent(token)}` : null,
  });
}

/**
 * The page a letter's QR code opens (`/c/:slug/letter/:token`, below the campaign loader): public,
 * no login, throttled per client, no personal data but the registration code's last 4 characters.
 */
export function letterRoutes(ctx: LetterWebContext): Router {
  const router = Router({ mergeParams: true });
  router.get(PATH, async (req, res) => {
    const campaign = req.campaign!;
    const check = await checkLetter(ctx.deps, {
      campaignId: campaign.id,
      token: String(req.params.token),
      clientIp: req.ip ?? 'unknown',
    });
    render(req, res, check, campaign.slug);
  });
  return router;
}

/**
 * The same address naming no campaign of this service (unknown, draft or purged): before the
 * campaign loader, so that a forged letter's QR code gets the plain statement that the letter is not
 * ours (and where the real procedures are) instead of a bare "not found". Throttled the same way.
 */
export function unknownCampaignLetter(ctx: LetterWebContext): Router {
  const router = Router({ mergeParams: true });
  router.get(PATH, async (req, res, next) => {
    const slug = (req.params as Record<string, string | undefined>).slug ?? '';
    const known = await ctx.campaigns.get(slug).then(
      () => true,
      (err: unknown) => {
        if (CampaignNotFound.is(err)) return false;
        throw err;
      },
    );
    if (known) return next();
    const check = await checkLetter(ctx.deps, {
      campaignId: null,
      token: String(req.params.token),
      clientIp: req.ip ?? 'unknown',
    });
    render(req, res, check, null);
  });
  return router;
}
