import { z } from 'zod';
import { ROLES } from './permissions.js';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, 'ユーザー名は3〜40文字の英小文字・数字・記号(._-)で入力してください。');

export const Password = z
  .string()
  .min(12, 'パスワードは12文字以上にしてください。')
  .max(200, 'パスワードが長すぎます。');

export const StaffLoginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'ユーザー名を入力してください。').max(60),
  password: z.string().min(1, 'パスワードを入力してください。').max(200),
});

export const TotpSchema = z.object({
  code: z
    .string()
    .transform((s) => s.normalize('NFKC').replace(/\s/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, '6桁の確認コードを入力してください。')),
});

export const NewStaffSchema = z.object({
  username: Username,
  displayName: z.string().trim().min(1, '表示名を入力してください。').max(60),
  role: z.enum(ROLES as [string, ...string[]], { error: '役割を選んでください。' }),
  password: Password,
});

export const RoleChangeSchema = z.object({
  role: z.enum(ROLES as [string, ...string[]], { error: '役割を選んでください。' }),
  reason: z.string().trim().min(1, '理由を入力してください。').max(200),
});
