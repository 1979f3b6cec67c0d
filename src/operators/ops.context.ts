import type { Request, Response } from 'express';
import { CONSOLE_JA } from '../messages/console.js';
import type { AppDeps } from '../platform/deps.js';
import type { StaffSessionCodec } from './staff-session.js';

/** What every operator router receives. */
export interface OpsContext {
  deps: AppDeps;
  sessions: StaffSessionCodec;
  csrfToken: (req: Request, res: Response) => string;
  /** Checks the CSRF token of a multipart form after its parser ran (see checkCsrfAfterUpload). */
  validateCsrf: (req: Request) => boolean;
}

/** Renders an operator page with what the layout needs, and the console catalogue as `o`. */
export function renderOps(
  ctx: OpsContext,
  req: Request,
  res: Response,
  view: string,
  locals: Record<string, unknown> = {},
  status = 200,
) {
  res.status(status).render(`ops/${view}`, {
    o: CONSOLE_JA,
    csrfToken: ctx.csrfToken(req, res),
    staff: req.staff ?? null,
    ...locals,
  });
}
