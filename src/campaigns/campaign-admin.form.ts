import { fieldErrors } from '../platform/forms.js';
import type { CampaignDefinition } from './campaign.schema.js';
import type { CampaignForm, EditableState, FormField } from './campaign-admin.fields.js';
import { CampaignEditFormSchema, NewCampaignFormSchema } from './campaign-admin.schema.js';

/**
 * The campaign form, turned into a campaign definition (campaign-admin.schema) and back
 * (campaign-admin.format). The routes parse it with `validate`; this is the same check as a plain
 * function, for callers without a request.
 */
export { readForm, type CampaignForm } from './campaign-admin.fields.js';
/** Still read from here by the purge page. */
export { STATE_LABELS } from './campaign.messages.js';

export type ParseResult =
  | { ok: true; definition: CampaignDefinition; state: EditableState }
  | { ok: false; errors: Partial<Record<FormField, string>> };

/** Form → definition. `fixedSlug` is the campaign's own when editing (it cannot change). */
export function parseCampaignForm(form: CampaignForm, fixedSlug?: string): ParseResult {
  const parsed = (fixedSlug === undefined ? NewCampaignFormSchema : CampaignEditFormSchema).safeParse(form);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const { definition, state } = parsed.data;
  return {
    ok: true,
    definition: fixedSlug === undefined ? definition : { ...definition, slug: fixedSlug },
    state,
  };
}
