import type { Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { findRedemptionByCustomer } from '../redemption/redemption.repo.js';
import type { RedemptionRow } from '../redemption/redemption.table.js';
import { pendingKinds } from './contact-requests.repo.js';
import { findDonationFact, findOptOut, findShippingFact, hasEmoneyCode } from './contact.repo.js';
import { findCustomer, findPersonal } from '../customers/customer.repo.js';
import { maskAddress, maskName, maskPostalCode } from '../customers/mask.js';

/**
 * What the contact centre sees of a customer: who (masked), what leaked, what they chose, where
 * the gift and their data stand, and which actions are open. Raw personal data stops here: the view
 * holds masked values only.
 */

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
  /**
   * reissue: not once an e-money gift was chosen (its code is shown to whoever logs in) nor while
   * one is pending; erasure: not while one is pending.
   */
  actions: { optOut: boolean; erasure: ErasurePlan | null; reissue: boolean };
}

const OPTION_FALLBACK: Record<RedemptionRow['option'], string> = {
  emoney: '電子マネーギフト',
  book_card: '図書カード',
  donation: '寄付',
};

/** Everything the page shows, masked. Undefined when there is no such customer. */
export async function viewCustomer(db: Db, customerId: string): Promise<ContactView | undefined> {
  const [customer, personal, redemption, optOut, pendingList] = await Promise.all([
    findCustomer(db, customerId),
    findPersonal(db, customerId),
    findRedemptionByCustomer(db, customerId),
    findOptOut(db, customerId),
    pendingKinds(db, customerId),
  ]);
  const pending = { reissue: pendingList.includes('reissue'), erasure: pendingList.includes('erasure') };
  if (!customer) return undefined;
  const campaignRow = await findCampaignById(db, customer.campaign_id);
  if (!campaignRow) return undefined;
  const def = campaignRow.definition;
  const [emoneyIssued, shipping, donation] = redemption
    ? await Promise.all([
        redemption.option === 'emoney' ? hasEmoneyCode(db, redemption.id) : null,
        redemption.option === 'book_card' ? findShippingFact(db, redemption.id) : undefined,
        redemption.option === 'donation' ? findDonationFact(db, redemption.id) : undefined,
      ])
    : [null, undefined, undefined];

  const erased = customer.erased_at !== null;
  const scheduled = !erased && (customer.erasure_requested_before || redemption?.data_choice === 'erasure');
  const undelivered = redemption !== undefined && redemption.fulfilled_at === null;
  const optionDef =
    redemption && def.options[redemption.option === 'book_card' ? 'bookCard' : redemption.option];

  return {
    customerId: customer.id,
    registrationCode: customer.registration_code,
    campaign: {
      id: campaignRow.id,
      slug: campaignRow.slug,
      companyName: campaignRow.company_name,
      state: campaignRow.state,
    },
    personal: personal
      ? {
          name: maskName(personal.full_name),
          postalCode: maskPostalCode(personal.postal_code),
          address: maskAddress(personal.address),
          ship:
            personal.ship_address && personal.ship_postal_code
              ? {
                  postalCode: maskPostalCode(personal.ship_postal_code),
                  address: maskAddress(personal.ship_address),
                }
              : null,
          householdCount: Array.isArray(personal.household) ? personal.household.length : 0,
        }
      : null,
    leakedItems: customer.leaked_items.map((k) => def.leakedItems.find((i) => i.key === k)?.label ?? k),
    redemption: redemption
      ? {
          id: redemption.id,
          channel: redemption.channel,
          option: redemption.option,
          optionLabel:
            (optionDef && 'productName' in optionDef ? optionDef.productName : undefined) ??
            OPTION_FALLBACK[redemption.option],
          brandLabel: redemption.brand
            ? (def.options.emoney?.brands.find((b) => b.key === redemption.brand)?.label ?? redemption.brand)
            : null,
          amountYen: redemption.amount_yen,
          dataChoice: redemption.data_choice,
          redeemedAt: redemption.redeemed_at,
          postmarkDate: redemption.postmark_date,
          fulfilledAt: redemption.fulfilled_at,
        }
      : null,
    fulfilment: { emoneyIssued, shipping: shipping ?? null, donation: donation ?? null },
    erasure: {
      requestedBefore: customer.erasure_requested_before,
      scheduled,
      erasedAt: customer.erased_at,
      receipt: customer.erasure_receipt,
    },
    optOut: optOut ? { requestedAt: optOut.requested_at, exportedAt: optOut.exported_at } : null,
    pending,
    actions: {
      optOut: !erased && !optOut,
      erasure:
        erased || pending.erasure || (scheduled && undelivered)
          ? null
          : undelivered
            ? 'after_delivery'
            : 'now',
      reissue: !erased && personal !== undefined && redemption?.option !== 'emoney' && !pending.reissue,
    },
  };
}

export async function requireView(db: Db, customerId: string): Promise<ContactView> {
  const view = await viewCustomer(db, customerId);
  if (!view) throw notFound('お客様');
  return view;
}
