import { Router, type Request, type Response } from 'express';
import { AUDIT_TEXT } from '../audit/audit.messages.js';
import { filterParams, parseAuditQuery, type AuditQuery } from '../audit/audit.schema.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { sendAuditCsv } from './audit-log.csv.js';
import {
  auditFormChoices,
  exportAuditLog,
  readAuditLog,
  verifyAuditLog,
  type AuditPage,
} from './audit-log.service.js';
import { actionSuggestions, describeEntry } from './audit-log.view.js';

type RenderPage = (
  req: Request,
  res: Response,
  locals: Record<string, unknown>,
  status?: number,
  staff?: AuditPage['staff'],
) => Promise<void>;

/** The filter form and, below it, the entries (`staff`: the list already read, if it was). */
function auditPage(ctx: OpsContext): RenderPage {
  return async (req, res, locals, status = 200, staff) =>
    renderOps(
      ctx,
      req,
      res,
      'audit/index',
      {
        ...(await auditFormChoices(ctx.deps.db, staff)),
        actionSuggestions: actionSuggestions(),
        text: AUDIT_TEXT,
        entries: [],
        form: {},
        errors: {},
        message: null,
        nextHref: null,
        exportHref: null,
        ...locals,
      },
      status,
    );
}

/** The filters of the query string; bad ones show the form again (400) and give undefined. */
async function queryOr400(req: Request, res: Response, page: RenderPage): Promise<AuditQuery | undefined> {
  const parsed = parseAuditQuery(req.query);
  if (parsed.ok) return parsed.query;
  await page(req, res, { form: req.query, errors: parsed.errors, message: AUDIT_TEXT.checkQuery }, 400);
  return undefined;
}

const withQuery = (path: string, params: URLSearchParams) => `${path}${params.size ? `?${params}` : ''}`;

function listRoute(router: Router, ctx: OpsContext, page: RenderPage) {
  opsRoute(router, 'get', '/audit', 'audit', async (req, res) => {
    const q = await queryOr400(req, res, page);
    if (!q) return;
    const log = await readAuditLog(ctx.deps.db, req.staff!.id, q, ctx.deps.now());
    const filter = filterParams(q);
    const query = new URLSearchParams(filter);
    const next = log.nextBefore && `/ops/audit?${new URLSearchParams({ ...filter, before: log.nextBefore })}`;
    await page(
      req,
      res,
      {
        form: q,
        entries: log.entries.map((e) => describeEntry(e, log.names)),
        nextHref: next || null,
        firstHref: withQuery('/ops/audit', query),
        exportHref: withQuery('/ops/audit/export.csv', query),
        paged: q.before !== undefined,
      },
      200,
      log.staff,
    );
  });
}

/**
 * The audit log for auditors: read with filters, export what the filters select, verify the hash
 * chain. Exports and verifications are themselves audited, and so are views.
 */
export function auditRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  const page = auditPage(ctx);
  listRoute(router, ctx, page);

  opsRoute(router, 'get', '/audit/export.csv', 'audit', async (req, res) => {
    const q = await queryOr400(req, res, page);
    if (!q) return;
    const at = now();
    await sendAuditCsv(res, await exportAuditLog(db, req.staff!.id, q, at), at);
  });

  opsRoute(router, 'post', '/audit/verify', 'audit', async (req, res) => {
    const at = now();
    const result = await verifyAuditLog(db, req.staff!.id, at);
    renderOps(ctx, req, res, 'audit/verify', { result, checkedAt: at });
  });
  return router;
}
