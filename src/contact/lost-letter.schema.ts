import { z } from 'zod';
import { normaliseBirthDate, normaliseKanaName } from '../customers/lost-letter.js';
import { normalisePostalCode } from '../customers/normalise.js';
import { Reason } from './contact.schema.js';
import { LOST_LETTER_TEXT as T } from './lost-letter.text.js';

/**
 * The lost-letter search: the campaign, and the three values the caller says — all required. Each
 * is normalised as the import normalised it (customers/lost-letter.ts), so the digests meet.
 */

// Katakana (hiragana are turned into katakana first), the long-vowel mark, and Latin letters.
const KANA_NAME = /^[\u30a1-\u30fa\u30fc-\u30feA-Z]+$/u;

const required = (message: string) => z.string({ error: message }).trim().min(1, message);

export const LostLetterSchema = z.object({
  campaign: required(T.campaign).regex(/^[a-z0-9][a-z0-9-]{1,62}$/, T.campaign),
  kanaName: required(T.kanaName)
    .max(100, T.kanaNameBad)
    .transform(normaliseKanaName)
    .refine((v) => KANA_NAME.test(v), T.kanaNameBad),
  birthDate: required(T.birthDate).transform((v, ctx) => {
    const day = normaliseBirthDate(v);
    if (day === null) ctx.addIssue({ code: 'custom', message: T.birthDateBad });
    return day ?? '';
  }),
  postalCode: required(T.postalCode).transform((v, ctx) => {
    const code = normalisePostalCode(v);
    if (code === null) ctx.addIssue({ code: 'custom', message: T.postalCodeBad });
    return code ?? '';
  }),
  reason: Reason,
});

export type LostLetterForm = z.output<typeof LostLetterSchema>;
