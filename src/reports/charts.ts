/**
 * Server-rendered SVG charts: pure functions from data to markup, no script and no `style`
 * attribute (the CSP forbids both), so colours and sizes are SVG presentation attributes.
 * Every text is escaped and every coordinate is a finite number, whatever the input.
 */

export interface ChartSeries {
  label: string;
  values: readonly number[];
}

export interface ChartInput {
  /** Unique on the page: prefixes the ids that `aria-labelledby` points at. */
  id: string;
  title: string;
  desc: string;
  /** The x axis: one entry per bar or point (days, brands…). */
  categories: readonly string[];
  series: readonly ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** Formats values on the y axis and in tooltips. */
  format?: (n: number) => string;
}

// Okabe–Ito: distinguishable with the common colour-vision deficiencies; yellow last (low contrast).
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#000000',
  '#f0e442',
];
// Lines differ by dash as well as by colour.
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const WIDTH = 720;
const PLOT_HEIGHT = 240;
const MARGIN = { top: 16, right: 24, bottom: 84, left: 84 };
const LEGEND_ROW = 22;
const TEXT = '#222222';
const GRID = '#d9d9d9';
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

const finite = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.max(-MAX_ABS, Math.min(MAX_ABS, v)) : 0;

/** A coordinate with two decimals; never NaN, never exponent notation for what fits the canvas. */
const c = (n: number): string => {
  const r = Math.round(finite(n) * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
};

const safeId = (id: string) => `chart-${String(id).replace(/[^A-Za-z0-9_-]/g, '-')}`;

export const defaultFormat = (n: number): string =>
  n.toLocaleString('ja-JP', { maximumFractionDigits: Number.isInteger(n) ? 0 : 2 });

const fmt = (format: ChartInput['format'], n: number) => {
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

interface Frame {
  n: number;
  plotWidth: number;
  height: number;
  legendTop: number;
  y: (v: number) => number;
  ticks: number[];
}

function frame(input: ChartInput, min: number, max: number): Frame {
  const n = input.categories.length;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const legendRows = legendLayout(input.series).rows;
  const legendTop = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom;
  const height = legendTop + legendRows * LEGEND_ROW + 8;
  const ticks = niceTicks(min, max);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number) => MARGIN.top + PLOT_HEIGHT - ((finite(v) - lo) / (hi - lo)) * PLOT_HEIGHT;
  return { n, plotWidth, height, legendTop, y, ticks };
}

/** Rough text width: CJK is about a full em, the rest about half. */
const textWidth = (s: string, size: number) =>
  [...s].reduce((w, ch) => w + (ch.codePointAt(0)! <= 0xff ? 0.6 : 1) * size, 0);

function legendLayout(series: readonly ChartSeries[]) {
  const maxRow = WIDTH - MARGIN.left - MARGIN.right;
  const items: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const s of series) {
    const w = Math.min(maxRow, 26 + textWidth(s.label, 12) + 18);
    if (x > 0 && x + w > maxRow) {
      row++;
      x = 0;
    }
    items.push({ x, row });
    x += w;
  }
  return { items, rows: series.length ? row + 1 : 0 };
}

