import type { Request, Response } from 'express';
import { lookUpAddress } from '../customers/address-form.js';
import { catalogueOf } from '../platform/http/language.js';
import { ChoiceFormSchema, type ChoiceForm, type FieldErrors } from './redemption.schema.js';

type ChooseAgain = (
  form: ChoiceForm,
  refusal?: { errors: FieldErrors; message: string; status: number },
) => void;

/**
 * "住所を検索" (the choice form's second submit button, name="action" value="lookup"): the same form
 * again, every field kept, the address filled in from the postal code. Nothing is written; no
 * JavaScript needed. The notice reaches the view as `addressLookup` (res.locals).
 */
export function lookUpAddressPage(req: Request, res: Response, chooseAgain: ChooseAgain): void {
  const c = catalogueOf(res);
  const parsed = ChoiceFormSchema.safeParse(req.body ?? {});
  const form: ChoiceForm = parsed.success ? parsed.data : {};
  const found = lookUpAddress(c, form.postalCode ?? '', form.address ?? '');
  // The customer is correcting the address: the form shows the corrected one as chosen.
  const shown: ChoiceForm = {
    ...form,
    addressAction: 'correct',
    postalCode: found.postalCode,
    address: found.address,
  };
  res.locals.addressLookup = found.notice;
  if (found.error === null) return chooseAgain(shown);
  chooseAgain(shown, { errors: { postalCode: found.error }, message: c.common.checkInput, status: 400 });
}
