import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { listStaff } from '../operators/staff.repo.js';
import { CSV_BOM, csvFileName, jstCsvDateTime, toCsv } from '../platform/csv-export.js';
import { listReportCampaigns } from './reports.service.js';
import { AUDIT_TEXT } from '../audit/audit.messages.js';
import { listEntries } from '../audit/audit.repo.js';
import { AuditQuerySchema, toAuditFilter, type AuditQuery } from '../audit/audit.schema.js';
import { audit, exportAuditHead, verifyChain } from '../audit/audit.service.js';
import type { AuditRow } from '../audit/audit.table.js';
import { actionSuggestions, describeEntry } from './audit-log.view.js';

const PAGE_SIZE = 100;
const EXPORT_PAGE = 1000;

const CSV_HEADER = [
  'id',
  'at',
  'staff_id',
  'staff_username',
  'action',
  'target_type',
  'target_id',
  'campaign_id',
  'reason',
  'details',
  'prev_hash',
  'hash',
];

/** The filters as given (paging aside): recorded with views and exports, and kept in links. */
const filterOf = (q: AuditQuery) =>
  Object.fromEntries(
    (['staff', 'action', 'campaign', 'from', 'to'] as const)
      .filter((k) => q[k] !== undefined)
      .map((k) => [k, q[k]!]),
  );

/** Waits while the client is slow; gives up quietly when it has gone. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The audit log for auditors: read with filters, export what the filters select, verify the hash
 * chain. Exports and verifications are themselves audited, and so are views.
 */
export function auditRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const staffNames = async () => {
    const staff = await listStaff(db);
    return { staff, names: new Map(staff.map((s) => [s.id, s.username])) };
  };

  const page = async (
    req: Request,
    res: Response,
    locals: Record<string, unknown>,
    status = 200,
    known?: Awaited<ReturnType<typeof staffNames>>,
  ) => {
    const { staff } = known ?? (await staffNames());
    renderOps(
      ctx,
      req,
      res,
      'audit/index',
      {
        staffList: staff.map((s) => ({ id: s.id, username: s.username, displayName: s.display_name })),
        campaigns: await listReportCampaigns(db),
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
  };

  const invalid = (req: Request, res: Response, issues: { path: PropertyKey[]; message: string }[]) =>
    page(
      req,
      res,
      {
        form: req.query,
        errors: Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message])),
        message: '検索条件をご確認ください。',
      },
      400,
    );

  opsRoute(router, 'get', '/audit', 'audit', async (req, res) => {
    const parsed = AuditQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return invalid(req, res, parsed.error.issues);
    const q = parsed.data;
    const rows = await listEntries(db, toAuditFilter(q), PAGE_SIZE + 1, q.before);
    const shown = rows.slice(0, PAGE_SIZE);
    const known = await staffNames();
    const filter = filterOf(q);
    const query = new URLSearchParams(filter);
    await audit(db, { staffId: req.staff!.id, action: 'audit.view', details: { filter } }, now());
    await page(
      req,
      res,
      {
        form: q,
        entries: shown.map((e) => describeEntry(e, known.names)),
        nextHref:
          rows.length > PAGE_SIZE
            ? `/ops/audit?${new URLSearchParams({ ...filter, before: shown[shown.length - 1]!.id })}`
            : null,
        firstHref: `/ops/audit${query.size ? `?${query}` : ''}`,
        exportHref: `/ops/audit/export.csv${query.size ? `?${query}` : ''}`,
        paged: q.before !== undefined,
      },
      200,
      known,
    );
  });

  opsRoute(router, 'get', '/audit/export.csv', 'audit', async (req, res) => {
    const parsed = AuditQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return invalid(req, res, parsed.error.issues);
    const q = parsed.data;
    const filter = toAuditFilter(q);
    // A snapshot: what existed when the export began (not the export's own entry, nor later ones).
    const newest = (await listEntries(db, {}, 1))[0];
    const at = now();
    await audit(
      db,
      {
        staffId: req.staff!.id,
        action: 'audit.export',
        details: { filter: filterOf(q), upToId: newest?.id ?? null },
      },
      at,
    );
    const { names } = await staffNames();
    const csvRow = (e: AuditRow) => [
      e.id,
      e.at.toISOString(),
      e.staff_id,
      e.staff_id ? (names.get(e.staff_id) ?? '') : '',
      e.action,
      e.target_type,
      e.target_id,
      e.campaign_id,
      e.reason,
      JSON.stringify(e.details),
      e.prev_hash.toString('hex'),
      e.hash.toString('hex'),
    ];

    res
      .status(200)
      .type('text/csv; charset=utf-8')
      // Named by the date and time in Japan (YYYYMMDDhhmmss), not in UTC.
      .attachment(csvFileName('audit-log', jstCsvDateTime(at).replace(/\D/g, '')));
    try {
      await write(res, CSV_BOM + toCsv([CSV_HEADER]));
      let before = newest ? (BigInt(newest.id) + 1n).toString() : undefined;
      while (before && !res.destroyed) {
        const rows = await listEntries(db, filter, EXPORT_PAGE, before);
        if (rows.length) await write(res, toCsv(rows.map(csvRow)));
        before = rows.length === EXPORT_PAGE ? rows[rows.length - 1]!.id : undefined;
      }
      res.end();
    } catch (err) {
      // The header has gone: the client must see a broken download, not a complete-looking file.
      res.destroy();
      throw err;
    }
  });

  opsRoute(router, 'post', '/audit/verify', 'audit', async (req, res) => {
    const result = await verifyChain(db);
    const at = now();
    await audit(
      db,
      {
        staffId: req.staff!.id,
        action: 'audit.verify',
        details: {
          entries: result.entries,
          valid: result.valid,
          brokenAt: result.brokenAt ?? null,
          problem: result.problem ?? null,
          headsChecked: result.headsChecked,
        },
      },
      at,
    );
    // The head, with this verification's own entry, goes to the file outside the database.
    await exportAuditHead(db, undefined, at);
    renderOps(ctx, req, res, 'audit/verify', { result, checkedAt: at });
  });

  return router;
}
