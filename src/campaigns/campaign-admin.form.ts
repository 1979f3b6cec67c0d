import type { CampaignDefinition } from './campaign.schema.js';
import type { CampaignState } from './campaign.table.js';

/**
 * The campaign form: real fields an operator can fill in, turned into a campaign definition and
 * back. Lists are one item per line, paragraphs are separated by a blank line, pairs are
 * `key: label` and the FAQ is `Q: …` / `A: …` blocks. Every message is Japanese and names the field
 * (and the line) it is about; the definition itself is validated again by saveCampaignDefinition.
 */

export const FORM_LABELS = {
  slug: 'スラッグ（URL）',
  state: '状態',
  companyName: '会社名',
  title: 'タイトル',
  apology: 'お詫び文',
  signatories: '署名',
  incidentSummary: '事故の概要',
  leakedItems: '漏えいした項目',
  leakedNotes: '漏えい項目の注記',
  emoneyEnabled: '電子マネーギフト',
  emoneyAmountYen: '電子マネーギフトの金額',
  emoneyProductName: '電子マネーギフトの品名',
  emoneySource: '電子マネーギフトのコードの調達',
  emoneyBrands: '電子マネーの種類',
  emoneyNotes: '電子マネーギフトの注記',
  bookCardEnabled: '図書カード',
  bookCardAmountYen: '図書カードの金額',
  bookCardProductName: '図書カードの品名',
  bookCardLeadTimeNote: '図書カードのお届け時期の注記',
  donationEnabled: '寄付',
  donationAmountYen: '寄付の金額',
  donationRecipient: '寄付先',
  donationDescription: '寄付の説明',
  erasureNote: '個人情報の消去の説明',
  erasureWarning: '消去に関する注意',
  optoutNote: 'ダイレクトメール等の停止の説明',
  deadline: '手続き期限',
  purgeDeadline: '消去期限',
  postmarkRule: 'はがきの消印の扱い',
  contactName: '窓口の名称',
  contactFreeDial: 'フリーダイヤル',
  contactFallbackNumber: 'つながらない場合の番号',
  contactFallbackNote: 'つながらない場合の案内',
  contactHours: '受付時間',
  contactPeriod: '受付期間',
  contactNotes: '窓口の注記',
  faq: 'よくあるご質問',
  trademarkNotes: '商標の表記',
} as const;

export type FormField = keyof typeof FORM_LABELS;
export type CampaignForm = Record<FormField, string>;
export const FORM_FIELDS = Object.keys(FORM_LABELS) as FormField[];

/** Operators set these by hand; 'purged' is only ever set by the purge. */
export const EDITABLE_STATES = ['draft', 'open', 'closed'] as const;
export type EditableState = (typeof EDITABLE_STATES)[number];
export const STATE_LABELS: Record<CampaignState, string> = {
  draft: '準備中',
  open: '受付中',
  closed: '終了',
  purged: '消去済み',
};

const MAX_FIELD = 20_000;
const KEY = /^[a-z0-9_]+$/;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Reads the posted body: every field as a string (absent or repeated ones become ''). */
export function readForm(body: unknown): CampaignForm {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    FORM_FIELDS.map((f) => {
      const v = src[f];
      return [f, typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : ''];
    }),
  ) as CampaignForm;
}

const lines = (s: string) => s.split('\n').map((l) => l.trim());
const nonEmptyLines = (s: string) => lines(s).filter((l) => l !== '');
const isChecked = (s: string) => s === 'on' || s === 'true' || s === '1';

export type ParseResult =
  | { ok: true; definition: CampaignDefinition; state: EditableState }
  | { ok: false; errors: Partial<Record<FormField, string>> };

