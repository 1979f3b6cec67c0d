import { CampaignEnglishSchema, type CampaignDefinition, type CampaignEnglish } from './campaign.schema.js';
import { FORM_TEXT } from './campaign.messages.js';

/** How the campaign form's texts are read: lines, paragraphs, `key: label` pairs, the FAQ, amounts, dates. */

/** Reports a problem with the text being read (the schema makes it an issue on its field). */
export type Report = (message: string) => void;

const KEY = /^[a-z0-9_]+$/;

export const lines = (s: string) => s.split('\n').map((l) => l.trim());
export const nonEmptyLines = (s: string) => lines(s).filter((l) => l !== '');
export const isChecked = (s: string) => s === 'on' || s === 'true' || s === '1';

/** Paragraphs are separated by one or more blank lines. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Yen as typed ("５００円", "1,000"): the digits alone, full-width ones included. */
export const yenDigits = (s: string) => s.normalize('NFKC').replace(/[,\s]/g, '').replace(/円$/, '');

/** YYYY-MM-DD (or with slashes, unpadded) of a day that exists, as ISO; '' for anything else. */
export function isoDay(s: string): string {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.normalize('NFKC').trim());
  if (!m) return '';
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : '';
}

/** `key: label` per line (a full-width colon too); keys are unique and at least one line is given. */
export function readPairs(text: string, label: string, report: Report): { key: string; label: string }[] {
  const out: { key: string; label: string; line: number }[] = [];
  lines(text).forEach((line, i) => {
    if (line === '') return;
    const m = /^([^:：]*)[:：](.*)$/.exec(line);
    const key = (m?.[1] ?? '').normalize('NFKC').trim();
    const value = (m?.[2] ?? '').trim();
    const first = out.find((p) => p.key === key);
    if (!m || value === '') report(FORM_TEXT.pairFormat(label, i + 1));
    else if (!KEY.test(key)) report(FORM_TEXT.pairKey(label, i + 1));
    else if (first) report(FORM_TEXT.pairRepeated(label, i + 1, first.line));
    else out.push({ key, label: value, line: i + 1 });
  });
  if (out.length === 0) report(FORM_TEXT.pairsRequired(label));
  return out.map(({ key, label: value }) => ({ key, label: value }));
}

const Q = /^[QＱ][:：]\s*/;
const A = /^[AＡ][:：]\s*/;

/** `Q: question` then `A: answer`; each further line until the next Q is another answer paragraph. */
export function parseFaq(text: string, report: Report): CampaignDefinition['faq'] {
  const faq: { question: string; answer: string[] }[] = [];
  let mode: 'question' | 'answer' | null = null;
  lines(text).forEach((line, i) => {
    if (line === '') return;
    const current = faq[faq.length - 1];
    if (Q.test(line)) {
      faq.push({ question: line.replace(Q, ''), answer: [] });
      mode = 'question';
    } else if (!current) {
      report(FORM_TEXT.faqQuestionFirst(i + 1));
    } else if (A.test(line)) {
      const a = line.replace(A, '');
      if (a !== '') current.answer.push(a);
      mode = 'answer';
    } else if (mode === 'answer') {
      current.answer.push(line);
    } else {
      current.question = current.question ? `${current.question}\n${line}` : line;
    }
  });
  faq.forEach((e, n) => {
    if (e.question === '') report(FORM_TEXT.faqNoQuestion(n + 1));
    if (e.answer.length === 0) report(FORM_TEXT.faqNoAnswer(n + 1));
  });
  return faq;
}

/** The campaign's English texts as JSON (blank: none); a wrong one is reported by its path. */
export function readEnglish(text: string, report: Report): CampaignEnglish | undefined {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    report(FORM_TEXT.englishJson);
    return undefined;
  }
  const parsed = CampaignEnglishSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  report(FORM_TEXT.englishField([...issue.path, ...keys].join('.') || 'JSON'));
  return undefined;
}
