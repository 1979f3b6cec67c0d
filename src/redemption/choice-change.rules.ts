import type { DataChoice, GiftOption } from './redemption.table.js';

/**
 * The rules of a change of mind, as a pure function of the redemption's real state (read under
 * lock by choice-change.service.ts). Kept free of I/O so that a property test can walk them.
 *
 * - Nothing changes once the campaign is closed or the customer's data has been erased.
 * - The gift: book card ↔ donation only. A book card is locked once it is in a shipping batch (the
 *   vendor has its address), a donation once it is booked in the ledger. E-money is locked at once
 *   (its code is shown on completion), and nothing changes into e-money (a code would be spent).
 * - The data choice: 'stop marketing' ↔ 'erase', and 'none' → either, until the erasure ran. It
 *   is never withdrawn back to 'none' on the web: an opt-out may already have reached the company's
 *   other systems (the contact centre handles such a request). A customer who had asked for
 *   erasure before the letter keeps 'erasure'.
 * - The shipping address can be corrected while the card is not yet in a batch.
 */

export interface ChangeState {
  option: GiftOption;
  dataChoice: DataChoice;
  /** The campaign still takes redemptions (state and deadline). */
  open: boolean;
  erased: boolean;
  erasureRequestedBefore: boolean;
  /** The book card is in a shipping batch (or already shipped). */
  batchCut: boolean;
  /** The donation is booked in the ledger (or the gift otherwise fulfilled). */
  donationBooked: boolean;
  /** The gifts this campaign offers. */
  offered: readonly GiftOption[];
}

export interface ChangeWish {
  option?: GiftOption;
  dataChoice?: DataChoice;
  /** A corrected shipping address comes with it (only for a book card). */
  addressChange?: boolean;
}

export type ChangeRefusal =
  | 'closed'
  | 'erased'
  | 'emoney_locked'
  | 'to_emoney'
  | 'option_unavailable'
  | 'book_card_cut'
  | 'donation_booked'
  | 'data_choice_fixed'
  | 'no_withdrawal'
  | 'address_needs_book_card'
  | 'nothing_to_change';

export type ChangeDecision =
  | { ok: true; option: GiftOption; dataChoice: DataChoice; optionChanged: boolean; dataChanged: boolean }
  | { ok: false; refusal: ChangeRefusal };

function giftRefusal(s: ChangeState, to: GiftOption, addressChange: boolean): ChangeRefusal | null {
  if (to === s.option && !addressChange) return null;
  if (s.option === 'emoney') return 'emoney_locked';
  if (to === 'emoney') return 'to_emoney';
  if (!s.offered.includes(to)) return 'option_unavailable';
  if (addressChange && to !== 'book_card') return 'address_needs_book_card';
  if (s.option === 'book_card' && s.batchCut) return 'book_card_cut';
  if (s.option === 'donation' && s.donationBooked) return 'donation_booked';
  return null;
}

function dataRefusal(s: ChangeState, to: DataChoice): ChangeRefusal | null {
  if (to === s.dataChoice) return null;
  if (s.erasureRequestedBefore) return 'data_choice_fixed';
  if (to === 'none') return 'no_withdrawal';
  return null;
}

/** Whether the wish can be granted now, and the redemption's option and data choice after it. */
export function decideChange(s: ChangeState, wish: ChangeWish): ChangeDecision {
  if (!s.open) return { ok: false, refusal: 'closed' };
  if (s.erased) return { ok: false, refusal: 'erased' };
  const option = wish.option ?? s.option;
  const dataChoice = wish.dataChoice ?? s.dataChoice;
  const addressChange = wish.addressChange === true;
  const refusal = giftRefusal(s, option, addressChange) ?? dataRefusal(s, dataChoice);
  if (refusal) return { ok: false, refusal };
  const optionChanged = option !== s.option;
  const dataChanged = dataChoice !== s.dataChoice;
  if (!optionChanged && !dataChanged && !addressChange) return { ok: false, refusal: 'nothing_to_change' };
  return { ok: true, option, dataChoice, optionChanged, dataChanged };
}

/** What the customer could still change now: the status page's list. */
export function changeableNow(s: ChangeState): { options: GiftOption[]; dataChoices: DataChoice[] } {
  const all: GiftOption[] = ['book_card', 'donation'];
  const options = all.filter((o) => o !== s.option && decideChange(s, { option: o }).ok);
  const choices: DataChoice[] = ['marketing_optout', 'erasure'];
  const dataChoices = choices.filter((d) => d !== s.dataChoice && decideChange(s, { dataChoice: d }).ok);
  return { options, dataChoices };
}
