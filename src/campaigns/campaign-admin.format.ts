import type { CampaignDefinition } from './campaign.schema.js';
import type { CampaignState } from './campaign.table.js';
import { FORM_FIELDS, type CampaignForm, type FormField } from './campaign-admin.fields.js';
import { DEFAULT_LEAKED_ITEMS, FORM_LABELS, FORM_TEXT } from './campaign.messages.js';

/** The way back: a stored definition shown in the campaign form, and the definition check's messages on it. */

/** Definition → form, for editing: parseCampaignForm(formatCampaignForm(d)) gives d back. */
export function formatCampaignForm(def: CampaignDefinition, state: CampaignState): CampaignForm {
  const { emoney, bookCard, donation } = def.options;
  const pairLines = (ps: { key: string; label: string }[]) =>
    ps.map((p) => `${p.key}: ${p.label}`).join('\n');
  return {
    slug: def.slug,
    state,
    companyName: def.companyName,
    title: def.title,
    apology: def.apology.join('\n\n'),
    signatories: def.signatories.join('\n'),
    incidentSummary: def.incidentSummary,
    leakedItems: pairLines(def.leakedItems),
    leakedNotes: def.leakedNotes.join('\n'),
    emoneyEnabled: emoney ? 'on' : '',
    emoneyAmountYen: emoney ? String(emoney.amountYen) : '',
    emoneyProductName: emoney?.productName ?? '',
    emoneySource: emoney?.source ?? 'pool',
    emoneyBrands: emoney ? pairLines(emoney.brands) : '',
    emoneyNotes: emoney?.notes.join('\n') ?? '',
    bookCardEnabled: bookCard ? 'on' : '',
    bookCardAmountYen: bookCard ? String(bookCard.amountYen) : '',
    bookCardProductName: bookCard?.productName ?? '',
    bookCardLeadTimeNote: bookCard?.leadTimeNote ?? '',
    donationEnabled: donation ? 'on' : '',
    donationAmountYen: donation ? String(donation.amountYen) : '',
    donationRecipient: donation?.recipient ?? '',
    donationDescription: donation?.description ?? '',
    erasureNote: def.dataChoice.erasureNote,
    erasureWarning: def.dataChoice.erasureWarning,
    optoutNote: def.dataChoice.optoutNote,
    deadline: def.deadline,
    purgeDeadline: def.purgeDeadline,
    postmarkRule: def.postmarkRule,
    contactName: def.contactCentre.name,
    contactFreeDial: def.contactCentre.freeDial,
    contactFallbackNumber: def.contactCentre.fallbackNumber ?? '',
    contactFallbackNote: def.contactCentre.fallbackNote ?? '',
    contactHours: def.contactCentre.hours,
    contactPeriod: def.contactCentre.period ?? '',
    contactNotes: def.contactCentre.notes.join('\n'),
    faq: def.faq.map((e) => `Q: ${e.question}\nA: ${e.answer.join('\n')}`).join('\n\n'),
    trademarkNotes: def.trademarkNotes.join('\n'),
    english: def.en ? JSON.stringify(def.en, null, 2) : '',
  };
}

/** A blank form for a new campaign: sensible defaults, nothing that must be true of a real one. */
export function emptyCampaignForm(): CampaignForm {
  const form = Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])) as CampaignForm;
  return {
    ...form,
    state: 'draft',
    emoneySource: 'pool',
    leakedItems: DEFAULT_LEAKED_ITEMS,
  };
}

/**
 * Where a definition path reported by saveCampaignDefinition ("options.emoney.brands.0.key") is
 * shown on the form. The form checks everything first, so this is a fallback. A form field's own
 * name (from the form's check) stays where it is.
 */
export function formFieldOf(path: string): FormField {
  if ((FORM_FIELDS as readonly string[]).includes(path)) return path as FormField;
  const [head, second, third] = path.split('.');
  const byTop: Record<string, FormField> = {
    slug: 'slug',
    companyName: 'companyName',
    title: 'title',
    apology: 'apology',
    signatories: 'signatories',
    incidentSummary: 'incidentSummary',
    leakedItems: 'leakedItems',
    leakedNotes: 'leakedNotes',
    deadline: 'deadline',
    purgeDeadline: 'purgeDeadline',
    postmarkRule: 'postmarkRule',
    faq: 'faq',
    trademarkNotes: 'trademarkNotes',
  };
  if (head === 'options' && second) {
    const cap = `${second}${(third ?? '').charAt(0).toUpperCase()}${(third ?? '').slice(1)}` as FormField;
    if (FORM_FIELDS.includes(cap)) return cap;
    return `${second}Enabled` as FormField;
  }
  if (head === 'dataChoice' && second && FORM_FIELDS.includes(second as FormField))
    return second as FormField;
  if (head === 'contactCentre' && second) {
    const f = `contact${second.charAt(0).toUpperCase()}${second.slice(1)}` as FormField;
    if (FORM_FIELDS.includes(f)) return f;
  }
  return byTop[head ?? ''] ?? 'title';
}

/** Messages from the definition check (or the form's), per form field, always in Japanese. */
export function formErrorsFromDefinition(fields: Record<string, string>): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  for (const [path, message] of Object.entries(fields)) {
    const f = formFieldOf(path);
    out[f] ??= /[\u3040-\u30ff\u4e00-\u9fff]/.test(message)
      ? message
      : FORM_TEXT.fieldInvalid(FORM_LABELS[f]);
  }
  return out;
}
