import type { Kysely } from 'kysely';
import { listEntries } from '../audit/audit.repo.js';
import { toAuditFilter, filterParams, type AuditQuery } from '../audit/audit.schema.js';
import { audit, exportAuditHead, verifyChain, type ChainVerification } from '../audit/audit.service.js';
import type { AuditRow } from '../audit/audit.table.js';
import { listStaff } from '../operators/staff.repo.js';
import type { StaffRow } from '../operators/staff.table.js';
import type { Database } from '../platform/database.js';
import { listReportCampaigns } from './reports.service.js';

/**
 * The audit log for auditors: read a page at a time with filters, export what the filters select,
 * verify the hash chain. Each of the three is itself audited.
 */

type Db = Kysely<Database>;

const PAGE_SIZE = 100;
const EXPORT_PAGE = 1000;

const namesOf = (staff: StaffRow[]) => new Map(staff.map((s) => [s.id, s.username]));

/** The filter form's choices: every staff member and campaign. */
export async function auditFormChoices(db: Db, staff?: StaffRow[]) {
  const everyone = staff ?? (await listStaff(db));
  return {
    staffList: everyone.map((s) => ({ id: s.id, username: s.username, displayName: s.display_name })),
    campaigns: await listReportCampaigns(db),
  };
}

export interface AuditPage {
  entries: AuditRow[];
  /** Who each staff id is (username), for the entries. */
  names: Map<string, string>;
  staff: StaffRow[];
  /** Where the next page starts (`before`), when there is one. */
  nextBefore: string | null;
}

/** One page of entries, newest first; the view itself is audited with its filters. */
export async function readAuditLog(db: Db, staffId: string, q: AuditQuery, now: Date): Promise<AuditPage> {
  const rows = await listEntries(db, toAuditFilter(q), PAGE_SIZE + 1, q.before);
  const entries = rows.slice(0, PAGE_SIZE);
  const staff = await listStaff(db);
  await audit(db, { staffId, action: 'audit.view', details: { filter: filterParams(q) } }, now);
  return {
    entries,
    names: namesOf(staff),
    staff,
    nextBefore: rows.length > PAGE_SIZE ? entries[entries.length - 1]!.id : null,
  };
}

export interface AuditExport {
  names: Map<string, string>;
  /** The selected entries, newest first, a page at a time (fetched as they are asked for). */
  pages: AsyncGenerator<AuditRow[]>;
}

async function* pagesUpTo(db: Db, q: AuditQuery, newestId: string | undefined): AsyncGenerator<AuditRow[]> {
  const filter = toAuditFilter(q);
  let before = newestId ? (BigInt(newestId) + 1n).toString() : undefined;
  while (before) {
    const rows = await listEntries(db, filter, EXPORT_PAGE, before);
    yield rows;
    before = rows.length === EXPORT_PAGE ? rows[rows.length - 1]!.id : undefined;
  }
}

/**
 * An export of what the filters select: a snapshot of what existed when it began (not its own
 * audit entry, nor later ones), audited before the first row goes out.
 */
export async function exportAuditLog(db: Db, staffId: string, q: AuditQuery, at: Date): Promise<AuditExport> {
  const newest = (await listEntries(db, {}, 1))[0];
  const details = { filter: filterParams(q), upToId: newest?.id ?? null };
  await audit(db, { staffId, action: 'audit.export', details }, at);
  const names = namesOf(await listStaff(db));
  return { names, pages: pagesUpTo(db, q, newest?.id) };
}

/** Verifies the chain (audited), then exports the head, with this verification's own entry. */
export async function verifyAuditLog(db: Db, staffId: string, at: Date): Promise<ChainVerification> {
  const result = await verifyChain(db);
  const details = {
    entries: result.entries,
    valid: result.valid,
    brokenAt: result.brokenAt ?? null,
    problem: result.problem ?? null,
    headsChecked: result.headsChecked,
  };
  await audit(db, { staffId, action: 'audit.verify', details }, at);
  // The head goes to the file outside the database.
  await exportAuditHead(db, undefined, at);
  return result;
}
