import { z } from 'zod';
import type { CampaignDefinition } from '../campaigns/campaign.schema.js';
import type { Catalogue } from '../messages/catalogue.js';
import type { ChoiceChangeRequest } from './choice-change.service.js';
import { parseChoice, type FieldErrors } from './redemption.schema.js';

/** The change form as posted: every field optional; an empty one means "keep". */
export const ChangeFormSchema = z.object({
  option: z.string().max(20).optional(),
  dataChoice: z.string().max(20).optional(),
  addressAction: z.string().max(20).optional(),
  postalCode: z.string().max(20).optional(),
  address: z.string().max(400).optional(),
});
export type ChangeForm = z.infer<typeof ChangeFormSchema>;

const OPTIONS = ['emoney', 'book_card', 'donation'] as const;
const DATA_CHOICES = ['none', 'marketing_optout', 'erasure'] as const;
const isOneOf = <T extends string>(list: readonly T[], v: string | undefined): v is T =>
  v !== undefined && (list as readonly string[]).includes(v);

/**
 * The posted change form as a request for changeChoice, or per-field messages. Only the form is
 * checked here (known values, a well-formed address); whether the change is allowed is the
 * service's decision. The corrected address is checked by the same rules as on the choice form.
 */
export function parseChange(
  c: Catalogue,
  def: CampaignDefinition,
  raw: unknown,
):
  | { ok: true; request: ChoiceChangeRequest; form: ChangeForm }
  | { ok: false; errors: FieldErrors; form: ChangeForm } {
  const parsed = ChangeFormSchema.safeParse(raw ?? {});
  const form: ChangeForm = parsed.success ? parsed.data : {};
  const errors: FieldErrors = {};
  if (!parsed.success) errors.form = c.redemption.formUnreadable;
  const request: ChoiceChangeRequest = {};
  if (isOneOf(OPTIONS, form.option)) request.option = form.option;
  else if (form.option) errors.option = c.redemption.chooseOption;
  if (isOneOf(DATA_CHOICES, form.dataChoice)) request.dataChoice = form.dataChoice;
  else if (form.dataChoice) errors.dataChoice = c.redemption.chooseDataChoice;
  if (form.addressAction === 'correct') {
    const shipping = parseChoice(
      def,
      {
        option: 'book_card',
        dataChoice: 'none',
        addressAction: 'correct',
        postalCode: form.postalCode,
        address: form.address,
      },
      false,
    );
    if (shipping.ok && shipping.choice.option === 'book_card' && shipping.choice.shipping) {
      request.shipping = shipping.choice.shipping;
    } else if (!shipping.ok) {
      Object.assign(errors, shipping.errors);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, form };
  return { ok: true, request, form };
}
