import type { Kysely } from 'kysely';
import { login } from '../auth/auth.service.js';
import type { LoginForm } from '../auth/auth.schema.js';
import type { CustomerSession, SessionCodec } from '../auth/session.js';
import { endSession, startSession } from '../auth/session.service.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { isAcceptingRedemptions, toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import { SessionEnded } from '../auth/auth.errors.js';
import type { Catalogue } from '../messages/catalogue.js';
import type { AppDeps } from '../platform/deps.js';
import type { Database } from '../platform/database.js';
import { validationError } from '../platform/errors.js';
import { parseChoice } from '../redemption/redemption.schema.js';
import { getCustomerStatus, redeemOnWeb, type CustomerStatus } from '../redemption/redemption.service.js';
import type { RedemptionRow } from '../redemption/redemption.table.js';
import { runIdempotent, type Answer } from './idempotency.service.js';

/**
 * The customer's API: the web's use cases (login with its lockout and neutral error, the status,
 * the redemption) behind a bearer token instead of a cookie.
 */

type Deps = Pick<AppDeps, 'db' | 'config' | 'now'>;

/** Logs in (auth service: throttle, lockout, one neutral failure) and starts a session row. */
export async function apiLogin(
  deps: Deps,
  codec: SessionCodec,
  campaign: Campaign,
  form: LoginForm,
  clientIp: string,
) {
  const at = deps.now();
  const { customerId } = await login(deps.db, deps.config, campaign, form, clientIp, at);
  const { token, session } = await startSession(deps.db, codec, customerId, campaign.id, at);
  return { token, tokenType: 'Bearer' as const, expiresAt: session.expiresAt.toISOString() };
}

export const apiLogout = (db: Kysely<Database>, session: CustomerSession) => endSession(db, session);

/** The campaign of a session (any state a session can still exist in). */
export async function sessionCampaign(db: Kysely<Database>, session: CustomerSession): Promise<Campaign> {
  const row = await findCampaignById(db, session.campaignId);
  if (!row || row.state === 'draft' || row.state === 'purged') throw SessionEnded();
  return toCampaign(row);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const redemptionSummary = (r: RedemptionRow) => ({
  id: r.id,
  channel: r.channel,
  option: r.option,
  brand: r.brand,
  amountYen: r.amount_yen,
  dataChoice: r.data_choice,
  redeemedAt: r.redeemed_at.toISOString(),
  fulfilledAt: iso(r.fulfilled_at),
});

export function statusBody(campaign: Campaign, st: CustomerStatus, now: Date) {
  const def = campaign.def;
  const options = (['emoney', 'book_card', 'donation'] as const).filter(
    (o) =>
      (o === 'emoney'
        ? def.options.emoney
        : o === 'book_card'
          ? def.options.bookCard
          : def.options.donation) !== null,
  );
  return {
    campaign: {
      slug: campaign.slug,
      companyName: def.companyName,
      deadline: def.deadline,
      acceptingRedemptions: isAcceptingRedemptions(campaign, now),
      options,
      brands: (def.options.emoney?.brands ?? []).map((b) => ({ key: b.key, label: b.label })),
    },
    leakedItems: st.leakedItemKeys.map((k) => ({
      key: k,
      label: def.leakedItems.find((i) => i.key === k)?.label ?? k,
    })),
    personal: st.personal,
    redemption: st.redemption ? redemptionSummary(st.redemption) : null,
    emoneyCode: st.emoneyCode,
    erasure: {
      requestedBefore: st.erasureRequestedBefore,
      erasedAt: iso(st.erasedAt),
      receipt: st.erasureReceipt,
    },
  };
}

export async function apiStatus(deps: Deps, session: CustomerSession) {
  const campaign = await sessionCampaign(deps.db, session);
  const st = await getCustomerStatus(deps.db, campaign, session.customerId);
  return statusBody(campaign, st, deps.now());
}

/**
 * Redeems with an Idempotency-Key: the web's redemption (redeemOnWeb: the customer row locked, one
 * redemption per customer, the pool code, the outbox intent) in the transaction that stores the
 * answer. An invalid choice is refused with the page's messages per field (in the language asked
 * for) before anything runs.
 * 201 with the new redemption; 200 with the standing one when the customer had already redeemed.
 */
export async function apiRedeem(
  deps: Deps,
  session: CustomerSession,
  body: unknown,
  key: unknown,
  catalogue: Catalogue,
) {
  const campaign = await sessionCampaign(deps.db, session);
  const st = await getCustomerStatus(deps.db, campaign, session.customerId);
  const parsed = parseChoice(campaign.def, body, st.erasureRequestedBefore, catalogue);
  if (!parsed.ok) throw validationError(parsed.errors);
  const now = deps.now();
  const request = {
    scope: `customer:${session.customerId}`,
    customerId: session.customerId,
    campaignId: campaign.id,
    apiTokenId: null,
    key,
    fingerprint: ['POST /me/redemption', body ?? null],
    now,
  };
  return runIdempotent(deps.db, request, async (trx): Promise<Answer> => {
    const done = await redeemOnWeb(trx, campaign, session.customerId, parsed.choice, now);
    const after = await getCustomerStatus(trx, campaign, session.customerId);
    const redemption = redemptionSummary(after.redemption!);
    return { status: done.created ? 201 : 200, body: { created: done.created, redemption } };
  });
}
