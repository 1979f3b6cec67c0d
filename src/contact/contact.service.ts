import { audit, recordAudit } from '../audit/audit.service.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { findRedemptionByCustomer } from '../redemption/redemption.repo.js';
import { enforceLookupLimit, namesOf, screenText, storeNote } from './contact-guard.service.js';
import { insertRequest, pendingKinds } from './contact-requests.repo.js';
import type { ContactActionTokens } from './contact-token.js';
import {
  AlreadyPending,
  CustomerErased,
  CustomerNotFound,
  ErasureAfterDeliveryOnly,
  NoteRefused,
  ReissueGiftShown,
  ReissueNoAddress,
  UnknownRegistrationCode,
} from './contact.errors.js';
import { findCustomerIdByCode, findOptOut, lockCustomer, setErasureRequested } from './contact.repo.js';
import type { RequestKind } from './contact.tables.js';
import { requireView, viewCustomer, type ContactView, type ErasurePlan } from './contact-view.service.js';
import { findPersonal } from '../customers/customer.repo.js';

/**
 * The contact centre: find a customer by registration code and record what they ask for on the
 * phone. Every look and every action is audited, in the transaction of the change it records; the
 * reason typed with it is a note (contact_notes) the entry refers to, deleted with the campaign.
 * Whatever cannot be undone, or hands over a login, becomes a request for a second person.
 */

export interface Actor {
  staffId: string;
  reason: string;
}

type Deps = Pick<AppDeps, 'db' | 'now'>;

export interface LookupResult {
  view: ContactView;
  token: string;
}

/**
 * Opens a customer's record by registration code, within the staff member's hourly limit. The look
 * is audited whether or not it found someone (a run of misses by one operator is worth seeing) and
 * gives the token the actions on this customer need. An unknown code, or a reason that looks like
 * personal data, is refused (and audited) as an error the look-up form shows.
 */
export async function lookUpCustomer(
  deps: Deps,
  tokens: ContactActionTokens,
  actor: Actor,
  registrationCode: string,
): Promise<LookupResult> {
  await enforceLookupLimit(deps, actor.staffId);
  const customerId = await findCustomerIdByCode(deps.db, registrationCode);
  const view = customerId ? await viewCustomer(deps.db, customerId) : undefined;
  const entry = (details: Record<string, unknown>) => ({
    staffId: actor.staffId,
    action: 'contact.lookup',
    targetType: 'customer',
    targetId: view?.customerId,
    campaignId: view?.campaign.id ?? null,
    details: { registrationCode, found: view !== undefined, ...details },
  });
  if (!view) {
    await audit(deps.db, entry({}), deps.now());
    throw UnknownRegistrationCode();
  }
  const refusal = screenText(actor.reason, await namesOf(deps.db, view.customerId));
  if (refusal) {
    await audit(deps.db, entry({ reasonRefused: true }), deps.now());
    throw NoteRefused(refusal);
  }
  await deps.db.transaction().execute(async (trx) => {
    const noteId = await storeNote(trx, note(view.campaign.id, view.customerId, actor, deps.now()));
    await recordAudit(trx, entry({ noteId }), deps.now());
  });
  return { view, token: await tokens.issue(actor.staffId, view.customerId, deps.now()) };
}

const note = (campaignId: string, customerId: string, actor: Actor, at: Date) => ({
  campaignId,
  customerId,
  staffId: actor.staffId,
  body: actor.reason,
  at,
});

export async function lockedCustomer(trx: Db, customerId: string) {
  const c = await lockCustomer(trx, customerId);
  if (!c) throw CustomerNotFound();
  return c;
}

type LockedCustomer = Awaited<ReturnType<typeof lockedCustomer>>;

export const customerEvent = (
  c: { id: string; campaign_id: string; registration_code: string },
  staffId: string,
  action: string,
  details: Record<string, unknown>,
) => ({
  staffId,
  action,
  targetType: 'customer',
  targetId: c.id,
  campaignId: c.campaign_id,
  details: { registrationCode: c.registration_code, ...details },
});

/** The customer, locked, not erased, and the reason stored as a note (screened against their names). */
async function begin(trx: Db, deps: Deps, actor: Actor, customerId: string) {
  const c = await lockedCustomer(trx, customerId);
  if (c.erased_at) throw CustomerErased();
  const noteId = await storeNote(trx, note(c.campaign_id, c.id, actor, deps.now()));
  return { c, noteId };
}

export type OptOutOutcome = 'added' | 'already';

