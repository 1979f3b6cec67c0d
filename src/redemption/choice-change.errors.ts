import { errorFactory } from '../platform/errors.js';
import type { ChangeRefusal } from './choice-change.rules.js';

/** The customer has no redemption yet: there is nothing to change (choose first). */
export const NothingRedeemed = errorFactory('not_found', (c) => c.change.nothingRedeemed);
/** The campaign's deadline has passed (or it is closed): nothing changes any more. */
export const ChangeClosed = errorFactory('campaign_closed', (c) => c.change.refused.closed);
/** Fulfilment (or erasure) got there first: the choice is locked. `refusal` says which lock. */
export const ChangeLocked = errorFactory('conflict', (c, refusal: LockRefusal) => c.change.refused[refusal]);
/** The wish itself is not a change the rules allow (into e-money, back to 'none', nothing at all). */
export const ChangeNotAllowed = errorFactory(
  'validation',
  (c, refusal: InvalidRefusal) => c.change.refused[refusal],
);

export type LockRefusal = Extract<
  ChangeRefusal,
  'erased' | 'emoney_locked' | 'book_card_cut' | 'donation_booked'
>;
export type InvalidRefusal = Exclude<ChangeRefusal, LockRefusal | 'closed'>;

const LOCKS: readonly ChangeRefusal[] = ['erased', 'emoney_locked', 'book_card_cut', 'donation_booked'];

/** The error for a refusal of the rules (choice-change.rules.ts). */
export function refusalError(refusal: ChangeRefusal) {
  if (refusal === 'closed') return ChangeClosed();
  if (LOCKS.includes(refusal)) return ChangeLocked(refusal as LockRefusal);
  return ChangeNotAllowed(refusal as InvalidRefusal);
}
