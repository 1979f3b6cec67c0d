import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkActionToken } from './contact-guard.service.js';
import {
  approveRequest,
  listQueue,
  rejectRequest,
  requireRequest,
  reviewRequest,
  type Approval,
} from './contact-requests.service.js';
import type { ContactActionTokens } from './contact-token.js';
import { downloadLetter } from './contact.letter.js';
import { CONTACT_TEXT } from './contact.messages.js';
import { refusalOf, requestLabels, type ContactPages } from './contact.pages.js';
import { canApprove, canDownloadLetter } from './contact.roles.js';
import { DecisionSchema, fieldErrors, requestIdParam } from './contact.schema.js';

const approvedNotice = (a: Approval) =>
  a.kind === 'reissued'
    ? CONTACT_TEXT.reissueApproved
    : a.kind === 'erased'
      ? CONTACT_TEXT.erasureApproved(a.receipt)
      : CONTACT_TEXT.erasureApprovedAfterDelivery;

/**
 * The queue of requests that need a second person. Opening one is an audited look at its customer
 * and gives the token its decision carries; approving is for a supervisor or an administrator who
 * did not ask; the reissued letter's print file is downloaded once, by someone with the export
 * permission who did not ask.
 */
export function contactRequestRoutes(
  ctx: OpsContext,
  tokens: ContactActionTokens,
  pages: ContactPages,
): Router {
  const router = Router();
  const { deps } = ctx;

  const list = async (
    req: Request,
    res: Response,
    flash: { notice?: string; message?: string } = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'contact/requests',
      {
        pageTitle: CONTACT_TEXT.requestsTitle,
        rows: await listQueue(deps, req.staff!),
        labels: requestLabels,
        notice: null,
        message: null,
        errors: {},
        ...flash,
      },
      status,
    );

  const detail = async (req: Request, res: Response, id: string) => {
    const r = await requireRequest(deps, id);
    const review = await reviewRequest(deps, tokens, r, req.staff!);
    renderOps(ctx, req, res, 'contact/request', {
      pageTitle: CONTACT_TEXT.requestTitle,
      ...review,
      labels: requestLabels,
      may: {
        decide: r.status === 'pending' && r.requested_by !== req.staff!.id && canApprove(req.staff!.role),
        withdraw: r.status === 'pending' && r.requested_by === req.staff!.id,
        download:
          r.kind === 'reissue' &&
          r.print_file !== null &&
          r.requested_by !== req.staff!.id &&
          canDownloadLetter(req.staff!.role),
      },
      notice: null,
      message: null,
      errors: {},
    });
  };

  /** The request, if the form carries this staff member's token for its customer (else 403, audited). */
  const authorised = async (req: Request, res: Response, action: string) => {
    const r = await requireRequest(deps, requestIdParam(req.params.requestId));
    const token = (req.body as Record<string, unknown> | undefined)?.actionToken;
    if (
      await checkActionToken(deps, tokens, {
        staffId: req.staff!.id,
        customerId: r.customer_id,
        action,
        token,
      })
    )
      return r;
    pages.form(req, res, { message: CONTACT_TEXT.tokenRefused }, 403);
    return undefined;
  };

  opsRoute(router, 'get', '/contact/requests', 'contact', (req, res) => list(req, res));

  opsRoute(router, 'get', '/contact/requests/:requestId', 'contact', async (req, res) => {
    const id = requestIdParam(req.params.requestId);
    try {
      await detail(req, res, id);
    } catch (err) {
      const r = refusalOf(err);
      await list(req, res, { message: r.message }, r.status);
    }
  });

  for (const [path, action] of [
    ['approve', 'approve'],
    ['reject', 'reject'],
  ] as const) {
    opsRoute(router, 'post', `/contact/requests/:requestId/${path}`, 'contact', async (req, res) => {
      const r = await authorised(req, res, action);
      if (!r) return;
      const parsed = DecisionSchema.safeParse(req.body ?? {});
      if (!parsed.success)
        return list(req, res, { message: Object.values(fieldErrors(parsed.error.issues))[0] }, 400);
      const decider = { staffId: req.staff!.id, role: req.staff!.role, note: parsed.data.note };
      try {
        if (action === 'approve') {
          const outcome = await approveRequest(deps, r, decider);
          return list(req, res, { notice: approvedNotice(outcome) });
        }
        await rejectRequest(deps, r, decider);
        await list(req, res, { notice: CONTACT_TEXT.rejected });
      } catch (err) {
        const refusal = refusalOf(err);
        await list(req, res, { message: refusal.message }, refusal.status);
      }
    });
  }

  opsRoute(router, 'post', '/contact/requests/:requestId/letter', 'exports', async (req, res) => {
    const r = await authorised(req, res, 'letter');
    if (!r) return;
    try {
      const letter = await downloadLetter(deps, r, req.staff!.id);
      // Written raw: res.send would add an ETag, a digest of the one file that holds the new key.
      res.attachment(letter.filename);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Length', letter.body.length);
      res.end(letter.body);
    } catch (err) {
      const refusal = refusalOf(err);
      await list(req, res, { message: refusal.message }, refusal.status);
    }
  });

  return router;
}
