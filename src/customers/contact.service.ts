import { audit, recordAudit } from '../audit/audit.service.js';
import { eraseCustomer } from '../erasure/erasure.repo.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { findRedemptionByCustomer } from '../redemption/redemption.repo.js';
import { findCustomerIdByCode, findOptOut, lockCustomer, setErasureRequested } from './contact.repo.js';
import { requireView, viewCustomer, type ContactView, type ErasurePlan } from './contact.view.js';

/**
 * The contact centre: find a customer by registration code and record what they ask for on the
 * phone. Every look and every action is audited with the operator's reason, in the transaction of
 * the change it records.
 */

export interface Actor {
  staffId: string;
  reason: string;
}

/**
 * Opens a customer's record by registration code. The look is audited whether or not it found
 * someone: a run of misses by one operator is worth seeing in the log.
 */
export async function lookUpCustomer(
  deps: Pick<AppDeps, 'db' | 'now'>,
  actor: Actor,
  registrationCode: string,
): Promise<ContactView | undefined> {
  const customerId = await findCustomerIdByCode(deps.db, registrationCode);
  const view = customerId ? await viewCustomer(deps.db, customerId) : undefined;
  await audit(
    deps.db,
    {
      staffId: actor.staffId,
      action: 'contact.lookup',
      targetType: 'customer',
      targetId: view?.customerId,
      campaignId: view?.campaign.id ?? null,
      reason: actor.reason,
      details: { registrationCode, found: view !== undefined },
    },
    deps.now(),
  );
  return view;
}

export const ERASED =
  'このお客様の個人情報はすでに消去されています。お手続きの内容は受付番号でご案内ください。';

export async function lockedCustomer(trx: Db, customerId: string) {
  const c = await lockCustomer(trx, customerId);
  if (!c) throw notFound('お客様');
  return c;
}

export const customerEvent = (
  c: { id: string; campaign_id: string; registration_code: string },
  actor: Actor,
  action: string,
  details: Record<string, unknown>,
) => ({
  staffId: actor.staffId,
  action,
  targetType: 'customer',
  targetId: c.id,
  campaignId: c.campaign_id,
  reason: actor.reason,
  details: { registrationCode: c.registration_code, ...details },
});

export type OptOutOutcome = 'added' | 'already';

/** Stop marketing, asked for by phone: the customer goes on the suppression list the other systems read. */
export async function recordOptOut(
  deps: Pick<AppDeps, 'db' | 'now'>,
  actor: Actor,
  customerId: string,
): Promise<OptOutOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await lockedCustomer(trx, customerId);
    if (c.erased_at) throw new AppError('conflict', ERASED);
    const outcome: OptOutOutcome = (await findOptOut(trx, c.id)) ? 'already' : 'added';
    if (outcome === 'added') await addToSuppressionList(trx, c.id, deps.now());
    await recordAudit(trx, customerEvent(c, actor, 'contact.opt_out', { outcome }), deps.now());
    return outcome;
  });
}

/** What an erasure request would do now, for the confirmation page (no personal data on it). */
export async function erasurePlan(
  db: Db,
  customerId: string,
): Promise<{ view: ContactView; plan: ErasurePlan }> {
  const view = await requireView(db, customerId);
  if (view.erasure.erasedAt) throw new AppError('conflict', ERASED);
  if (!view.actions.erasure)
    throw new AppError('conflict', 'このお客様の個人情報は、お詫びの品のお届け後に消去される予定です。');
  return { view, plan: view.actions.erasure };
}

export type ErasureOutcome =
  { kind: 'after_delivery' } | { kind: 'already_scheduled' } | { kind: 'erased'; receipt: string };

/**
 * Erasure asked for by phone. With a gift still to deliver, the data is needed for it: the customer
 * is flagged and erased after delivery, as if they had asked before the letter. Otherwise (no
 * redemption, or delivered) the data goes now, in the same transaction as the audit entry.
 */
export async function requestErasure(
  deps: Pick<AppDeps, 'db' | 'now' | 'logger'>,
  actor: Actor,
  customerId: string,
): Promise<ErasureOutcome> {
  const outcome = await deps.db.transaction().execute(async (trx): Promise<ErasureOutcome> => {
    const c = await lockedCustomer(trx, customerId);
    if (c.erased_at) throw new AppError('conflict', ERASED);
    const redemption = await findRedemptionByCustomer(trx, c.id);
    let result: ErasureOutcome;
    if (redemption && !redemption.fulfilled_at) {
      const scheduled = c.erasure_requested_before || redemption.data_choice === 'erasure';
      if (!scheduled) await setErasureRequested(trx, c.id);
      result = { kind: scheduled ? 'already_scheduled' : 'after_delivery' };
    } else {
      const erased = await eraseCustomer(trx, c.id, deps.now());
      if (!erased) throw notFound('お客様');
      result = { kind: 'erased', receipt: erased.receipt };
    }
    await recordAudit(
      trx,
      customerEvent(c, actor, 'contact.erasure_request', { outcome: result }),
      deps.now(),
    );
    return result;
  });
  if (outcome.kind === 'erased')
    deps.logger.info(
      { customerId, receipt: outcome.receipt },
      'erasure: customer erased on a call to the contact centre',
    );
  return outcome;
}
