import { Router, type Request, type RequestHandler, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import {
  approveRequest,
  listQueue,
  rejectRequest,
  requireRequest,
  reviewRequest,
  type Approval,
  type RequestRow,
} from './contact-requests.service.js';
import type { ContactActionTokens } from './contact-token.js';
import { requireLookupToken } from './contact-token.middleware.js';
import { downloadLetter } from './contact.letter.js';
import { CONTACT_TEXT } from './contact.messages.js';
import { REFUSALS, requestLabels, type ContactPages } from './contact.pages.js';
import { mayOnRequest } from './contact.roles.js';
import { DecisionSchema, requestIdParam } from './contact.schema.js';

const approvedNotice = (a: Approval) =>
  a.kind === 'reissued'
    ? CONTACT_TEXT.reissueApproved
    : a.kind === 'erased'
      ? CONTACT_TEXT.erasureApproved(a.receipt)
      : CONTACT_TEXT.erasureApprovedAfterDelivery;

type QueuePage = (
  req: Request,
  res: Response,
  flash?: { notice?: string; message?: string },
  status?: number,
) => Promise<void>;

function queuePage(ctx: OpsContext): QueuePage {
  return async (req, res, flash = {}, status = 200) =>
    renderOps(
      ctx,
      req,
      res,
      'contact/requests',
      {
        pageTitle: CONTACT_TEXT.requestsTitle,
        rows: await listQueue(ctx.deps, req.staff!),
        labels: requestLabels,
        notice: null,
        message: null,
        errors: {},
        ...flash,
      },
      status,
    );
}

/** Opening a request: an audited look at its customer, and the token its decision carries. */
function detailRoute(router: Router, ctx: OpsContext, tokens: ContactActionTokens, refused: FormRenderer) {
  opsRoute(
    router,
    'get',
    '/contact/requests/:requestId',
    'contact',
    async (req, res) => {
      const r = await requireRequest(ctx.deps, requestIdParam(req.params.requestId));
      const review = await reviewRequest(ctx.deps, tokens, r, req.staff!);
      renderOps(ctx, req, res, 'contact/request', {
        pageTitle: CONTACT_TEXT.requestTitle,
        ...review,
        labels: requestLabels,
        may: mayOnRequest(r, req.staff!),
        notice: null,
        message: null,
        errors: {},
      });
    },
    rerenderOn(REFUSALS, refused),
  );
}

interface Kit {
  list: QueuePage;
  /** A refused step: the queue again, with why. */
  refused: FormRenderer;
  /** Checks the request's look-up token (403, audited, without) and loads the request. */
  guard: (action: string) => RequestHandler;
}

/** The request in the path, as its token check loaded it for the handler after it. */
const requestOf = (res: Response) => res.locals.contactRequest as RequestRow;

/** Approving or rejecting (or, by its requester, withdrawing) a request, with a note. */
function decisionRoutes(router: Router, ctx: OpsContext, { list, refused, guard }: Kit) {
  const badDecision: FormRenderer = (req, res, failure) =>
    list(req, res, { message: Object.values(failure.fields)[0] }, failure.status);
  for (const action of ['approve', 'reject'] as const) {
    opsRoute(
      router,
      'post',
      `/contact/requests/:requestId/${action}`,
      'contact',
      guard(action),
      validate(DecisionSchema, badDecision),
      async (req, res) => {
        const { note } = validated(res, DecisionSchema);
        const decider = { staffId: req.staff!.id, role: req.staff!.role, note };
        if (action === 'approve') {
          const outcome = await approveRequest(ctx.deps, requestOf(res), decider);
          return list(req, res, { notice: approvedNotice(outcome) });
        }
        await rejectRequest(ctx.deps, requestOf(res), decider);
        await list(req, res, { notice: CONTACT_TEXT.rejected });
      },
      rerenderOn(REFUSALS, refused),
    );
  }
}

/** The one download of a reissued letter's print file. */
function letterRoute(router: Router, ctx: OpsContext, { refused, guard }: Kit) {
  opsRoute(
    router,
    'post',
    '/contact/requests/:requestId/letter',
    'exports',
    guard('letter'),
    async (req, res) => {
      const letter = await downloadLetter(ctx.deps, requestOf(res), req.staff!.id);
      // Written raw: res.send would add an ETag, a digest of the one file that holds the new key.
      res.attachment(letter.filename);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Length', letter.body.length);
      res.end(letter.body);
    },
    rerenderOn(REFUSALS, refused),
  );
}

/**
 * The queue of requests that need a second person. Opening one is an audited look at its customer
 * and gives the token its decision carries; approving is for a supervisor or an administrator who
 * did not ask; the reissued letter's print file is downloaded once, by someone with the export
 * permission who did not ask. Every step on a request carries that token (403, audited, without).
 */
export function contactRequestRoutes(
  ctx: OpsContext,
  tokens: ContactActionTokens,
  pages: ContactPages,
): Router {
  const router = Router();
  const list = queuePage(ctx);
  const kit: Kit = {
    list,
    refused: (req, res, failure) => list(req, res, { message: failure.message }, failure.status),
    guard: (action) =>
      requireLookupToken(ctx, tokens, pages, action, async (req, res) => {
        const r = await requireRequest(ctx.deps, requestIdParam(req.params.requestId));
        res.locals.contactRequest = r;
        return r.customer_id;
      }),
  };
  opsRoute(router, 'get', '/contact/requests', 'contact', (req, res) => list(req, res));
  detailRoute(router, ctx, tokens, kit.refused);
  decisionRoutes(router, ctx, kit);
  letterRoute(router, ctx, kit);
  return router;
}
