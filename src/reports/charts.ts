/**
 * Server-rendered SVG charts: pure functions from data to markup, no script and no `style`
 * attribute (the CSP forbids both), so colours and sizes are SVG presentation attributes.
 * Every text is escaped and every coordinate is a finite number, whatever the input.
 */

import {
  axes,
  categoryX,
  empty,
  frame,
  hasData,
  legend,
  open,
  PALETTE,
  dash,
  type ChartInput,
  type ChartSeries,
} from './chart-frame.js';
import { c, escapeXml, finite, fmt } from './chart-svg.js';

export { PALETTE, type ChartInput, type ChartSeries } from './chart-frame.js';
export { defaultFormat, escapeXml, niceTicks } from './chart-svg.js';

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
