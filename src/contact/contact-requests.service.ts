import { audit, recordAudit } from '../audit/audit.service.js';
import { eraseCustomer } from '../erasure/erasure.repo.js';
import type { Role } from '../operators/staff.table.js';
import type { AppDeps } from '../platform/deps.js';
import { findNoteBodies } from './contact-controls.repo.js';
import { auditRefusal, enforceLookupLimit, storeNote } from './contact-guard.service.js';
import {
  decideRequest,
  findRequest,
  listRequests,
  lockPendingRequest,
  type RequestListRow,
  type RequestRow,
} from './contact-requests.repo.js';
import type { ContactActionTokens } from './contact-token.js';
import {
  CustomerErased,
  CustomerNotFound,
  NotApprover,
  NotPending,
  NotReviewer,
  RequestNotFound,
} from './contact.errors.js';
import { approveReissue, removePrintFile } from './contact.letter.js';
import { canApprove, canDownloadLetter } from './contact.roles.js';
import {
  customerEvent,
  lockedCustomer,
  scheduleIfUndelivered,
  type ErasureOutcome,
} from './contact.service.js';
import { requireView, type ContactView } from './contact-view.service.js';

export type { RequestRow } from './contact-requests.repo.js';

/**
 * Requests that need a second person: a supervisor or an administrator other than the requester
 * approves (or anyone of them, or the requester, withdraws). Reviewing one is a look at the
 * customer: audited, counted against the look-up limit, and the source of the token the decision
 * carries.
 */

type Deps = Pick<AppDeps, 'db' | 'now' | 'config' | 'logger' | 'store'>;

export interface Decider {
  staffId: string;
  role: Role;
  note: string;
}

export function listQueue(
  deps: Pick<AppDeps, 'db'>,
  staff: { id: string; role: Role },
): Promise<RequestListRow[]> {
  const all = canApprove(staff.role) || canDownloadLetter(staff.role);
  return listRequests(deps.db, { requestedBy: all ? undefined : staff.id, limit: 200 });
}

export async function requireRequest(deps: Pick<AppDeps, 'db'>, id: string): Promise<RequestRow> {
  const r = await findRequest(deps.db, id);
  if (!r) throw RequestNotFound();
  return r;
}

export interface Review {
  request: RequestRow;
  summary: RequestListRow;
  view: ContactView;
  notes: { request: string | null; decision: string | null };
  token: string;
}

/** Opens a request with its customer's (masked) record: for the requester and those who decide. */
export async function reviewRequest(
  deps: Deps,
  tokens: ContactActionTokens,
  r: RequestRow,
  staff: { id: string; role: Role },
): Promise<Review> {
  if (r.requested_by !== staff.id && !canApprove(staff.role) && !canDownloadLetter(staff.role))
    throw NotReviewer();
  await enforceLookupLimit(deps, staff.id);
  const view = await requireView(deps.db, r.customer_id);
  const [summary] = await listRequests(deps.db, { id: r.id, limit: 1 });
  const notes = await findNoteBodies(deps.db, [r.request_note_id, r.decision_note_id]);
  await audit(
    deps.db,
    {
      staffId: staff.id,
      action: 'contact.request_review',
      targetType: 'customer',
      targetId: r.customer_id,
      campaignId: r.campaign_id,
      details: { requestId: r.id, registrationCode: view.registrationCode },
    },
    deps.now(),
  );
  return {
    request: r,
    summary: summary!,
    view,
    notes: {
      request: r.request_note_id ? (notes.get(r.request_note_id) ?? null) : null,
      decision: r.decision_note_id ? (notes.get(r.decision_note_id) ?? null) : null,
    },
    token: await tokens.issue(staff.id, r.customer_id, deps.now()),
  };
}

export type Approval = { kind: 'reissued' } | ErasureOutcome;

/** Approves a pending request: never by its requester, only by a supervisor or an administrator. */
export async function approveRequest(deps: Deps, r: RequestRow, decider: Decider): Promise<Approval> {
  const why =
    r.requested_by === decider.staffId ? 'own_request' : !canApprove(decider.role) ? 'not_approver' : null;
  if (why) {
    await auditRefusal(deps, { staffId: decider.staffId, customerId: r.customer_id, action: 'approve', why });
    throw NotApprover();
  }
  let file: string | undefined;
  try {
    const outcome = await deps.db.transaction().execute(async (trx): Promise<Approval> => {
      const pending = await lockPendingRequest(trx, r.id);
      if (!pending) throw NotPending();
      const noteId = await storeNote(trx, {
        campaignId: r.campaign_id,
        customerId: r.customer_id,
        staffId: decider.staffId,
        body: decider.note,
        at: deps.now(),
      });
      if (pending.kind === 'reissue') {
        await approveReissue(trx, deps, pending, decider.staffId, noteId, (f) => (file = f));
        return { kind: 'reissued' };
      }
      const c = await lockedCustomer(trx, r.customer_id);
      if (c.erased_at) throw CustomerErased();
      const at = deps.now();
      // Redeemed since the request: the gift is delivered first, then the data goes.
      let result: ErasureOutcome | undefined = await scheduleIfUndelivered(trx, c);
      if (!result) {
        const erased = await eraseCustomer(trx, c.id, at);
        if (!erased) throw CustomerNotFound();
        result = { kind: 'erased', receipt: erased.receipt };
      }
      await decideRequest(trx, r.id, {
        status: 'approved',
        decided_by: decider.staffId,
        decided_at: at,
        decision_note_id: noteId,
        outcome: result,
      });
      const details = { requestId: r.id, requestedBy: r.requested_by, outcome: result, noteId };
      await recordAudit(trx, customerEvent(c, decider.staffId, 'contact.erasure_approved', details), at);
      return result;
    });
    if (outcome.kind === 'erased')
      deps.logger.info(
        { customerId: r.customer_id, receipt: outcome.receipt },
        'erasure: customer erased on a call to the contact centre, approved by a second person',
      );
    return outcome;
  } catch (err) {
    // The key's only copy must not outlive a transaction that did not commit.
    if (file) await removePrintFile(deps.store, file);
    throw err;
  }
}

/** Rejects (or, by the requester, withdraws) a pending request. */
export async function rejectRequest(deps: Deps, r: RequestRow, decider: Decider): Promise<void> {
  if (r.requested_by !== decider.staffId && !canApprove(decider.role)) {
    await auditRefusal(deps, {
      staffId: decider.staffId,
      customerId: r.customer_id,
      action: 'reject',
      why: 'not_approver',
    });
    throw NotApprover();
  }
  await deps.db.transaction().execute(async (trx) => {
    const pending = await lockPendingRequest(trx, r.id);
    if (!pending) throw NotPending();
    const c = await lockedCustomer(trx, r.customer_id);
    const at = deps.now();
    const noteId = await storeNote(trx, {
      campaignId: r.campaign_id,
      customerId: r.customer_id,
      staffId: decider.staffId,
      body: decider.note,
      at,
    });
    await decideRequest(trx, r.id, {
      status: 'rejected',
      decided_by: decider.staffId,
      decided_at: at,
      decision_note_id: noteId,
    });
    const details = { requestId: r.id, requestKind: r.kind, noteId };
    await recordAudit(trx, customerEvent(c, decider.staffId, 'contact.request_rejected', details), at);
  });
}
