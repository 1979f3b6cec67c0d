/** The redemption mix, by customer index: half e-money (three brands), a quarter each book card and donation. */
export function choiceFor(i: number): Record<string, string> {
  const dataChoice = (['none', 'marketing_optout', 'erasure'] as const)[Math.floor(i / 12) % 3]!;
  const slot = i % 12;
  if (slot < 6) return { option: 'emoney', brand: ['edy', 'amazon', 'nanaco'][slot % 3]!, dataChoice };
  if (slot < 9) return { option: 'book_card', addressAction: 'as_is', dataChoice };
  return { option: 'donation', dataChoice };
}

/** Fraction of customers choosing each e-money brand in `choiceFor` (for sizing the code pools). */
export const EMONEY_SHARE_PER_BRAND = 2 / 12;
