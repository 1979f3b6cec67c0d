import type { RedemptionRow } from '../redemption/redemption.table.js';
import type { findDonationFact, findShippingFact } from './contact.repo.js';

/** What the contact centre's record of a customer holds (contact-view.service.ts builds it, masked). */

export type ErasurePlan = 'now' | 'after_delivery';

export interface ContactView {
  customerId: string;
  registrationCode: string;
  campaign: { id: string; slug: string; companyName: string; state: string };
  /** Null once erased (or purged). */
  personal: {
    name: string;
    postalCode: string;
    address: string;
    /** The corrected shipping address of a book card, masked, when there is one. */
    ship: { postalCode: string; address: string } | null;
    householdCount: number;
  } | null;
  leakedItems: string[];
  redemption: {
    id: string;
    channel: RedemptionRow['channel'];
    option: RedemptionRow['option'];
    optionLabel: string;
    brandLabel: string | null;
    amountYen: number;
    dataChoice: RedemptionRow['data_choice'];
    redeemedAt: Date;
    postmarkDate: string | null;
    fulfilledAt: Date | null;
  } | null;
  fulfilment: {
    emoneyIssued: boolean | null;
    shipping: Awaited<ReturnType<typeof findShippingFact>> | null;
    donation: Awaited<ReturnType<typeof findDonationFact>> | null;
  };
  erasure: {
    requestedBefore: boolean;
    /** Erasure chosen or requested and not yet done: it happens after delivery. */
    scheduled: boolean;
    erasedAt: Date | null;
    receipt: string | null;
  };
  optOut: { requestedAt: Date; exportedAt: Date | null } | null;
  /** Requests waiting for a second person's approval. */
  pending: { reissue: boolean; erasure: boolean };
  /** Which actions the page offers (see actionsOf in contact-view.service.ts). */
  actions: { optOut: boolean; erasure: ErasurePlan | null; reissue: boolean };
}