function open(input: ChartInput, f: Frame): string {
  const id = safeId(input.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${c(f.height)}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-size="12" fill="${TEXT}">` +
    `<title id="${id}-title">${escapeXml(input.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(input.desc)}</desc>`
  );
}

function axes(input: ChartInput, f: Frame): string {
  const left = MARGIN.left;
  const right = MARGIN.left + f.plotWidth;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const parts = ['<g class="axes">'];
  for (const t of f.ticks) {
    const y = c(f.y(t));
    parts.push(
      `<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(fmt(input.format, t))}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" x2="${right}" y1="${c(f.y(0))}" y2="${c(f.y(0))}" stroke="${TEXT}" stroke-width="1"/>`,
    `<line x1="${left}" x2="${left}" y1="${MARGIN.top}" y2="${bottom}" stroke="${TEXT}" stroke-width="1"/>`,
    `<text x="${c(left + f.plotWidth / 2)}" y="${c(bottom + MARGIN.bottom - 8)}" text-anchor="middle" font-weight="bold">${escapeXml(input.xLabel)}</text>`,
    `<text x="16" y="${c(MARGIN.top + PLOT_HEIGHT / 2)}" text-anchor="middle" font-weight="bold" transform="rotate(-90 16 ${c(MARGIN.top + PLOT_HEIGHT / 2)})">${escapeXml(input.yLabel)}</text>`,
  );
  // Category labels, thinned so that they never overlap, slanted to fit dates.
  const every = Math.max(1, Math.ceil(f.n / Math.max(1, Math.floor(f.plotWidth / 22))));
  for (let i = 0; i < f.n; i += every) {
    const x = c(categoryX(f, i, input.categories.length));
    const y = c(bottom + 14);
    parts.push(
      `<text x="${x}" y="${y}" text-anchor="end" transform="rotate(-40 ${x} ${y})">${escapeXml(input.categories[i] ?? '')}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

/** Bars sit in bands; line points on the band centres, so both charts share the axis. */
function categoryX(f: Frame, i: number, n: number): number {
  const band = f.plotWidth / Math.max(1, n);
  return MARGIN.left + band * (i + 0.5);
}

function legend(input: ChartInput, f: Frame, kind: 'bar' | 'line'): string {
  const { items } = legendLayout(input.series);
  const parts = ['<g class="legend">'];
  input.series.forEach((s, i) => {
    const item = items[i]!;
    const x = MARGIN.left + item.x;
    const y = f.legendTop + item.row * LEGEND_ROW;
    const colour = PALETTE[i % PALETTE.length];
    parts.push(
      kind === 'bar'
        ? `<rect x="${c(x)}" y="${c(y)}" width="14" height="14" fill="${colour}"/>`
        : `<line x1="${c(x)}" x2="${c(x + 20)}" y1="${c(y + 7)}" y2="${c(y + 7)}" stroke="${colour}" stroke-width="3"${dash(i)}/>`,
      `<text x="${c(x + (kind === 'bar' ? 20 : 26))}" y="${c(y + 7)}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('');
}

const dash = (i: number) => {
  const d = DASHES[i % DASHES.length];
  return d ? ` stroke-dasharray="${d}"` : '';
};

function empty(f: Frame): string {
  return `<text x="${c(MARGIN.left + f.plotWidth / 2)}" y="${c(MARGIN.top + PLOT_HEIGHT / 2)}" text-anchor="middle">${escapeXml('データがありません')}</text>`;
}

const hasData = (input: ChartInput) => input.categories.length > 0 && input.series.length > 0;

/** Bars per category, one segment per series stacked on the next (counts: negatives count as 0). */
export function stackedBarChart(input: ChartInput): string {
  const n = input.categories.length;
  const value = (s: ChartSeries, i: number) => Math.max(0, finite(s.values[i]));
  const totals = Array.from({ length: n }, (_, i) => input.series.reduce((t, s) => t + value(s, i), 0));
  const f = frame(
    input,
    0,
    totals.reduce((m, t) => Math.max(m, t), 0),
  );
  const parts = [open(input, f), axes(input, f)];
  if (!hasData(input)) parts.push(empty(f));
  else {
    const band = f.plotWidth / n;
    const barWidth = Math.max(0.5, band * 0.8);
    input.series.forEach((s, si) => {
      parts.push(`<g class="series" fill="${PALETTE[si % PALETTE.length]}">`);
      for (let i = 0; i < n; i++) {
        const v = value(s, i);
        if (v === 0) continue;
        const below = input.series.slice(0, si).reduce((t, p) => t + value(p, i), 0);
        const yTop = f.y(below + v);
        const yBottom = f.y(below);
        parts.push(
          `<rect x="${c(categoryX(f, i, n) - barWidth / 2)}" y="${c(yTop)}" width="${c(barWidth)}" height="${c(Math.max(0, yBottom - yTop))}">` +
            `<title>${escapeXml(`${input.categories[i] ?? ''} ${s.label}: ${fmt(input.format, v)}`)}</title></rect>`,
        );
      }
      parts.push('</g>');
    });
  }
  parts.push(legend(input, f, 'bar'), '</svg>');
  return parts.join('');
}

/** One line per series over the categories; points marked while they are few enough to see. */
export function lineChart(input: ChartInput): string {
  const n = input.categories.length;
  let min = 0;
  let max = 0;
  for (const s of input.series)
    for (let i = 0; i < n; i++) {
      min = Math.min(min, finite(s.values[i]));
      max = Math.max(max, finite(s.values[i]));
    }
  const f = frame(input, min, max);
  const parts = [open(input, f), axes(input, f)];
  if (!hasData(input)) parts.push(empty(f));
  else {
    input.series.forEach((s, si) => {
      const colour = PALETTE[si % PALETTE.length];
      const points = Array.from({ length: n }, (_, i) => [categoryX(f, i, n), f.y(finite(s.values[i]))]);
      parts.push(
        `<g class="series">`,
        `<polyline fill="none" stroke="${colour}" stroke-width="2.5"${dash(si)} points="${points.map(([x, y]) => `${c(x!)},${c(y!)}`).join(' ')}"/>`,
      );
      if (n <= 62) {
        points.forEach(([x, y], i) =>
          parts.push(
            `<circle cx="${c(x!)}" cy="${c(y!)}" r="3" fill="${colour}">` +
              `<title>${escapeXml(`${input.categories[i] ?? ''} ${s.label}: ${fmt(input.format, finite(s.values[i]))}`)}</title></circle>`,
          ),
        );
      }
      parts.push('</g>');
    });
  }
  parts.push(legend(input, f, 'line'), '</svg>');
  return parts.join('');
}
