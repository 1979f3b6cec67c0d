import type { Request, Response } from 'express';
import { renderOps, type OpsContext } from './ops.context.js';
import { STAFF_ADMIN_TEXT } from './staff-admin.messages.js';
import type { IssuedLink } from './staff-admin.service.js';
import { enrolmentPath } from './staff-enrolment.service.js';

/**
 * Shows a new enrolment link to the administrator, once: only its hash is stored, and the page is
 * never cached (Cache-Control: no-store on every page).
 */
export function showLink(ctx: OpsContext, req: Request, res: Response, link: IssuedLink, intro: string) {
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${enrolmentPath(link.token)}`;
  renderOps(ctx, req, res, 'staff-link', { t: STAFF_ADMIN_TEXT, intro, url, expiresAt: link.expiresAt });
}
