import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../platform/deps.js';
import { registrationCodeForLetter } from '../letters/letter-verify.service.js';

/**
 * From a letter's QR code (`?letter=<token>`): the login page shows only the code's last 4
 * characters and carries the token in the form; the code itself is looked up again when the form is
 * posted. An address in a browser's or a QR app's history thus never leads to the full code (with
 * which anyone could lock the customer out), and the token alone logs nobody in.
 */
export interface LetterForm {
  letterToken: string;
  letterCodeTail: string;
}

type Deps = Parameters<typeof registrationCodeForLetter>[0] & Pick<AppDeps, 'db'>;

const codeOf = (deps: Deps, req: Request, token: string) =>
  registrationCodeForLetter(deps, { campaignId: req.campaign!.id, token, clientIp: req.ip ?? 'unknown' });

const formOf = (token: string, code: string): LetterForm => ({
  letterToken: token,
  letterCodeTail: code.slice(-4),
});

/** The login page's letter part for `?letter=`, or nothing (unknown, replaced or throttled token). */
export async function letterFormFor(deps: Deps, req: Request): Promise<LetterForm | undefined> {
  const token = req.query.letter;
  if (typeof token !== 'string') return undefined;
  const code = await codeOf(deps, req, token);
  return code ? formOf(token, code) : undefined;
}

/** A posted form from a letter whose code field was left empty: the code comes from the token. */
export const fillCodeFromLetter =
  (deps: Deps): RequestHandler =>
  async (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?.letter;
    if (body && typeof token === 'string' && token && !String(body.registrationCode ?? '').trim()) {
      const code = await codeOf(deps, req, token);
      if (code) {
        body.registrationCode = code;
        res.locals.letterForm = formOf(token, code);
      }
    }
    next();
  };
