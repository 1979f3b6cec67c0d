import { generateRegistrationCode } from '../../src/customers/codes.js';
import type { DataTick, GiftTick } from '../../src/postcards/postcard.rules.js';
import { POSTCARD_CSV_HEADER } from '../../src/postcards/postcard-csv.schema.js';

/** The bench's postcards: mostly good ones, with every outcome mixed in at realistic rates. */
export interface BenchCard {
  code: string;
  gifts: GiftTick[];
  data: DataTick[];
  postmark: string;
}

const DATA: DataTick[][] = [[], ['marketing_optout'], ['erasure'], []];

/**
 * Card `i` for customer `codes[i]`: 2% unknown codes, 2.5% two gifts, 1% e-money, ~1.7% late,
 * ~3.3% the previous card's customer again (a duplicate), plus whatever customers redeemed on the
 * web before; the rest one gift with a data choice in rotation.
 */
export function benchCard(
  i: number,
  codes: string[],
  postmarks: { inTime: string; late: string },
): BenchCard {
  const card: BenchCard = {
    code: codes[i]!,
    gifts: [i % 2 ? 'book_card' : 'donation'],
    data: DATA[i % DATA.length]!,
    postmark: postmarks.inTime,
  };
  if (i % 50 === 0) card.code = generateRegistrationCode();
  else if (i % 40 === 1) card.gifts = ['book_card', 'donation'];
  else if (i % 100 === 2) card.gifts = ['emoney'];
  else if (i % 60 === 3) card.postmark = postmarks.late;
  else if (i % 30 === 4 && i > 0) card.code = codes[i - 1]!;
  return card;
}

const flag = (b: boolean) => (b ? '1' : '0');

export function csvFile(cards: BenchCard[]): string {
  const lines = [POSTCARD_CSV_HEADER];
  cards.forEach((c, i) =>
    lines.push(
      [
        i + 1,
        c.code,
        flag(c.gifts.includes('book_card')),
        flag(c.gifts.includes('donation')),
        flag(c.gifts.includes('emoney')),
        flag(c.data.includes('erasure')),
        flag(c.data.includes('marketing_optout')),
        c.postmark,
      ].join(','),
    ),
  );
  return lines.join('\r\n') + '\r\n';
}

/** The entry form's fields for a card. */
export function entryForm(card: BenchCard): Record<string, string> {
  const form: Record<string, string> = { code: card.code, postmarkDate: card.postmark };
  for (const g of card.gifts) form[g] = '1';
  for (const d of card.data) form[d === 'marketing_optout' ? 'stop_marketing' : d] = '1';
  return form;
}
