import { z } from 'zod';
import type { CampaignDefinition } from '../campaigns/campaign.schema.js';

export const normalisePostalCode = (raw: string) => raw.normalize('NFKC').replace(/[\s\-‐‑–—−ー]/gu, '');
const normaliseAddress = (raw: string) => raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();

const PostalCode = z
  .string()
  .transform(normalisePostalCode)
  .pipe(z.string().regex(/^\d{7}$/, '郵便番号は7桁の数字で入力してください（例：100-0004）。'));
const Address = z
  .string()
  .transform(normaliseAddress)
  .pipe(
    z
      .string()
      .min(6, '住所を都道府県から番地まで入力してください。')
      .max(200, '住所は200文字以内で入力してください。')
      .regex(/^(北海道|東京都|京都府|大阪府|.{2,3}県)/u, '住所は都道府県名から入力してください。')
      .regex(/\d/u, '番地まで入力してください。'),
  );

export type ShippingAddress = { postalCode: string; address: string };

export type Choice =
  | { option: 'emoney'; brand: string; dataChoice: DataChoiceValue }
  | { option: 'book_card'; dataChoice: DataChoiceValue; shipping: ShippingAddress | null }
  | { option: 'donation'; dataChoice: DataChoiceValue };

export type DataChoiceValue = 'none' | 'marketing_optout' | 'erasure';

export type FieldErrors = Record<string, string>;

/** The raw form as posted; every field optional so that errors can be reported per field. */
export const ChoiceFormSchema = z.object({
  option: z.string().optional(),
  brand: z.string().optional(),
  dataChoice: z.string().optional(),
  addressAction: z.string().optional(),
  postalCode: z.string().max(20).optional(),
  address: z.string().max(400).optional(),
});
export type ChoiceForm = z.infer<typeof ChoiceFormSchema>;

/**
 * Turns the posted form into a Choice valid for this campaign, or per-field messages.
 * `erasureAlreadyRequested`: the customer had asked before the letter; erasure is then fixed.
 */
export function parseChoice(
  def: CampaignDefinition,
  raw: unknown,
  erasureAlreadyRequested: boolean,
): { ok: true; choice: Choice } | { ok: false; errors: FieldErrors; form: ChoiceForm } {
  const parsedForm = ChoiceFormSchema.safeParse(raw ?? {});
  const form: ChoiceForm = parsedForm.success ? parsedForm.data : {};
  const errors: FieldErrors = {};
  if (!parsedForm.success) errors.form = '入力内容が正しくありません。';

  const enabled = {
    emoney: def.options.emoney !== null,
    book_card: def.options.bookCard !== null,
    donation: def.options.donation !== null,
  };
  const option = form.option;
  if (option !== 'emoney' && option !== 'book_card' && option !== 'donation') {
    errors.option = 'お詫びの品をお選びください。';
  } else if (!enabled[option]) {
    errors.option = 'お選びいただいたお詫びの品は、このお手続きではご利用いただけません。';
  }

  const dataChoice = erasureAlreadyRequested ? 'erasure' : form.dataChoice;
  if (dataChoice !== 'none' && dataChoice !== 'marketing_optout' && dataChoice !== 'erasure') {
    errors.dataChoice = '個人情報のお取り扱いについてお選びください。';
  }

  let brand: string | undefined;
  if (option === 'emoney' && def.options.emoney) {
    brand = def.options.emoney.brands.find((b) => b.key === form.brand)?.key;
    if (!brand) errors.brand = '電子マネーの種類をお選びください。';
  }

  let shipping: ShippingAddress | null = null;
  if (option === 'book_card') {
    if (form.addressAction === 'correct') {
      const pc = PostalCode.safeParse(form.postalCode ?? '');
      const ad = Address.safeParse(form.address ?? '');
      if (!pc.success) errors.postalCode = pc.error.issues[0]!.message;
      if (!ad.success) errors.address = ad.error.issues[0]!.message;
      if (pc.success && ad.success) shipping = { postalCode: pc.data, address: ad.data };
    } else if (form.addressAction !== 'as_is') {
      errors.addressAction = '図書カードのお届け先をご確認ください。';
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, form };
  const dc = dataChoice as DataChoiceValue;
  const choice: Choice =
    option === 'emoney'
      ? { option, brand: brand!, dataChoice: dc }
      : option === 'book_card'
        ? { option, dataChoice: dc, shipping }
        : { option: 'donation', dataChoice: dc };
  return { ok: true, choice };
}