/** Stop marketing, asked for by phone: the customer goes on the suppression list the other systems read. */
export async function recordOptOut(deps: Deps, actor: Actor, customerId: string): Promise<OptOutOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const { c, noteId } = await begin(trx, deps, actor, customerId);
    const outcome: OptOutOutcome = (await findOptOut(trx, c.id)) ? 'already' : 'added';
    if (outcome === 'added') await addToSuppressionList(trx, c.campaign_id, [c.id], deps.now());
    await recordAudit(
      trx,
      customerEvent(c, actor.staffId, 'contact.opt_out', { outcome, noteId }),
      deps.now(),
    );
    return outcome;
  });
}

/** What an erasure request would do now, for the confirmation page (no personal data on it). */
export async function erasurePlan(db: Db, customerId: string): Promise<ErasurePlan> {
  const view = await requireView(db, customerId);
  if (view.erasure.erasedAt) throw CustomerErased();
  if (view.pending.erasure) throw AlreadyPending('erasure');
  if (!view.actions.erasure) throw ErasureAfterDeliveryOnly();
  return view.actions.erasure;
}

export type ErasureOutcome =
  | { kind: 'after_delivery' }
  | { kind: 'already_scheduled' }
  | { kind: 'awaiting_approval'; requestId: string }
  | { kind: 'erased'; receipt: string };

/** Schedules erasure after delivery when a gift is still to come; undefined when there is none. */
export async function scheduleIfUndelivered(
  trx: Db,
  c: LockedCustomer,
): Promise<Extract<ErasureOutcome, { kind: 'after_delivery' | 'already_scheduled' }> | undefined> {
  const redemption = await findRedemptionByCustomer(trx, c.id);
  if (!redemption || redemption.fulfilled_at) return undefined;
  const scheduled = c.erasure_requested_before || redemption.data_choice === 'erasure';
  if (!scheduled) await setErasureRequested(trx, c.id);
  return { kind: scheduled ? 'already_scheduled' : 'after_delivery' };
}

/**
 * Erasure asked for by phone. With a gift still to deliver, the data is needed for it: the customer
 * is flagged and erased after delivery, as if they had asked before the letter. Otherwise the data
 * would go at once, which cannot be undone: that becomes a request a second person approves.
 */
export async function requestErasure(deps: Deps, actor: Actor, customerId: string): Promise<ErasureOutcome> {
  return deps.db.transaction().execute(async (trx): Promise<ErasureOutcome> => {
    const { c, noteId } = await begin(trx, deps, actor, customerId);
    const scheduled = await scheduleIfUndelivered(trx, c);
    if (scheduled) {
      const details = { outcome: scheduled, noteId };
      await recordAudit(trx, customerEvent(c, actor.staffId, 'contact.erasure_request', details), deps.now());
      return scheduled;
    }
    const requestId = await openRequest(trx, 'erasure', c, actor, noteId, deps.now());
    const details = { requestId, noteId };
    await recordAudit(trx, customerEvent(c, actor.staffId, 'contact.erasure_requested', details), deps.now());
    return { kind: 'awaiting_approval', requestId };
  });
}

async function openRequest(
  trx: Db,
  kind: RequestKind,
  c: LockedCustomer,
  actor: Actor,
  noteId: string,
  at: Date,
): Promise<string> {
  const requestId = await insertRequest(trx, {
    kind,
    campaign_id: c.campaign_id,
    customer_id: c.id,
    requested_by: actor.staffId,
    requested_at: at,
    request_note_id: noteId,
  });
  if (!requestId) throw AlreadyPending(kind);
  return requestId;
}

/** Refused once a gift code has been shown: a new key would show it to whoever holds the letter. */
export async function assertReissuable(trx: Db, c: LockedCustomer): Promise<void> {
  if (c.erased_at) throw CustomerErased();
  const redemption = await findRedemptionByCustomer(trx, c.id);
  if (redemption?.option === 'emoney') throw ReissueGiftShown();
  if (!(await findPersonal(trx, c.id))) throw ReissueNoAddress();
}

/**
 * A lost letter: a request for a new login key. Nothing changes yet and no key exists: a second
 * person approves (see contact.letter.ts), and only then is the key made, into a print file.
 */
export async function requestReissue(deps: Deps, actor: Actor, customerId: string): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    const { c, noteId } = await begin(trx, deps, actor, customerId);
    await assertReissuable(trx, c);
    if ((await pendingKinds(trx, c.id)).includes('reissue')) throw AlreadyPending('reissue');
    const requestId = await openRequest(trx, 'reissue', c, actor, noteId, deps.now());
    const details = { requestId, noteId };
    await recordAudit(trx, customerEvent(c, actor.staffId, 'contact.reissue_requested', details), deps.now());
    return requestId;
  });
}
