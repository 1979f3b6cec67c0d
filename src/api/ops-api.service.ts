import { ContactActionTokens } from '../contact/contact-token.js';
import { lookUpCustomer } from '../contact/contact.service.js';
import type { ContactView } from '../contact/contact-view.service.js';
import type { AppDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import { enterCard } from '../postcards/postcard-entry.service.js';
import { entrySchema, isId } from '../postcards/postcard.schema.js';
import { viewCampaignReport } from '../reports/reports.service.js';
import type { ApiCaller } from './api-tokens.service.js';
import { BadCampaign, BadCursor, BadLimit } from './api.errors.js';
import { parseWith } from './body.js';
import { readSuppressionFeed } from './suppression-feed.repo.js';
import { LookupSchema } from '../contact/contact.schema.js';
import { registrationCodeByReference } from '../redemption/receipt.service.js';

/**
 * The operators' API: the console's use cases, acting as the token's creator (their look-up limit,
 * their keying, their audit entries), with answers for machines.
 */

type Deps = Pick<AppDeps, 'db' | 'config' | 'now'>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function maskedCustomer(v: ContactView) {
  return {
    registrationCode: v.registrationCode,
    campaign: { slug: v.campaign.slug, companyName: v.campaign.companyName, state: v.campaign.state },
    personal: v.personal
      ? {
          name: v.personal.name,
          postalCode: v.personal.ship?.postalCode ?? v.personal.postalCode,
          address: v.personal.ship?.address ?? v.personal.address,
          householdCount: v.personal.householdCount,
        }
      : null,
    leakedItems: v.leakedItems,
    redemption: v.redemption
      ? {
          option: v.redemption.option,
          optionLabel: v.redemption.optionLabel,
          brandLabel: v.redemption.brandLabel,
          amountYen: v.redemption.amountYen,
          dataChoice: v.redemption.dataChoice,
          channel: v.redemption.channel,
          redeemedAt: v.redemption.redeemedAt.toISOString(),
          fulfilledAt: iso(v.redemption.fulfilledAt),
        }
      : null,
    erasure: {
      requestedBefore: v.erasure.requestedBefore,
      scheduled: v.erasure.scheduled,
      erasedAt: iso(v.erasure.erasedAt),
    },
    optOut: v.optOut
      ? { requestedAt: v.optOut.requestedAt.toISOString(), exportedAt: iso(v.optOut.exportedAt) }
      : null,
    pending: v.pending,
  };
}

/** The contact centre's look-up by registration code (limit, note, audit: lookUpCustomer), masked. */
export async function apiLookup(deps: Deps, caller: ApiCaller, body: unknown) {
  const { registrationCode: typed, reason } = parseWith(LookupSchema, body);
  // A receipt's reference number (受付番号) finds the same customer, as on the console's look-up.
  const registrationCode = (await registrationCodeByReference(deps, typed)) ?? typed;
  const tokens = new ContactActionTokens(deps.config.STAFF_SESSION_SECRET);
  const found = await lookUpCustomer(deps, tokens, { staffId: caller.staffId, reason }, registrationCode);
  return maskedCustomer(found.view);
}

/** One postcard reading (the entry screen's form and rules: entrySchema, enterCard). */
export async function apiPostcardEntry(deps: Deps, caller: ApiCaller, batchId: string, body: unknown) {
  if (!isId(batchId)) throw notFound('束');
  const b = (body ?? {}) as Record<string, unknown>;
  const ticked = (list: unknown, value: string) =>
    Array.isArray(list) && list.includes(value) ? '1' : undefined;
  const asText = (v: unknown) => (typeof v === 'number' ? String(v) : v);
  const form = {
    code: b.code,
    seq: asText(b.seq),
    keying: asText(b.keying),
    book_card: ticked(b.gifts, 'book_card'),
    donation: ticked(b.gifts, 'donation'),
    emoney: ticked(b.gifts, 'emoney'),
    erasure: ticked(b.dataChoices, 'erasure'),
    stop_marketing: ticked(b.dataChoices, 'stop_marketing'),
    postmarkDate: b.postmarkDate,
  };
  const entry = parseWith(entrySchema(deps.now), form);
  const saved = await enterCard(deps.db, batchId, entry, { staffId: caller.staffId, now: deps.now() });
  return { ...saved };
}

/** The cursor: where the last page ended (exact time and customer id), opaque to the caller. */
const encodeCursor = (at: string, customerId: string) =>
  Buffer.from(JSON.stringify([at, customerId])).toString('base64url');

/** A time as PostgreSQL writes a timestamptz (`2026-11-30 23:05:34.123456+00`), a real calendar day. */
const PG_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-]\d{2}(?::\d{2}){0,2}$/;

function isPgTime(at: string): boolean {
  const m = PG_TIME.exec(at);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function decodeCursor(raw: unknown): { at: string; customerId: string } | null {
  if (raw === undefined || raw === '') return null;
  try {
    const [at, customerId] = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as unknown[];
    // Only what the feed itself hands out: anything else would reach PostgreSQL as a cast it refuses.
    if (typeof at === 'string' && isPgTime(at) && typeof customerId === 'string' && isId(customerId))
      return { at, customerId };
  } catch {
    // falls through to the refusal
  }
  throw BadCursor();
}

/**
 * The suppression list after a cursor, oldest first. Opt-outs younger than the settle time wait
 * for the next call (a transaction that started earlier may still commit an older one). Entries
 * without a customer number (erased) are skipped, as in the push export.
 */
export async function apiSuppression(
  deps: Deps,
  query: { cursor?: unknown; limit?: unknown; campaign?: unknown },
  settleSeconds: number,
) {
  const limit = query.limit === undefined ? 500 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw BadLimit();
  // A repeated parameter arrives as an array: refused, never read as "every campaign".
  if (query.campaign !== undefined && typeof query.campaign !== 'string') throw BadCampaign();
  const campaignSlug = query.campaign !== '' ? query.campaign : undefined;
  const until = new Date(deps.now().getTime() - settleSeconds * 1000);
  const rows = await readSuppressionFeed(deps.db, {
    after: decodeCursor(query.cursor),
    until,
    limit,
    campaignSlug,
  });
  const last = rows.at(-1);
  return {
    items: rows
      .filter((r) => r.customer_ref !== null)
      .map((r) => ({
        customerRef: r.customer_ref!,
        campaign: r.campaign,
        requestedAt: r.requested_at.toISOString(),
      })),
    nextCursor: last
      ? encodeCursor(last.at_text, last.customer_id)
      : typeof query.cursor === 'string' && query.cursor
        ? query.cursor
        : null,
  };
}

/** A campaign's report figures (viewCampaignReport: aggregates only, audited as report.view). */
export async function apiReport(deps: Deps, caller: ApiCaller, campaignId: string) {
  const report = await viewCampaignReport(deps.db as AppDeps['db'], caller.staffId, campaignId, deps.now());
  return {
    campaign: report.campaign,
    summary: report.summary,
    charts: report.charts.map((c) => ({
      key: c.key,
      title: c.title,
      unit: c.unit,
      categories: c.categories,
      series: [...c.series, ...c.extra].map((s) => ({
        label: s.label,
        values: s.values.map((v) => (Number.isFinite(v) ? v : null)),
      })),
    })),
  };
}
