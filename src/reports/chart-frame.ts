import { REPORT_TEXT } from './reports.messages.js';
import { c, escapeXml, finite, fmt, niceTicks, safeId } from './chart-svg.js';

/** The parts both charts share: the canvas, the axes, the legend, the colours. */

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

export interface Frame {
  n: number;
  plotWidth: number;
  height: number;
  legendTop: number;
  y: (v: number) => number;
  ticks: number[];
}

export function frame(input: ChartInput, min: number, max: number): Frame {
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

export function open(input: ChartInput, f: Frame): string {
  const id = safeId(input.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${c(f.height)}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-size="12" fill="${TEXT}">` +
    `<title id="${id}-title">${escapeXml(input.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(input.desc)}</desc>`
  );
}

export function axes(input: ChartInput, f: Frame): string {
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
export function categoryX(f: Frame, i: number, n: number): number {
  const band = f.plotWidth / Math.max(1, n);
  return MARGIN.left + band * (i + 0.5);
}

export function legend(input: ChartInput, f: Frame, kind: 'bar' | 'line'): string {
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

export const dash = (i: number) => {
  const d = DASHES[i % DASHES.length];
  return d ? ` stroke-dasharray="${d}"` : '';
};

export function empty(f: Frame): string {
  return `<text x="${c(MARGIN.left + f.plotWidth / 2)}" y="${c(MARGIN.top + PLOT_HEIGHT / 2)}" text-anchor="middle">${escapeXml(REPORT_TEXT.noData)}</text>`;
}

export const hasData = (input: ChartInput) => input.categories.length > 0 && input.series.length > 0;
