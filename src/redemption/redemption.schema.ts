import { z } from 'zod';
import type { CampaignDefinition } from '../campaigns/campaign.schema.js';
import { prefectureMismatchMessage } from '../customers/address-form.js';
import { normaliseAddress } from '../customers/address.js';
import { normalisePostalCode } from '../customers/normalise.js';
import { CATALOGUES, JA, type Catalogue } from '../messages/catalogue.js';

/** The postal code and address checks, with messages in one catalogue's language. */
function addressSchemas(c: Catalogue) {
  const M = c.redemption;
  /** The same spellings as the customer import accepts (one normaliser), as 7 ASCII digits. */
  const PostalCode = z.string().transform((raw, ctx) => {
    const code = normalisePostalCode(raw);
    if (code === null) ctx.addIssue({ code: 'custom', message: M.postalCode });
    return code ?? z.NEVER;
  });
  const Address = z
    .string()
    .transform(normaliseAddress)
    .pipe(
      z
        .string()
        .min(6, M.address.tooShort)
        .max(200, M.address.tooLong)
        .regex(/^(北海道|東京都|京都府|大阪府|.{2,3}県)/u, M.address.prefectureFirst)
        .regex(/\d/u, M.address.streetNumber),
    );
  return { PostalCode, Address };
}
const ADDRESS_SCHEMAS = new Map(Object.entries(CATALOGUES).map(([, c]) => [c, addressSchemas(c)]));

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
 * `c`: the catalogue of the page's language, for the messages.
 */
export function parseChoice(
  def: CampaignDefinition,
  raw: unknown,
  erasureAlreadyRequested: boolean,
  c: Catalogue = JA,
): { ok: true; choice: Choice } | { ok: false; errors: FieldErrors; form: ChoiceForm } {
  const M = c.redemption;
  const parsedForm = ChoiceFormSchema.safeParse(raw ?? {});
  const form: ChoiceForm = parsedForm.success ? parsedForm.data : {};
  const errors: FieldErrors = {};
  if (!parsedForm.success) errors.form = M.formUnreadable;

  const enabled = {
    emoney: def.options.emoney !== null,
    book_card: def.options.bookCard !== null,
    donation: def.options.donation !== null,
  };
  const option = form.option;
  if (option !== 'emoney' && option !== 'book_card' && option !== 'donation') {
    errors.option = M.chooseOption;
  } else if (!enabled[option]) {
    errors.option = M.optionUnavailable;
  }

  const dataChoice = erasureAlreadyRequested ? 'erasure' : form.dataChoice;
  if (dataChoice !== 'none' && dataChoice !== 'marketing_optout' && dataChoice !== 'erasure') {
    errors.dataChoice = M.chooseDataChoice;
  }

  let brand: string | undefined;
  if (option === 'emoney' && def.options.emoney) {
    brand = def.options.emoney.brands.find((b) => b.key === form.brand)?.key;
    if (!brand) errors.brand = M.chooseBrand;
  }

  const shipping = option === 'book_card' ? parseShipping(c, form, errors) : null;

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

/** The book card's delivery: as on file (null), or a corrected address; problems go into `errors`. */
function parseShipping(c: Catalogue, form: ChoiceForm, errors: FieldErrors): ShippingAddress | null {
  const { PostalCode, Address } = ADDRESS_SCHEMAS.get(c) ?? addressSchemas(c);
  if (form.addressAction === 'as_is') return null;
  if (form.addressAction !== 'correct') {
    errors.addressAction = c.redemption.confirmDelivery;
    return null;
  }
  const pc = PostalCode.safeParse(form.postalCode ?? '');
  const ad = Address.safeParse(form.address ?? '');
  if (!pc.success) errors.postalCode = pc.error.issues[0]!.message;
  if (!ad.success) errors.address = ad.error.issues[0]!.message;
  if (!pc.success || !ad.success) return null;
  // A postal code of another prefecture than the address: refused, the customer corrects one.
  const mismatch = prefectureMismatchMessage(c, pc.data, ad.data);
  if (mismatch) errors.postalCode = mismatch;
  return mismatch ? null : { postalCode: pc.data, address: ad.data };
}
