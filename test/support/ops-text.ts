import type { Page } from 'playwright-core';

/**
 * What an operator reads on a console page: its text, the names of its controls and the title.
 * Content marked `translate="no"` is left out: it holds identifiers that are meant to stay as they
 * are (a user name, a campaign's slug, a job id, a vendor's file header).
 */
export function visibleConsoleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const skip = (el: Element | null) => !el || el.closest('[translate="no"], script, style') !== null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (skip(el) || !el!.checkVisibility()) continue;
      out.push(n.textContent ?? '');
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[value]')) {
      if (skip(el) || (el instanceof HTMLInputElement && el.type === 'hidden')) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) out.push(el.getAttribute(a) ?? '');
      if (el instanceof HTMLInputElement && (el.type === 'submit' || el.type === 'button'))
        out.push(el.value);
    }
    return out.join('\n');
  });
}

/** Words in Latin letters an operator may meet: names of things, not English sentences. */
export const ALLOWED_WORDS = new Set([
  'CSV',
  'PDF',
  'TOTP',
  'ID',
  'URL',
  'JSON',
  'API',
  // ダイレクトメール, as Japanese writes it.
  'DM',
  'Redis',
  'PostgreSQL',
  // The product's name, and the web as a channel beside postcards.
  'Owabi',
  'WEB',
  // Brand names of the demo campaign's e-money gifts (proper nouns, written so by their owners).
  'Edy',
  'Amazon',
  'nanaco',
]);

const TOKEN = /[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)*/g;

/**
 * Raw keys (snake_case, or dotted and hyphenated lower-case words: `low_stock`, `report.view`,
 * `by-option`) and English words that reached the screen. Tokens with a digit are identifiers
 * (ids, codes, `UTF-8`) and pass.
 */
export function consoleTextFindings(text: string): string[] {
  const found = new Set<string>();
  for (const token of text.match(TOKEN) ?? []) {
    if (/\d/.test(token)) continue;
    if (token.includes('_') || /^[a-z]+(?:[.-][a-z]+)+$/.test(token)) found.add(`raw key "${token}"`);
    else if (token.length >= 2 && !ALLOWED_WORDS.has(token)) found.add(`English "${token}"`);
  }
  return [...found];
}
