import { z } from 'zod';
import type { CsvRecord } from '../platform/csv-records.js';
import { isValidRegistrationCode, normaliseCodeInput } from '../customers/codes.js';
import type { CardReading } from './postcard.rules.js';
import { postmarkField, readingOf } from './postcard.schema.js';

/**
 * The OCR vendor's file of keyed postcards: one row per card, flags 0/1. A row the vendor could not
 * read well (empty or misread code, odd flag, no postmark) is reported with its line and left out;
 * that card is then keyed by hand at its position.
 */
export const POSTCARD_CSV_COLUMNS = [
  'seq',
  'registration_code',
  'book_card',
  'donation',
  'emoney',
  'erasure',
  'stop_marketing',
  'postmark_date',
] as const;

export const POSTCARD_CSV_HEADER = POSTCARD_CSV_COLUMNS.join(',');

const flag = (column: string) =>
  z
    .string()
    .trim()
    .pipe(z.enum(['0', '1'], { error: `${column} は 0 か 1 で指定してください。` }))
    .transform((v) => v === '1');

export const postcardRowSchema = (physicalCount: number, now: Date) =>
  z
    .object({
      seq: z
        .string()
        .trim()
        .regex(/^\d{1,6}$/, 'seq は 1 以上の整数で指定してください。')
        .transform(Number)
        .pipe(
          z
            .number()
            .min(1, 'seq は 1 以上の整数で指定してください。')
            .max(physicalCount, `seq が束の実枚数（${physicalCount} 枚）を超えています。`),
        ),
      registration_code: z
        .string()
        .max(60, '登録コードが長すぎます。')
        .transform(normaliseCodeInput)
        .pipe(
          z
            .string()
            .min(1, '登録コードが空です（読み取れなかったはがきは手で入力してください）。')
            .refine(
              isValidRegistrationCode,
              '登録コードの形式またはチェック文字が正しくありません（読み取り誤りの可能性）。',
            ),
        ),
      book_card: flag('book_card'),
      donation: flag('donation'),
      emoney: flag('emoney'),
      erasure: flag('erasure'),
      stop_marketing: flag('stop_marketing'),
      postmark_date: postmarkField(() => now),
    })
    .transform((r) => ({ seq: r.seq, reading: readingOf(r.registration_code, r, r.postmark_date) }));

export interface CsvCard {
  line: number;
  seq: number;
  reading: CardReading;
}

/** The header must name exactly the expected columns, in order (spaces, case and a BOM forgiven). */
export function checkHeader(rec: CsvRecord): string | null {
  const got = rec.fields.map((f) => f.trim().toLowerCase()).join(',');
  return got === POSTCARD_CSV_HEADER ? null : `1行目の見出しは「${POSTCARD_CSV_HEADER}」にしてください。`;
}

/** The card, or the messages that say why the row is bad. */
export function parseRow(
  rec: CsvRecord,
  schema: ReturnType<typeof postcardRowSchema>,
): { card: CsvCard } | { messages: string[] } {
  if (rec.error) return { messages: [rec.error] };
  if (rec.fields.length !== POSTCARD_CSV_COLUMNS.length)
    return {
      messages: [`列の数が ${rec.fields.length} です（${POSTCARD_CSV_COLUMNS.length} 列必要です）。`],
    };
  const input = Object.fromEntries(POSTCARD_CSV_COLUMNS.map((c, i) => [c, rec.fields[i]!]));
  const parsed = schema.safeParse(input);
  if (parsed.success) return { card: { line: rec.line, ...parsed.data } };
  return { messages: parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`) };
}
