import { isAcceptingRedemptions, type Campaign } from '../campaigns/campaign.service.js';
import type { Config } from '../platform/config.js';
import { offeredOptions } from './choice-change.service.js';
import { changeableNow, decideChange, type ChangeState } from './choice-change.rules.js';
import { receiptOf, referenceKey, type Receipt } from './receipt.js';
import type { CustomerStatus } from './redemption.service.js';
import type { DataChoice, GiftOption } from './redemption.table.js';

/** What the status page says can still change, and until when. */
export interface Changeable {
  options: GiftOption[];
  dataChoices: DataChoice[];
  /** The book card's address can be corrected (now a book card not yet in a batch, or switching to one). */
  addressChangeable: boolean;
  /** The procedure deadline: nothing changes after it. */
  until: Date;
  option: GiftOption;
  lastChangedAt: Date | null;
}

/** The redemption's real state as the rules see it (the status row has everything needed). */
export function changeStateOf(campaign: Campaign, st: CustomerStatus, now: Date): ChangeState | null {
  const r = st.redemption;
  if (!r) return null;
  return {
    option: r.option,
    dataChoice: r.data_choice,
    open: isAcceptingRedemptions(campaign, now),
    erased: st.erasedAt !== null,
    erasureRequestedBefore: st.erasureRequestedBefore,
    batchCut: st.progress.batchCut || (r.option === 'book_card' && r.fulfilled_at !== null),
    donationBooked: st.progress.donationBooked || (r.option === 'donation' && r.fulfilled_at !== null),
    offered: offeredOptions(campaign),
  };
}

export function changeableOf(campaign: Campaign, st: CustomerStatus, now: Date): Changeable | null {
  const state = changeStateOf(campaign, st, now);
  if (!state) return null;
  const lists = changeableNow(state);
  const addressChangeable =
    state.option === 'book_card'
      ? decideChange(state, { addressChange: true }).ok
      : lists.options.includes('book_card');
  return {
    ...lists,
    addressChangeable,
    until: campaign.deadlineAt,
    option: state.option,
    lastChangedAt: st.progress.lastChangedAt,
  };
}

/** The locals the completion and status page add for the receipt and the change of mind. */
export function statusLocals(
  deps: { config: Pick<Config, 'LOGIN_KEY_PEPPER'>; now: () => Date },
  campaign: Campaign,
  st: CustomerStatus,
): { receipt: Receipt | null; changeable: Changeable | null } {
  return {
    receipt: st.redemption ? receiptOf(referenceKey(deps.config), st.redemption) : null,
    changeable: changeableOf(campaign, st, deps.now()),
  };
}
