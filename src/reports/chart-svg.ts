/** The charts' primitives: text safe in XML, numbers that are always finite and short. */

/** Counts and yen fit easily; clamping keeps sums and scales finite for any input. */
const MAX_ABS = 1e15;

/** Drops what XML cannot hold at all: control characters, lone surrogates, U+FFFE/FFFF. */
function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      cp >= 0x10000
    )
      out += ch;
  }
  return out;
}

export function escapeXml(s: string): string {
  return xmlChars(String(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const finite = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.max(-MAX_ABS, Math.min(MAX_ABS, v)) : 0;

/** A coordinate with two decimals; never NaN, never exponent notation for what fits the canvas. */
export const c = (n: number): string => {
  const r = Math.round(finite(n) * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
};

export const safeId = (id: string) => `chart-${String(id).replace(/[^A-Za-z0-9_-]/g, '-')}`;

export const defaultFormat = (n: number): string =>
  n.toLocaleString('ja-JP', { maximumFractionDigits: Number.isInteger(n) ? 0 : 2 });

export const fmt = (format: ((n: number) => string) | undefined, n: number) => {
  try {
    return String(format ? format(n) : defaultFormat(n));
  } catch {
    return defaultFormat(n);
  }
};

/** Round tick steps (1, 2, 5 × 10^k) covering [min, max]; at most about `count` + 2 ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  let lo = Math.min(finite(min), 0);
  let hi = Math.max(finite(max), 0);
  if (!(hi - lo >= 1e-6)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let k = 0; k <= Math.round((hi - lo) / step) && k < 40; k++)
    ticks.push(Number((lo + k * step).toPrecision(12)));
  return ticks;
}
