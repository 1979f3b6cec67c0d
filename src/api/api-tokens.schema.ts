import { z } from 'zod';
import type { Permission } from '../operators/permissions.js';

/** The console's form for a new API token (Japanese messages, shown to the administrator as they are). */

/** What a token may be given: the console permissions the API has operations for. */
export const API_SCOPES = [
  'contact',
  'postcards',
  'exports',
  'reports',
] as const satisfies readonly Permission[];
export type ApiScope = (typeof API_SCOPES)[number];

export const MAX_TOKEN_DAYS = 365;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u; // eslint-disable-line no-control-regex

export const NewTokenSchema = z.object({
  name: z
    .string({ error: 'トークンの名前を入力してください。' })
    .trim()
    .min(1, 'トークンの名前を入力してください。')
    .max(60, 'トークンの名前は60文字以内にしてください。')
    .refine((s) => !CONTROL.test(s), 'トークンの名前に使えない文字が含まれています。'),
  // One ticked box arrives as a string, several as an array.
  scopes: z
    .union([z.string(), z.array(z.string()).max(API_SCOPES.length * 2)], {
      error: '権限を1つ以上選んでください。',
    })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(
      z
        .array(z.enum(API_SCOPES, { error: '権限の値が正しくありません。' }))
        .min(1, '権限を1つ以上選んでください。'),
    ),
  days: z
    .string({ error: '有効期間を入力してください。' })
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().regex(/^\d{1,3}$/, '有効期間は日数（数字）で入力してください。'))
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, '有効期間は1日以上にしてください。')
        .max(MAX_TOKEN_DAYS, `有効期間は${MAX_TOKEN_DAYS}日以内にしてください。`),
    ),
});

export type NewTokenForm = z.output<typeof NewTokenSchema>;
