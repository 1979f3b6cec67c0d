import { FORM_LABELS } from './campaign.messages.js';

/**
 * The campaign form's fields: real fields an operator can fill in, each a string as posted. Lists
 * are one item per line, paragraphs are separated by a blank line, pairs are `key: label` and the
 * FAQ is `Q: …` / `A: …` blocks (campaign-admin.schema reads them, campaign-admin.format writes them).
 */
export type FormField = keyof typeof FORM_LABELS;
export type CampaignForm = Record<FormField, string>;
export const FORM_FIELDS = Object.keys(FORM_LABELS) as FormField[];

/** Operators set these by hand; 'purged' is only ever set by the purge. */
export const EDITABLE_STATES = ['draft', 'open', 'closed'] as const;
export type EditableState = (typeof EDITABLE_STATES)[number];

/** Reads the posted body: every field as a string (absent or repeated ones become ''). */
export function readForm(body: unknown): CampaignForm {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    FORM_FIELDS.map((f) => {
      const v = src[f];
      return [f, typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : ''];
    }),
  ) as CampaignForm;
}
