import { z } from 'zod';
import type { HouseholdMember } from '../customers/customer.table.js';
import { normaliseAddress } from '../customers/address.js';
import {
  CONTROL,
  isCalendarDate,
  normaliseForDigest,
  normalisePhone,
  normalisePostalCode,
} from '../customers/normalise.js';

/** The customer CSV's header, in the order we document it (any order is accepted). */
export const CUSTOMER_CSV_COLUMNS = [
  'customer_ref',
  'full_name',
  'full_name_kana',
  'birth_date',
  'postal_code',
  'address',
  'phone',
  'email',
  'household',
  'leaked_items',
  'erasure_requested_before',
] as const;
export type CustomerCsvColumn = (typeof CUSTOMER_CSV_COLUMNS)[number];
export type CustomerCsvRecord = Record<CustomerCsvColumn, string>;

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label}は必須です`)
    .max(max, `${label}は${max}文字以内で入力してください`)
    .refine((v) => !CONTROL.test(v), `${label}に改行や制御文字は使えません`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}は${max}文字以内で入力してください`)
    .refine((v) => !CONTROL.test(v), `${label}に改行や制御文字は使えません`)
    .transform((v) => (v === '' ? null : v));

/** Built per schema so "today" is computed once, not per row. */
const birthDate = (today: string) =>
  z
    .string()
    .transform((v) => v.normalize('NFKC').trim())
    .refine(
      (v) => v === '' || isCalendarDate(v),
      '生年月日は YYYY-MM-DD の形式の実在する日付で入力してください',
    )
    .refine(
      (v) => v === '' || (v >= '1900-01-01' && v <= today),
      '生年月日が範囲外です（1900年以降、今日まで）',
    )
    .transform((v) => (v === '' ? null : v));

const HouseholdMemberSchema = z.object({
  name: text('家族の氏名', 100),
  relation: text('続柄', 20),
  birthDate: z
    .string()
    .refine(isCalendarDate, '家族の生年月日は YYYY-MM-DD の形式の実在する日付で入力してください')
    .nullish()
    .transform((v) => v ?? null),
});
const HouseholdSchema = z.array(HouseholdMemberSchema).max(10, '家族は10人までです');

const household = z.string().transform((raw, ctx): HouseholdMember[] => {
  const s = raw.trim();
  if (s === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: '家族は JSON の配列（[{"name","relation","birthDate"}]）で入力してください',
    });
    return z.NEVER;
  }
  const parsed = HouseholdSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = typeof issue.path[0] === 'number' ? `${issue.path[0] + 1}人目: ` : '';
    ctx.addIssue({ code: 'custom', message: `${where}${issue.message}` });
    return z.NEVER;
  }
  return parsed.data;
});

const Email = z.email();

const erasureFlag = z.string().transform((raw, ctx) => {
  const v = raw.normalize('NFKC').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  ctx.addIssue({
    code: 'custom',
    message: '0 / 1 / true / false のいずれか（または空欄）で入力してください',
  });
  return z.NEVER;
});

/** leaked_items: keys of the campaign's leaked items, `;`-separated, at least one. */
const leakedItemKeys = (known: ReadonlySet<string>) =>
  z.string().transform((raw, ctx) => {
    const keys = [
      ...new Set(
        raw
          .split(';')
          .map((k) => k.trim())
          .filter((k) => k !== ''),
      ),
    ];
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: '漏えい項目を1つ以上、; 区切りで入力してください' });
      return z.NEVER;
    }
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `キャンペーンにない漏えい項目です: ${unknown.join(', ')}` });
      return z.NEVER;
    }
    return keys;
  });

const postalCode = z.string().transform((raw, ctx) => {
  const v = normalisePostalCode(raw);
  if (v === null) ctx.addIssue({ code: 'custom', message: '郵便番号は7桁の数字で入力してください' });
  return v ?? z.NEVER;
});

const phone = z.string().transform((raw, ctx) => {
  if (raw.trim() === '') return null;
  const v = normalisePhone(raw);
  if (v === null) {
    ctx.addIssue({
      code: 'custom',
      message: '電話番号は0から始まる10〜11桁の数字（ハイフン可）で入力してください',
    });
  }
  return v ?? z.NEVER;
});

const email = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    if (v.length > 254 || !Email.safeParse(v).success) {
      ctx.addIssue({ code: 'custom', message: 'メールアドレスの形式が正しくありません' });
      return z.NEVER;
    }
    return v;
  });

/** One CSV row → the values we store. Built per campaign: the leaked-item keys come from it. */
export function customerRowSchema(leakedItemKeysOfCampaign: readonly string[]) {
  return z.object({
    customer_ref: text('顧客番号', 64),
    full_name: text('氏名', 100),
    full_name_kana: optionalText('氏名（カナ）', 100).transform((v) => v?.normalize('NFKC') ?? null),
    birth_date: birthDate(new Date().toISOString().slice(0, 10)),
    postal_code: postalCode,
    // The customer's form stores addresses the same way (kanji block numbers, full-width digits, dashes).
    address: text('住所', 300).transform(normaliseAddress),
    phone,
    email,
    household,
    leaked_items: leakedItemKeys(new Set(leakedItemKeysOfCampaign)),
    erasure_requested_before: erasureFlag,
  });
}

export type CustomerRowSchema = ReturnType<typeof customerRowSchema>;
export type CustomerRow = z.output<CustomerRowSchema>;

/** What identifies one person across rows: normalised name, birth date and normalised address. */
export const personDigestInput = (row: Pick<CustomerRow, 'full_name' | 'birth_date' | 'address'>): string =>
  `person:${normaliseForDigest(row.full_name)}|${row.birth_date ?? ''}|${normaliseForDigest(row.address)}`;

export const sourceRefInput = (customerRef: string): string => `ref:${customerRef}`;
