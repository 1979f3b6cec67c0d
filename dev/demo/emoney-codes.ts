import { randomInt } from 'node:crypto';
import { insertEmoneyCodes } from '../../src/pools/emoney-codes.repo.js';
import type { Db } from '../../src/platform/database.js';

const CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const chunk = (n: number) => Array.from({ length: n }, () => CHARS[randomInt(CHARS.length)]).join('');

/** Demo stand-ins for pre-purchased gift codes (the real ones come from the vendor's file). */
export async function seedDemoEmoneyCodes(
  db: Db,
  campaignId: string,
  brands: string[],
  perBrand: number,
  amountYen: number,
): Promise<number> {
  let total = 0;
  for (const brand of brands) {
    const rows = Array.from({ length: perBrand }, () => ({
      campaign_id: campaignId,
      brand,
      code: `${brand.toUpperCase().slice(0, 3)}-${chunk(4)}-${chunk(4)}-${chunk(4)}`,
      amount_yen: amountYen,
    }));
    for (let i = 0; i < rows.length; i += 1000) total += await insertEmoneyCodes(db, rows.slice(i, i + 1000));
  }
  return total;
}
