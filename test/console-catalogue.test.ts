import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_JA } from '../src/messages/console.js';

/**
 * The operators' console stays Japanese, but its words live in the console catalogue
 * (src/messages/console.ts), which the views read as `o`. These checks read every console view.
 */
const VIEWS = path.resolve(import.meta.dirname, '..', 'views', 'ops');

/** Hiragana, katakana, CJK punctuation (「」、。), kanji and full-width forms (（）：～). */
const JAPANESE = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const TAG = /<%[\s\S]*?%>/g;

function views(): { name: string; text: string }[] {
  return readdirSync(VIEWS, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ejs'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort()
    .map((file) => ({ name: path.relative(VIEWS, file), text: readFileSync(file, 'utf8') }));
}

/** Lines of a view that hold Japanese outside `<% %>`, or inside a code tag (comments `<%#` aside). */
function japaneseLines(text: string): string[] {
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const found: string[] = [];
  const outside = text.replace(TAG, (tag) => tag.replace(/[^\n]/g, ' '));
  outside.split('\n').forEach((line, i) => {
    if (JAPANESE.test(line)) found.push(`${i + 1}: ${line.trim()}`);
  });
  for (const tag of text.matchAll(TAG)) {
    if (tag[0].startsWith('<%#')) continue;
    const at = tag[0].search(JAPANESE);
    if (at >= 0) found.push(`${lineAt(tag.index + at)} (in a tag): ${tag[0].slice(0, 80)}`);
  }
  return found;
}

/** Every `o.a.b.c` a view reads (a call's arguments aside). */
function catalogueReads(text: string): string[] {
  return [...text.matchAll(/(?<![\w.$])o\.([\w.]+)/g)].map((m) => m[1]!.replace(/\.$/, ''));
}

function resolve(dotted: string): unknown {
  let at: unknown = CONSOLE_JA;
  for (const key of dotted.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A text, a function of values, or a table of texts looked up by a code (`o.common.campaignStates[c.state]`). */
function isReadable(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'function') return true;
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string')
  );
}

function leaves(node: unknown, prefix: string): string[] {
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('console catalogue', () => {
  const all = views();

  it('reads every console view (the scan is not empty)', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((v) => catalogueReads(v.text).length > 0)).toBe(true);
  });

  it('when a console view holds Japanese text of its own, then it is named with its lines', () => {
    const offenders = all
      .map((v) => ({ view: v.name, lines: japaneseLines(v.text) }))
      .filter((v) => v.lines.length > 0);
    expect(offenders).toEqual([]);
  });

  it('when a view reads o.<path>, then that path is a text, a function or a table of texts in CONSOLE_JA', () => {
    const missing = all.flatMap((v) =>
      catalogueReads(v.text)
        .filter((p) => !isReadable(resolve(p)))
        .map((p) => `${v.name}: o.${p}`),
    );
    expect(missing).toEqual([]);
  });

  it('when the catalogue holds a text, then some console view reads it', () => {
    const read = all.flatMap((v) => catalogueReads(v.text));
    const isRead = (leaf: string) => read.some((p) => leaf === p || leaf.startsWith(`${p}.`));
    expect(leaves(CONSOLE_JA, '').filter((p) => !isRead(p))).toEqual([]);
  });

  it('finds Japanese outside tags and inside code, but not in comments (the checker itself)', () => {
    expect(japaneseLines('<p>保存しました</p>')).toHaveLength(1);
    expect(japaneseLines("<%= x ? '済み' : '' %>")).toHaveLength(1);
    expect(japaneseLines('<p title="確認"><%= o.a.b %></p>')).toHaveLength(1);
    expect(japaneseLines('<%# 説明 %><p><%= o.a.b %>（<%= n %>）</p>')).toHaveLength(1);
    expect(japaneseLines('<%# 説明 %><p><%= o.a.b(n) %></p>')).toEqual([]);
    expect(japaneseLines("<%\n  var a = 1;\n  var b = { x: '済み' };\n%>")).toEqual([
      "3 (in a tag): <%\n  var a = 1;\n  var b = { x: '済み' };\n%>",
    ]);
    expect(catalogueReads('<%= o.a.b(foo.o.c) %><%= o.x.y %>')).toEqual(['a.b', 'x.y']);
  });
});
