import { randomUUID } from 'node:crypto';
import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../../src/platform/deps.js';

/** A pool of `perBrand` unallocated 500-yen codes for each brand. */
export async function buildEmoneyPool(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  perBrand: number,
  brands = ['edy', 'amazon', 'nanaco'],
): Promise<void> {
  const { insertEmoneyCodes } = await import('../../../src/pools/emoney-codes.repo.js');
  const rows = brands.flatMap((brand) =>
    Array.from({ length: perBrand }, (_, i) => ({
      campaign_id: campaign.id,
      brand,
      code: `T-${campaign.slug}-${brand}-${i}-${randomUUID().slice(0, 8)}`,
      amount_yen: 500,
    })),
  );
  if (rows.length) await insertEmoneyCodes(deps.db, rows);
}

/** An e-money code stored for the redemption (a pool code allocated at the redemption). */
export async function giveEmoneyCode(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  redemptionId: string,
  at: Date,
): Promise<string> {
  const code = `PURGE-${randomUUID().slice(0, 12)}`;
  await deps.db
    .insertInto('emoney_codes')
    .values({
      campaign_id: campaign.id,
      brand: 'edy',
      code,
      amount_yen: 500,
      redemption_id: redemptionId,
      allocated_at: at,
    })
    .execute();
  return code;
}
