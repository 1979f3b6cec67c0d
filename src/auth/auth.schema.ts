import { z } from 'zod';
import { normaliseCodeInput } from '../customers/codes.js';

/** The login form: both halves are normalised before anything else looks at them. */
export const LoginFormSchema = z.object({
  registrationCode: z
    .string({ error: 'ご登録用コードを入力してください。' })
    .max(100, 'ご登録用コードが長すぎます。')
    .transform(normaliseCodeInput)
    .pipe(z.string().min(1, 'ご登録用コードを入力してください。')),
  loginKey: z
    .string({ error: 'ログインキーを入力してください。' })
    .max(100, 'ログインキーが長すぎます。')
    .transform(normaliseCodeInput)
    .pipe(z.string().min(1, 'ログインキーを入力してください。')),
});

export type LoginForm = z.infer<typeof LoginFormSchema>;
