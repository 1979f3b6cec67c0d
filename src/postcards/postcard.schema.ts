import { z } from 'zod';
import { isCalendarDate } from '../customers/normalise.js';
import { normaliseCodeInput } from '../customers/codes.js';
import { jstDay, makeReading, type CardReading, type DataTick, type GiftTick } from './postcard.rules.js';

/** Forms of the postcard screens, validated at the edge; messages are shown to the operator as they are. */

export const MAX_PHYSICAL_COUNT = 100_000;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u; // eslint-disable-line no-control-regex

/** Path ids are bigint: anything else is "not found", never a database error. */
export const isId = (s: unknown): s is string => typeof s === 'string' && /^\d{1,18}$/.test(s);

const count = (field: string) =>
  z
    .string({ error: `${field}を入力してください。` })
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().regex(/^\d{1,6}$/, `${field}を数字で入力してください。`))
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `${field}は1枚以上にしてください。`)
        .max(MAX_PHYSICAL_COUNT, `${field}は${MAX_PHYSICAL_COUNT.toLocaleString('ja-JP')}枚までです。`),
    );

/** A checkbox: present with value 1, or absent. */
const tick = z
  .enum(['1'], { error: 'チェックボックスの値が正しくありません。' })
  .optional()
  .transform((v) => v === '1');

export const OpenBatchSchema = z.object({
  label: z
    .string({ error: '束の名前を入力してください。' })
    .trim()
    .min(1, '束の名前を入力してください。')
    .max(60, '束の名前は60文字以内にしてください。')
    .refine((s) => !CONTROL.test(s), '束の名前に使えない文字が含まれています。'),
  physicalCount: count('実枚数'),
  secondKeying: tick,
});

export const CountSchema = z.object({
  physicalCount: count('実枚数'),
  reason: z
    .string({ error: '訂正の理由を入力してください。' })
    .trim()
    .min(1, '訂正の理由を入力してください。')
    .max(200, '理由は200文字以内にしてください。'),
});

/** The code as typed or scanned: full-width, lower case, hyphens and spaces are forgiven. */
export const CodeInput = z
  .string({ error: '登録コードを入力してください。' })
  .max(60, '登録コードが長すぎます。')
  .transform(normaliseCodeInput)
  .pipe(
    z
      .string()
      .min(1, '登録コードを入力してください。')
      .max(40, '登録コードが長すぎます。')
      .refine((s) => !CONTROL.test(s), '登録コードに使えない文字が含まれています。'),
  );

export const CheckSchema = z.object({ code: CodeInput });

/**
 * A postmark as operators type it: 2026-11-20, 2026/11/20, 20261120, or just 11/20 or 1120 (the
 * latest such day that is not in the future). Full-width digits are fine.
 */
export function parsePostmark(raw: string, today: string): string | null {
  const s = raw.normalize('NFKC').trim();
  const pad = (n: string) => n.padStart(2, '0');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  else if ((m = /^(\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s))) {
    const year = Number(today.slice(0, 4));
    iso = `${year}-${pad(m[1]!)}-${pad(m[2]!)}`;
    if (iso > today) iso = `${year - 1}-${pad(m[1]!)}-${pad(m[2]!)}`;
  }
  return iso && isCalendarDate(iso) ? iso : null;
}

/** The postmark field: required, a real day, not after today (JST, by the clock at each parse). */
export const postmarkField = (clock: () => Date) =>
  z
    .string({ error: '消印日を入力してください。' })
    .trim()
    .min(1, '消印日を入力してください。')
    .transform((raw, ctx) => {
      const today = jstDay(clock());
      const day = parsePostmark(raw, today);
      if (!day) {
        ctx.addIssue({ code: 'custom', message: '消印日は 2026-11-20 のように入力してください。' });
        return z.NEVER;
      }
      if (day > today) {
        ctx.addIssue({ code: 'custom', message: '消印日が未来の日付です。はがきの消印をご確認ください。' });
        return z.NEVER;
      }
      return day;
    });

/** The save form: one reading of one card at one position of the tray. */
export const entrySchema = (clock: () => Date) =>
  z
    .object({
      code: CodeInput,
      seq: z
        .string({ error: '番号がありません。' })
        .regex(/^\d{1,6}$/, '番号が正しくありません。')
        .transform(Number),
      keying: z.enum(['1', '2'], { error: '入力回が正しくありません。' }).transform(Number),
      book_card: tick,
      donation: tick,
      emoney: tick,
      erasure: tick,
      stop_marketing: tick,
      postmarkDate: postmarkField(clock),
    })
    .transform((f) => ({
      seq: f.seq,
      keying: f.keying as 1 | 2,
      reading: readingOf(f.code, f, f.postmarkDate),
    }));

export type EntryForm = z.output<ReturnType<typeof entrySchema>>;

export function readingOf(
  code: string,
  t: { book_card: boolean; donation: boolean; emoney: boolean; erasure: boolean; stop_marketing: boolean },
  postmarkDate: string,
): CardReading {
  const gifts: GiftTick[] = [];
  if (t.book_card) gifts.push('book_card');
  if (t.donation) gifts.push('donation');
  if (t.emoney) gifts.push('emoney');
  const data: DataTick[] = [];
  if (t.erasure) data.push('erasure');
  if (t.stop_marketing) data.push('marketing_optout');
  return makeReading(code, gifts, data, postmarkDate);
}

export const ResolveSchema = z.object({
  action: z.enum(['close', 'apply1', 'apply2'], { error: '対応を選んでください。' }).default('close'),
  note: z
    .string({ error: '対応内容を入力してください。' })
    .trim()
    .min(1, '対応内容を入力してください。')
    .max(200, '対応内容は200文字以内にしてください。')
    .refine((s) => !CONTROL.test(s), '対応内容に使えない文字が含まれています。'),
});

export { fieldErrors } from '../platform/forms.js';
