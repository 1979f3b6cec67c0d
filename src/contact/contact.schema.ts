import { z } from 'zod';
import { CONTROL } from '../customers/normalise.js';
import { isValidRegistrationCode, normaliseCodeInput } from '../customers/codes.js';
import { isWellFormedReference } from '../redemption/receipt.js';
import { findPersonalData } from './contact-screen.js';
import { CustomerNotFound, RequestNotFound } from './contact.errors.js';
import { CONTACT_TEXT } from './contact.messages.js';

/**
 * Why the record is opened or changed: the call reference or the request. Required, because the
 * audit log must say why as well as who. It is kept as a note the log refers to (deleted with the
 * campaign), and refused when it looks like personal data: the form asks for a reference, not for
 * the caller's name, number or address (their own name is checked once the customer is known).
 */
export const Reason = z
  .string({ error: '理由（通話番号など）を入力してください。' })
  .trim()
  .min(1, '理由（通話番号など）を入力してください。')
  .max(200, '理由は200文字以内で入力してください。')
  // Line breaks and other control characters have no place in an audit entry.
  .refine((v) => !CONTROL.test(v), '理由に改行や制御文字は使えません。')
  .superRefine((v, ctx) => {
    const kind = findPersonalData(v);
    if (kind) ctx.addIssue({ code: 'custom', message: CONTACT_TEXT.personalData(kind) });
  });

/** Forgiving input, as on the customer's login: full-width, hyphens, spaces and lower case are fine. */
const RegistrationCode = z
  .string({ error: 'ご登録用コードを入力してください。' })
  .transform(normaliseCodeInput)
  .pipe(
    z
      .string()
      .min(1, 'ご登録用コードを入力してください。')
      .refine(
        (v) => isValidRegistrationCode(v) || isWellFormedReference(v),
        'ご登録用コードが正しくありません（12文字、受付番号なら9文字。チェック文字が一致しません）。読み上げを確認してください。',
      ),
  );

export const LookupSchema = z.object({ registrationCode: RegistrationCode, reason: Reason });

export const ActionSchema = z.object({ reason: Reason });

/** Steps that cannot be undone are posted from a confirmation with `confirm=yes`. */
export const ConfirmedActionSchema = ActionSchema.extend({
  confirm: z.literal('yes', { error: '確認欄にチェックを入れてから実行してください。' }),
});

/** What the person who decides a request writes: the same rules as a reason. */
export const DecisionSchema = z.object({ note: Reason });

const ID = /^[1-9]\d{0,17}$/;

export function customerIdParam(value: unknown): string {
  const s = String(value ?? '');
  if (!ID.test(s)) throw CustomerNotFound();
  return s;
}

export function requestIdParam(value: unknown): string {
  const s = String(value ?? '');
  if (!ID.test(s)) throw RequestNotFound();
  return s;
}

export { fieldErrors } from '../platform/forms.js';
