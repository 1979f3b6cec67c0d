import type { CampaignDefinition } from '../campaigns/campaign.schema.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { findCustomer, findPersonal } from '../customers/customer.repo.js';
import type { CustomerRow } from '../customers/customer.table.js';
import { maskAddress, maskName, maskPostalCode } from '../customers/mask.js';
import type { Db } from '../platform/database.js';
import { findRedemptionByCustomer } from '../redemption/redemption.repo.js';
import type { RedemptionRow } from '../redemption/redemption.table.js';
import { pendingKinds } from './contact-requests.repo.js';
import { CustomerNotFound } from './contact.errors.js';
import { OPTION_FALLBACK_LABELS } from './contact.messages.js';
import { findDonationFact, findOptOut, findShippingFact, hasEmoneyCode } from './contact.repo.js';
import type { ContactView } from './contact-view.types.js';

export type { ContactView, ErasurePlan } from './contact-view.types.js';

/**
 * What the contact centre sees of a customer: who (masked), what leaked, what they chose, where
 * the gift and their data stand, and which actions are open. Raw personal data stops here: the view
 * holds masked values only.
 */

type Personal = NonNullable<Awaited<ReturnType<typeof findPersonal>>>;

function personalView(p: Personal): NonNullable<ContactView['personal']> {
  return {
    name: maskName(p.full_name),
    postalCode: maskPostalCode(p.postal_code),
    address: maskAddress(p.address),
    ship:
      p.ship_address && p.ship_postal_code
        ? { postalCode: maskPostalCode(p.ship_postal_code), address: maskAddress(p.ship_address) }
        : null,
    householdCount: Array.isArray(p.household) ? p.household.length : 0,
  };
}

function redemptionView(r: RedemptionRow, def: CampaignDefinition): NonNullable<ContactView['redemption']> {
  const optionDef = def.options[r.option === 'book_card' ? 'bookCard' : r.option];
  return {
    id: r.id,
    channel: r.channel,
    option: r.option,
    optionLabel:
      (optionDef && 'productName' in optionDef ? optionDef.productName : undefined) ??
      OPTION_FALLBACK_LABELS[r.option],
    brandLabel: r.brand
      ? (def.options.emoney?.brands.find((b) => b.key === r.brand)?.label ?? r.brand)
      : null,
    amountYen: r.amount_yen,
    dataChoice: r.data_choice,
    redeemedAt: r.redeemed_at,
    postmarkDate: r.postmark_date,
    fulfilledAt: r.fulfilled_at,
  };
}

/** What became of the gift: one fact per option, the others null. */
async function fulfilmentOf(db: Db, r: RedemptionRow | undefined): Promise<ContactView['fulfilment']> {
  const [emoneyIssued, shipping, donation] = r
    ? await Promise.all([
        r.option === 'emoney' ? hasEmoneyCode(db, r.id) : null,
        r.option === 'book_card' ? findShippingFact(db, r.id) : undefined,
        r.option === 'donation' ? findDonationFact(db, r.id) : undefined,
      ])
    : [null, undefined, undefined];
  return { emoneyIssued, shipping: shipping ?? null, donation: donation ?? null };
}

/**
 * reissue: not once an e-money gift was chosen (its code is shown to whoever logs in) nor while
 * one is pending; erasure: not while one is pending, nor twice before delivery.
 */
function actionsOf(
  customer: CustomerRow,
  facts: { personal: boolean; redemption: RedemptionRow | undefined; optedOut: boolean },
  pending: ContactView['pending'],
  scheduled: boolean,
): ContactView['actions'] {
  const erased = customer.erased_at !== null;
  const undelivered = facts.redemption !== undefined && facts.redemption.fulfilled_at === null;
  return {
    optOut: !erased && !facts.optedOut,
    erasure:
      erased || pending.erasure || (scheduled && undelivered) ? null : undelivered ? 'after_delivery' : 'now',
    reissue: !erased && facts.personal && facts.redemption?.option !== 'emoney' && !pending.reissue,
  };
}

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
  const fulfilment = await fulfilmentOf(db, redemption);
  const erased = customer.erased_at !== null;
  const scheduled = !erased && (customer.erasure_requested_before || redemption?.data_choice === 'erasure');
  const facts = { personal: personal !== undefined, redemption, optedOut: optOut !== undefined };
  return {
    customerId: customer.id,
    registrationCode: customer.registration_code,
    campaign: {
      id: campaignRow.id,
      slug: campaignRow.slug,
      companyName: campaignRow.company_name,
      state: campaignRow.state,
    },
    personal: personal ? personalView(personal) : null,
    leakedItems: customer.leaked_items.map((k) => def.leakedItems.find((i) => i.key === k)?.label ?? k),
    redemption: redemption ? redemptionView(redemption, def) : null,
    fulfilment,
    erasure: {
      requestedBefore: customer.erasure_requested_before,
      scheduled,
      erasedAt: customer.erased_at,
      receipt: customer.erasure_receipt,
    },
    optOut: optOut ? { requestedAt: optOut.requested_at, exportedAt: optOut.exported_at } : null,
    pending,
    actions: actionsOf(customer, facts, pending, scheduled),
  };
}

export async function requireView(db: Db, customerId: string): Promise<ContactView> {
  const view = await viewCustomer(db, customerId);
  if (!view) throw CustomerNotFound();
  return view;
}
