import type { AppDeps } from '../platform/deps.js';
import type { CampaignDefinition } from '../campaigns/campaign.schema.js';
import { findOpenAlert, resolveAlertsExcept, upsertOpenAlert } from '../alerts/alert.repo.js';
import { listOpenPoolCampaigns, stockByBrand } from './pools.repo.js';
import { STOCK_TEXT } from './pools.messages.js';

/**
 * E-money code pools: the stock per brand and the low-stock alert.
 *
 * Low stock: a brand is low when its free codes fall below max(100, 10% of all its codes so far —
 * free plus allocated). The 10% follows the pace of the campaign (a pool of 1,000,000 warns at
 * 100,000 left, days ahead at peak), the floor of 100 keeps small pools from running dry unnoticed.
 * Checked for open campaigns whose e-money comes from a pool: after each upload, on the pool page
 * and by the `check-pool-stock` job; the alert (one per campaign) is resolved once every brand is
 * above its threshold again.
 */
export const LOW_STOCK_KIND = 'low_stock';
export const LOW_STOCK_FLOOR = 100;
export const LOW_STOCK_SHARE = 0.1;

export const lowStockThreshold = (s: { free: number; allocated: number }) =>
  Math.max(LOW_STOCK_FLOOR, Math.ceil((s.free + s.allocated) * LOW_STOCK_SHARE));

export interface BrandStockView {
  brand: string;
  label: string;
  free: number;
  allocated: number;
  threshold: number;
  low: boolean;
}

/** Every brand of the campaign (in its order), and any brand that still has codes but left it. */
export async function poolStock(
  deps: Pick<AppDeps, 'db'>,
  campaign: { id: string; definition: CampaignDefinition },
): Promise<BrandStockView[]> {
  const brands = campaign.definition.options.emoney?.brands ?? [];
  const stock = await stockByBrand(deps.db, campaign.id);
  const keys = [
    ...brands.map((b) => b.key),
    ...stock.map((s) => s.brand).filter((k) => !brands.some((b) => b.key === k)),
  ];
  return keys.map((brand) => {
    const s = stock.find((x) => x.brand === brand) ?? { brand, free: 0, allocated: 0 };
    const threshold = lowStockThreshold(s);
    const known = brands.find((b) => b.key === brand);
    return {
      ...s,
      label: known?.label ?? STOCK_TEXT.unknownBrand(brand),
      threshold,
      low: known !== undefined && s.free < threshold,
    };
  });
}

/** Raises or resolves the low-stock alert of each open pool campaign (or of the one given). */
export async function checkPoolStock(
  deps: Pick<AppDeps, 'db' | 'now' | 'logger'>,
  opts: { campaignId?: string } = {},
): Promise<{ campaignId: string; low: BrandStockView[] }[]> {
  const now = deps.now();
  const out: { campaignId: string; low: BrandStockView[] }[] = [];
  for (const c of await listOpenPoolCampaigns(deps.db, opts.campaignId)) {
    const low = (await poolStock(deps, c)).filter((s) => s.low);
    if (low.length === 0) continue;
    out.push({ campaignId: c.id, low });
    const list = low.map(STOCK_TEXT.lowBrand).join('、');
    await upsertOpenAlert(deps.db, {
      campaignId: c.id,
      kind: LOW_STOCK_KIND,
      message: STOCK_TEXT.lowStockAlert(c.slug, list),
      at: now,
    });
    deps.logger.warn(
      {
        campaign: c.slug,
        brands: low.map((s) => ({ brand: s.brand, free: s.free, threshold: s.threshold })),
      },
      'e-money pool low',
    );
  }
  await resolveAlertsExcept(deps.db, {
    kinds: [LOW_STOCK_KIND],
    keep: out.map((o) => ({ campaignId: o.campaignId, kind: LOW_STOCK_KIND })),
    at: now,
    ...(opts.campaignId ? { campaignId: opts.campaignId } : {}),
  });
  return out;
}

/**
 * What the pool page shows: the stock per brand and the campaign's open low-stock alert, checked
 * first so that the page is never behind the stock it shows.
 */
export async function poolOverview(
  deps: Pick<AppDeps, 'db' | 'now' | 'logger'>,
  campaign: { id: string; definition: CampaignDefinition },
) {
  await checkPoolStock(deps, { campaignId: campaign.id });
  return {
    stock: await poolStock(deps, campaign),
    alert: await findOpenAlert(deps.db, campaign.id, LOW_STOCK_KIND),
  };
}
