import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { contactDb, type RequestKind, type RequestStatus } from './contact.tables.js';

/** SQL of requests that need a second person (a reissued letter, an immediate erasure). */

export async function pendingKinds(db: Db, customerId: string): Promise<RequestKind[]> {
  const rows = await contactDb(db)
    .selectFrom('contact_requests')
    .select('kind')
    .where('customer_id', '=', customerId)
    .where('status', '=', 'pending')
    .execute();
  return rows.map((r) => r.kind);
}

/** Undefined when one of the kind is already pending for the customer (the unique index decides). */
export async function insertRequest(
  db: Db,
  row: {
    kind: RequestKind;
    campaign_id: string;
    customer_id: string;
    requested_by: string;
    requested_at: Date;
    request_note_id: string;
  },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    insert into contact_requests (kind, campaign_id, customer_id, requested_by, requested_at, request_note_id)
    values (${row.kind}, ${row.campaign_id}, ${row.customer_id}, ${row.requested_by}, ${row.requested_at},
            ${row.request_note_id})
    on conflict (customer_id, kind) where status = 'pending' do nothing
    returning id`.execute(db);
  const inserted = rows[0];
  return inserted?.id;
}

export async function findRequest(db: Db, id: string) {
  return contactDb(db).selectFrom('contact_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** Locks a pending request for its decision; undefined when it is no longer pending. */
export async function lockPendingRequest(trx: Db, id: string) {
  return contactDb(trx)
    .selectFrom('contact_requests')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .forUpdate()
    .executeTakeFirst();
}

export async function decideRequest(
  trx: Db,
  id: string,
  decision: {
    status: 'approved' | 'rejected';
    decided_by: string;
    decided_at: Date;
    decision_note_id: string;
    outcome?: Record<string, unknown>;
    print_file?: string;
  },
): Promise<void> {
  const { outcome, ...rest } = decision;
  await contactDb(trx)
    .updateTable('contact_requests')
    .set({ ...rest, outcome: outcome ? (JSON.stringify(outcome) as never) : null })
    .where('id', '=', id)
    .execute();
}

/**
 * Claims the one download of a reissued letter: the file's name comes back once, to one person,
 * and is forgotten in the same statement.
 */
export async function claimPrintFile(
  trx: Db,
  id: string,
  staffId: string,
  at: Date,
): Promise<{ print_file: string; customer_id: string; campaign_id: string } | undefined> {
  const { rows } = await sql<{ print_file: string; customer_id: string; campaign_id: string }>`
    update contact_requests r set downloaded_by = ${staffId}, downloaded_at = ${at}, print_file = null
      from contact_requests old
     where r.id = ${id} and old.id = r.id
       and r.status = 'approved' and r.kind = 'reissue'
       and r.downloaded_at is null and r.print_file is not null
    returning old.print_file, r.customer_id, r.campaign_id`.execute(trx);
  return rows[0];
}

export interface RequestListRow {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  customer_id: string;
  company_name: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  decided_by_name: string | null;
  decided_at: Date | null;
  outcome: Record<string, unknown> | null;
  letter_waiting: boolean;
  downloaded_at: Date | null;
}

/** The queue: pending first, then the most recent decisions. No personal data. */
export async function listRequests(
  db: Db,
  opts: { requestedBy?: string; id?: string; limit: number },
): Promise<RequestListRow[]> {
  const mine = opts.requestedBy ? sql`and r.requested_by = ${opts.requestedBy}` : sql``;
  const one = opts.id ? sql`and r.id = ${opts.id}` : sql``;
  const { rows } = await sql<RequestListRow>`
    select r.id, r.kind, r.status, r.customer_id, c.company_name,
           r.requested_by, rs.display_name as requested_by_name, r.requested_at,
           ds.display_name as decided_by_name, r.decided_at, r.outcome,
           (r.print_file is not null) as letter_waiting, r.downloaded_at
      from contact_requests r
      join campaigns c on c.id = r.campaign_id
      join staff rs on rs.id = r.requested_by
      left join staff ds on ds.id = r.decided_by
     where true ${mine} ${one}
     order by (r.status = 'pending') desc, r.requested_at desc
     limit ${opts.limit}`.execute(db);
  return rows;
}
