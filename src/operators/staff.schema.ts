import { z } from 'zod';
import { ROLES } from './permissions.js';
import type { Role } from './staff.table.js';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, 'ユーザー名は3〜40文字の英小文字・数字・記号(._-)で入力してください。');

export const StaffLoginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'ユーザー名を入力してください。').max(60),
  password: z.string().min(1, 'パスワードを入力してください。').max(200),
});

/** A TOTP code or a recovery code; which one, and whether it is right, the service decides. */
export const SecondFactorSchema = z.object({
  code: z.string().trim().min(1, '確認コードを入力してください。').max(40),
});

/** No password: its owner sets it through the enrolment link. */
export const NewStaffSchema = z.object({
  username: Username,
  displayName: z.string().trim().min(1, '表示名を入力してください。').max(60),
  role: z.enum(ROLES as [Role, ...Role[]], { error: '役割を選んでください。' }),
});

const text = (max: number) => z.string().max(max).default('');

/** Passwords are taken exactly as typed (no trimming); the policy checks them in the service. */
export const PasswordChangeSchema = z.object({
  currentPassword: text(200),
  newPassword: text(200),
  newPasswordAgain: text(200),
});

export const EnrolmentSchema = z.object({
  t: z.string().max(100),
  newPassword: text(200),
  newPasswordAgain: text(200),
  newCode: text(40),
  currentPassword: text(200),
  currentCode: text(40),
});

export const ReasonSchema = z.object({
  reason: z
    .string()
    .trim()
    .max(200)
    .default('')
    .transform((r) => r || null),
});

export const RoleChangeSchema = z.object({
  role: z.enum(ROLES as [Role, ...Role[]], { error: '役割を選んでください。' }),
  reason: z.string().trim().min(1, '理由を入力してください。').max(200),
});