/** Form → definition. `slug` is the campaign's own when editing (it cannot change). */
export function parseCampaignForm(form: CampaignForm, fixedSlug?: string): ParseResult {
  const errors: Partial<Record<FormField, string>> = {};
  const fail = (f: FormField, message: string) => {
    errors[f] ??= message;
  };
  for (const f of FORM_FIELDS) {
    if (form[f].length > MAX_FIELD) fail(f, `${FORM_LABELS[f]}は${MAX_FIELD}文字以内で入力してください`);
  }

  const required = (f: FormField): string => {
    const v = form[f].trim();
    if (v === '') fail(f, `${FORM_LABELS[f]}を入力してください`);
    return v;
  };
  const optional = (f: FormField): string | undefined => form[f].trim() || undefined;

  const amount = (f: FormField): number => {
    const raw = form[f].normalize('NFKC').replace(/[,\s]/g, '').replace(/円$/, '');
    if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) {
      fail(f, `${FORM_LABELS[f]}は1〜1,000,000の整数（円）で入力してください`);
      return 0;
    }
    return Number(raw);
  };

  const day = (f: FormField): string => {
    const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(form[f].normalize('NFKC').trim());
    const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : '';
    const d = new Date(`${iso}T00:00:00Z`);
    if (!m || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      fail(f, `${FORM_LABELS[f]}は実在する日付を YYYY-MM-DD の形式で入力してください`);
      return '';
    }
    return iso;
  };

  const list = (f: FormField, min = 0): string[] => {
    const items = nonEmptyLines(form[f]);
    if (items.length < min) fail(f, `${FORM_LABELS[f]}を入力してください`);
    return items;
  };

  const pairs = (f: FormField): { key: string; label: string }[] => {
    const out: { key: string; label: string; line: number }[] = [];
    lines(form[f]).forEach((line, i) => {
      if (line === '') return;
      const m = /^([^:：]*)[:：](.*)$/.exec(line);
      const key = (m?.[1] ?? '').normalize('NFKC').trim();
      const label = (m?.[2] ?? '').trim();
      if (!m || label === '') {
        fail(f, `${FORM_LABELS[f]}の${i + 1}行目は「キー: 表示名」の形式で入力してください`);
      } else if (!KEY.test(key)) {
        fail(
          f,
          `${FORM_LABELS[f]}の${i + 1}行目: キーは英小文字・数字・_（アンダースコア）で入力してください`,
        );
      } else if (out.some((p) => p.key === key)) {
        const first = out.find((p) => p.key === key)!.line;
        fail(
          f,
          `${FORM_LABELS[f]}の${i + 1}行目: キーが${first}行目と同じです。キーは行ごとに変えてください`,
        );
      } else out.push({ key, label, line: i + 1 });
    });
    if (out.length === 0) fail(f, `${FORM_LABELS[f]}を1行以上「キー: 表示名」の形式で入力してください`);
    return out.map(({ key, label }) => ({ key, label }));
  };

  const slug = fixedSlug ?? form.slug.normalize('NFKC').trim();
  if (!fixedSlug && !SLUG.test(slug)) {
    fail('slug', 'スラッグは英小文字・数字・ハイフンで2〜63文字（先頭は英小文字か数字）で入力してください');
  }
  const state = form.state === '' ? 'draft' : form.state;
  if (!(EDITABLE_STATES as readonly string[]).includes(state)) {
    fail('state', '状態は「準備中」「受付中」「終了」から選んでください');
  }

  const emoneyOn = isChecked(form.emoneyEnabled);
  const bookCardOn = isChecked(form.bookCardEnabled);
  const donationOn = isChecked(form.donationEnabled);
  if (!emoneyOn && !bookCardOn && !donationOn) {
    fail('emoneyEnabled', 'お詫びの品を少なくとも1つ有効にしてください');
  }
  const source = form.emoneySource === '' ? 'pool' : form.emoneySource;
  if (emoneyOn && source !== 'pool' && source !== 'vendor') {
    fail('emoneySource', 'コードの調達は「事前購入したコード」か「発行元のAPI」から選んでください');
  }

  const contactFallbackNumber = optional('contactFallbackNumber');
  const contactFallbackNote = optional('contactFallbackNote');
  const contactPeriod = optional('contactPeriod');
  const definition: CampaignDefinition = {
    slug,
    companyName: required('companyName'),
    title: required('title'),
    apology: paragraphs(form.apology),
    signatories: list('signatories'),
    incidentSummary: required('incidentSummary'),
    leakedItems: pairs('leakedItems'),
    leakedNotes: list('leakedNotes'),
    options: {
      emoney: emoneyOn
        ? {
            amountYen: amount('emoneyAmountYen'),
            productName: required('emoneyProductName'),
            source: source === 'vendor' ? 'vendor' : 'pool',
            brands: pairs('emoneyBrands'),
            notes: list('emoneyNotes'),
          }
        : null,
      bookCard: bookCardOn
        ? {
            amountYen: amount('bookCardAmountYen'),
            productName: required('bookCardProductName'),
            leadTimeNote: required('bookCardLeadTimeNote'),
          }
        : null,
      donation: donationOn
        ? {
            amountYen: amount('donationAmountYen'),
            recipient: required('donationRecipient'),
            description: required('donationDescription'),
          }
        : null,
    },
    dataChoice: {
      erasureNote: required('erasureNote'),
      erasureWarning: required('erasureWarning'),
      optoutNote: required('optoutNote'),
    },
    deadline: day('deadline'),
    purgeDeadline: day('purgeDeadline'),
    postmarkRule: required('postmarkRule'),
    contactCentre: {
      name: required('contactName'),
      freeDial: required('contactFreeDial'),
      ...(contactFallbackNumber ? { fallbackNumber: contactFallbackNumber } : {}),
      ...(contactFallbackNote ? { fallbackNote: contactFallbackNote } : {}),
      hours: required('contactHours'),
      ...(contactPeriod ? { period: contactPeriod } : {}),
      notes: list('contactNotes'),
    },
    faq: parseFaq(form.faq, (m) => fail('faq', m)),
    trademarkNotes: list('trademarkNotes'),
  };
  if (definition.apology.length === 0) fail('apology', 'お詫び文を入力してください');
  if (definition.deadline && definition.purgeDeadline && definition.purgeDeadline <= definition.deadline) {
    fail('purgeDeadline', '消去期限は手続き期限より後の日付にしてください');
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, definition, state: state as EditableState };
}

/** Paragraphs are separated by one or more blank lines. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const Q = /^[QＱ][:：]\s*/;
const A = /^[AＡ][:：]\s*/;

/** `Q: question` then `A: answer`; each further line until the next Q is another answer paragraph. */
export function parseFaq(text: string, fail: (message: string) => void): CampaignDefinition['faq'] {
  const faq: { question: string; answer: string[] }[] = [];
  let mode: 'question' | 'answer' | null = null;
  lines(text).forEach((line, i) => {
    if (line === '') return;
    const current = faq[faq.length - 1];
    if (Q.test(line)) {
      faq.push({ question: line.replace(Q, ''), answer: [] });
      mode = 'question';
    } else if (!current) {
      fail(`よくあるご質問の${i + 1}行目: 質問は「Q:」で始めてください`);
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
    if (e.question === '') fail(`よくあるご質問の${n + 1}件目: 「Q:」の後に質問を入力してください`);
    if (e.answer.length === 0) fail(`よくあるご質問の${n + 1}件目: 「A:」で回答を入力してください`);
  });
  return faq;
}
