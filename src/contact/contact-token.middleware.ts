import type { Request, RequestHandler, Response } from 'express';
import type { OpsContext } from '../operators/ops.context.js';
import { checkActionToken } from './contact-guard.service.js';
import type { ContactActionTokens } from './contact-token.js';
import { CONTACT_TEXT } from './contact.messages.js';
import type { ContactPages } from './contact.pages.js';

/** The look-up token the form carries (checked by `requireLookupToken` before anything else). */
export const actionTokenOf = (req: Request): unknown =>
  (req.body as Record<string, unknown> | undefined)?.actionToken;

/**
 * Lets an action on a customer through only with this staff member's own look-up token for them;
 * otherwise the refusal is audited and answered here (403, the look-up form).
 */
export function requireLookupToken(
  ctx: OpsContext,
  tokens: ContactActionTokens,
  pages: ContactPages,
  action: string,
  /** The customer the action is on (from the path, or from the request it decides). */
  customerOf: (req: Request, res: Response) => Promise<string> | string,
): RequestHandler {
  return async (req, res, next) => {
    const customerId = await customerOf(req, res);
    const input = { staffId: req.staff!.id, customerId, action, token: actionTokenOf(req) };
    if (await checkActionToken(ctx.deps, tokens, input)) return next();
    pages.form(req, res, { message: CONTACT_TEXT.tokenRefused }, 403);
  };
}
