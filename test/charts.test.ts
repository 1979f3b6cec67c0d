import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceTicks, stackedBarChart, type ChartInput } from '../src/reports/charts.js';

/**
 * A strict well-formedness check for the XML subset the charts emit: elements, double-quoted
 * attributes, text, the five entities and numeric references. Anything else (a raw `<` or `&`,
 * an unclosed or crossed tag, a duplicate attribute, a second root) throws.
 */
interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'amp'
      ? '&'
      : e === 'lt'
        ? '<'
        : e === 'gt'
          ? '>'
          : e === 'quot'
            ? '"'
            : e === 'apos'
              ? "'"
              : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );

function checkChars(s: string, where: string) {
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '<') throw new Error(`raw < in ${where}`);
    if (ch === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(s)) throw new Error(`bare & in ${where}`);
    }
  }
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const ok =
      cp === 9 ||
      cp === 10 ||
      cp === 13 ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      cp >= 0x10000;
    if (!ok) throw new Error(`character U+${cp.toString(16)} not allowed in XML (${where})`);
  }
}

function parseXml(xml: string): Node {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"]*")*)\s*(\/?)>/y;
  const attr = /\s+([A-Za-z_:][\w:.-]*)="([^"]*)"/g;
  const root: Node = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: Node[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text) {
      checkChars(text, 'text');
      if (stack.length === 1 && text.trim()) throw new Error('text outside the root element');
      stack[stack.length - 1]!.text += decode(text);
    }
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    if (closing) {
      if (attrText || selfClosing) throw new Error(`malformed end tag ${name}`);
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(attr)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        checkChars(a[2]!, `attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!);
      }
      const node: Node = { name: name!, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1]!;
      if (parent === root && root.children.length) throw new Error('a second root element');
      parent.children.push(node);
      if (!selfClosing) stack.push(node);
    }
    i = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

const walk = (n: Node): Node[] => [n, ...n.children.flatMap(walk)];
const allText = (n: Node): string => n.text + n.children.map(allText).join('');

const NUMERIC = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'cx', 'cy', 'r', 'font-size'];
const numbersIn = (s: string) => s.split(/[\s,()a-z]+/i).filter(Boolean);

/** Everything the property promises, for any input. */
function assertWellFormedChart(svg: string, input: ChartInput) {
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attrs.role).toBe('img');
  expect(root.attrs.style).toBeUndefined();
  const nodes = walk(root);
  expect(nodes.some((n) => n.name === 'script' || n.attrs.style !== undefined)).toBe(false);
  // aria-labelledby points at the title and the description, both present.
  const ids = root.attrs['aria-labelledby']!.split(' ');
  expect(ids).toHaveLength(2);
  const byId = new Map(nodes.filter((n) => n.attrs.id).map((n) => [n.attrs.id, n]));
  expect(byId.get(ids[0]!)?.name).toBe('title');
  expect(byId.get(ids[1]!)?.name).toBe('desc');
  for (const n of nodes) {
    for (const a of NUMERIC) {
      if (n.attrs[a] === undefined) continue;
      const v = Number(n.attrs[a]);
      expect(Number.isFinite(v), `${n.name} ${a}="${n.attrs[a]}"`).toBe(true);
      if (a === 'width' || a === 'height' || a === 'r') expect(v).toBeGreaterThanOrEqual(0);
    }
    for (const a of ['points', 'viewBox', 'transform']) {
      if (n.attrs[a] === undefined) continue;
      for (const num of numbersIn(n.attrs[a]!))
        expect(Number.isFinite(Number(num)), `${a}=${num}`).toBe(true);
    }
  }
  // Legend: one entry per series, whatever the labels.
  const legend = nodes.find((n) => n.attrs.class === 'legend')!;
  expect(legend.children.filter((n) => n.name === 'text')).toHaveLength(input.series.length);
  return { root, byId, ids };
}

// Text as hostile as it gets: markup, entities, quotes, control characters, lone surrogates.
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }),
  fc.constantFrom('<script>alert(1)</script>', '&amp;', '"\'<>&', ']]>', '</svg>', '&#0;', '\u0000\ud800'),
);
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.nat(1000),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
);
const chartInput = fc.record({
  id: anyText,
  title: anyText,
  desc: anyText,
  xLabel: anyText,
  yLabel: anyText,
  categories: fc.array(anyText, { maxLength: 40 }),
  series: fc.array(fc.record({ label: anyText, values: fc.array(anyNumber, { maxLength: 45 }) }), {
    maxLength: 9,
  }),
});

// Only characters XML can hold: these must come back exactly.
const xmlText = fc
  .string({ unit: 'grapheme' })
  .map((s) => [...s].filter((ch) => ch.codePointAt(0)! >= 0x20 || '\t\n\r'.includes(ch)).join(''));

describe('charts', () => {
  test.prop([chartInput])(
    'when any series is drawn as stacked bars, then the SVG is well-formed, finite and escaped',
    (input) => {
      assertWellFormedChart(stackedBarChart(input), input);
    },
  );

  test.prop([chartInput])(
    'when any series is drawn as lines, then the SVG is well-formed, finite and escaped',
    (input) => {
      assertWellFormedChart(lineChart(input), input);
    },
  );

  test.prop([xmlText, xmlText, fc.array(xmlText, { minLength: 1, maxLength: 5 })])(
    'when texts hold markup, then they come back as the same text, never as markup',
    (title, desc, labels) => {
      const input: ChartInput = {
        id: 'x',
        title,
        desc,
        xLabel: '日付',
        yLabel: '件数',
        categories: ['2026-01-01'],
        series: labels.map((label) => ({ label, values: [1] })),
      };
      for (const svg of [stackedBarChart(input), lineChart(input)]) {
        const { byId, ids, root } = assertWellFormedChart(svg, input);
        expect(byId.get(ids[0]!)!.text).toBe(title);
        expect(byId.get(ids[1]!)!.text).toBe(desc);
        const legend = walk(root).find((n) => n.attrs.class === 'legend')!;
        expect(legend.children.filter((n) => n.name === 'text').map(allText)).toEqual(labels);
      }
    },
  );

  it('when a label is a script tag, then the markup holds it only escaped', () => {
    const svg = stackedBarChart({
      id: 'a"b',
      title: '<script>alert(1)</script>',
      desc: 'd',
      xLabel: 'x',
      yLabel: 'y',
      categories: ['<b>'],
      series: [{ label: '"><img src=x onerror=alert(1)>', values: [3] }],
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('aria-labelledby="chart-a-b-title chart-a-b-desc"');
  });

  it('when two series are stacked, then each bar is as tall as its segments together', () => {
    const svg = stackedBarChart({
      id: 's',
      title: 't',
      desc: 'd',
      xLabel: 'x',
      yLabel: 'y',
      categories: ['d1', 'd2'],
      series: [
        { label: 'a', values: [1, 2] },
        { label: 'b', values: [3, 0] },
      ],
    });
    const rects = walk(parseXml(svg)).filter((n) => n.name === 'rect' && n.children.length);
    // Zero-height segments are left out: a1, a2, b1.
    expect(rects.map((r) => allText(r))).toEqual(['d1 a: 1', 'd2 a: 2', 'd1 b: 3']);
    const h = rects.map((r) => Number(r.attrs.height));
    expect(h[0]! * 3).toBeCloseTo(h[2]!, 1);
    expect(h[0]! * 2).toBeCloseTo(h[1]!, 1);
    // b1 sits right on top of a1.
    expect(Number(rects[2]!.attrs.y) + h[2]!).toBeCloseTo(Number(rects[0]!.attrs.y), 1);
  });

  it('when there is nothing to draw, then the chart says so', () => {
    const input = { id: 'e', title: 't', desc: 'd', xLabel: 'x', yLabel: 'y', categories: [], series: [] };
    expect(stackedBarChart(input)).toContain('データがありません');
    expect(lineChart(input)).toContain('データがありません');
  });

  it('when values are given, then the ticks are round and cover them', () => {
    expect(niceTicks(0, 7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 4)[0]).toBeLessThanOrEqual(-3);
  });

  it('when text is escaped, then the five XML specials are entities', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
