import { z } from 'zod';
import { EDITABLE_STATES, readForm, type FormField } from './campaign-admin.fields.js';
import {
  isChecked,
  isoDay,
  nonEmptyLines,
  paragraphs,
  parseFaq,
  readEnglish,
  readPairs,
  yenDigits,
  type Report,
} from './campaign-admin.text.js';
import { FORM_LABELS, FORM_TEXT } from './campaign.messages.js';
import type { CampaignDefinition } from './campaign.schema.js';

/**
 * The campaign form → a campaign definition and a state. Every field is checked, and each invalid
 * one gets one Japanese message naming it (the first found: its length, then what it must hold).
 * A gift's own fields count only when the gift is switched on. The definition itself is checked
 * again by saveCampaignDefinition.
 */

const MAX_FIELD = 20_000;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const label = (f: FormField) => FORM_LABELS[f];

/** Any field, as posted: first of all not too long. */
const typed = (f: FormField) => z.string().max(MAX_FIELD, FORM_TEXT.tooLong(label(f), MAX_FIELD));
const required = (f: FormField) =>
  typed(f)
    .trim()
    .min(1, FORM_TEXT.required(label(f)));
const optional = (f: FormField) => typed(f).transform((s) => s.trim() || undefined);
const list = (f: FormField) => typed(f).transform(nonEmptyLines);
const day = (f: FormField) =>
  typed(f)
    .transform(isoDay)
    .pipe(z.string().min(1, FORM_TEXT.day(label(f))));
const reading = <T>(f: FormField, read: (text: string, report: Report) => T) =>
  typed(f).transform((text, ctx) => read(text, (message) => ctx.addIssue({ code: 'custom', message })));
const pairs = (f: FormField) => reading(f, (text, report) => readPairs(text, label(f), report));

const amount = (f: FormField) => {
  const message = FORM_TEXT.amount(label(f));
  return typed(f)
    .transform(yenDigits)
    .pipe(z.string().regex(/^\d{1,7}$/, message))
    .transform(Number)
    .pipe(z.number().min(1, message).max(1_000_000, message));
};

const choice = <const T extends readonly [string, ...string[]]>(f: FormField, values: T, message: string) =>
  typed(f)
    .transform((s) => s || values[0])
    .pipe(z.enum(values, { error: message }));

/** The fields every campaign has (the slug apart: it is typed only when creating). */
const COMMON = {
  state: choice('state', EDITABLE_STATES, FORM_TEXT.state),
  companyName: required('companyName'),
  title: required('title'),
  apology: typed('apology')
    .transform(paragraphs)
    .pipe(z.array(z.string()).min(1, FORM_TEXT.required(label('apology')))),
  signatories: list('signatories'),
  incidentSummary: required('incidentSummary'),
  leakedItems: pairs('leakedItems'),
  leakedNotes: list('leakedNotes'),
  emoneyEnabled: typed('emoneyEnabled'),
  bookCardEnabled: typed('bookCardEnabled'),
  donationEnabled: typed('donationEnabled'),
  erasureNote: required('erasureNote'),
  erasureWarning: required('erasureWarning'),
  optoutNote: required('optoutNote'),
  deadline: day('deadline'),
  purgeDeadline: day('purgeDeadline'),
  postmarkRule: required('postmarkRule'),
  contactName: required('contactName'),
  contactFreeDial: required('contactFreeDial'),
  contactFallbackNumber: optional('contactFallbackNumber'),
  contactFallbackNote: optional('contactFallbackNote'),
  contactHours: required('contactHours'),
  contactPeriod: optional('contactPeriod'),
  contactNotes: list('contactNotes'),
  faq: reading('faq', parseFaq),
  trademarkNotes: list('trademarkNotes'),
  english: reading('english', readEnglish),
};

const EmoneyFields = z.object({
  emoneyAmountYen: amount('emoneyAmountYen'),
  emoneyProductName: required('emoneyProductName'),
  emoneySource: choice('emoneySource', ['pool', 'vendor'] as const, FORM_TEXT.emoneySource),
  emoneyBrands: pairs('emoneyBrands'),
  emoneyNotes: list('emoneyNotes'),
});
const BookCardFields = z.object({
  bookCardAmountYen: amount('bookCardAmountYen'),
  bookCardProductName: required('bookCardProductName'),
  bookCardLeadTimeNote: required('bookCardLeadTimeNote'),
});
const DonationFields = z.object({
  donationAmountYen: amount('donationAmountYen'),
  donationRecipient: required('donationRecipient'),
  donationDescription: required('donationDescription'),
});

type GiftField = keyof (typeof EmoneyFields.shape &
  typeof BookCardFields.shape &
  typeof DonationFields.shape);
type GiftSwitch = 'emoneyEnabled' | 'bookCardEnabled' | 'donationEnabled';

/** Each gift: the checkbox that switches it on, and its fields. */
const GIFTS = [
  { enabled: 'emoneyEnabled', fields: EmoneyFields },
  { enabled: 'bookCardEnabled', fields: BookCardFields },
  { enabled: 'donationEnabled', fields: DonationFields },
] as const;

/** A gift's fields as typed (within the length): read only when the gift is switched on. */
const GIFT_FIELDS_AS_TYPED = Object.fromEntries(
  GIFTS.flatMap((g) => Object.keys(g.fields.shape).map((f) => [f, typed(f as GiftField)])),
) as Record<GiftField, ReturnType<typeof typed>>;

const FormFields = z.object({ slug: z.string(), ...COMMON, ...GIFT_FIELDS_AS_TYPED });
type TypedForm = z.output<typeof FormFields>;

/**
 * The checks across fields run even when others failed (every field gets its message at once); the
 * deadline order only once both are real days.
 */
const formSchema = (slug: z.ZodType<string, string>) =>
  FormFields.extend({ slug })
    .superRefine(checkGifts, { when: () => true })
    .superRefine(checkPurgeAfterDeadline, {
      when: (p) => !p.issues.some((i) => i.path?.[0] === 'deadline' || i.path?.[0] === 'purgeDeadline'),
    })
    .transform((form) => ({ definition: toDefinition(form), state: form.state }));

const isOn = (form: TypedForm, gift: GiftSwitch) => isChecked(form[gift]);

/** At least one gift; the fields of each gift switched on must hold what it needs. */
function checkGifts(form: TypedForm, ctx: z.RefinementCtx): void {
  const on = GIFTS.filter((g) => isOn(form, g.enabled));
  if (on.length === 0) ctx.addIssue({ code: 'custom', path: ['emoneyEnabled'], message: FORM_TEXT.noGift });
  for (const gift of on) {
    const parsed = gift.fields.safeParse(form);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  }
}

function checkPurgeAfterDeadline(form: TypedForm, ctx: z.RefinementCtx): void {
  if (form.purgeDeadline <= form.deadline) {
    ctx.addIssue({ code: 'custom', path: ['purgeDeadline'], message: FORM_TEXT.purgeAfterDeadline });
  }
}

/** Reached only when every check passed, so the fields of the gifts switched on parse. */
function giftOptions(form: TypedForm): CampaignDefinition['options'] {
  const emoney = isOn(form, 'emoneyEnabled') ? EmoneyFields.parse(form) : null;
  const bookCard = isOn(form, 'bookCardEnabled') ? BookCardFields.parse(form) : null;
  const donation = isOn(form, 'donationEnabled') ? DonationFields.parse(form) : null;
  return {
    emoney: emoney && {
      amountYen: emoney.emoneyAmountYen,
      productName: emoney.emoneyProductName,
      source: emoney.emoneySource,
      brands: emoney.emoneyBrands,
      notes: emoney.emoneyNotes,
    },
    bookCard: bookCard && {
      amountYen: bookCard.bookCardAmountYen,
      productName: bookCard.bookCardProductName,
      leadTimeNote: bookCard.bookCardLeadTimeNote,
    },
    donation: donation && {
      amountYen: donation.donationAmountYen,
      recipient: donation.donationRecipient,
      description: donation.donationDescription,
    },
  };
}

function toDefinition(form: TypedForm): CampaignDefinition {
  const {
    contactFallbackNumber: fallbackNumber,
    contactFallbackNote: fallbackNote,
    contactPeriod: period,
  } = form;
  return {
    slug: form.slug,
    companyName: form.companyName,
    title: form.title,
    apology: form.apology,
    signatories: form.signatories,
    incidentSummary: form.incidentSummary,
    leakedItems: form.leakedItems,
    leakedNotes: form.leakedNotes,
    options: giftOptions(form),
    dataChoice: {
      erasureNote: form.erasureNote,
      erasureWarning: form.erasureWarning,
      optoutNote: form.optoutNote,
    },
    deadline: form.deadline,
    purgeDeadline: form.purgeDeadline,
    postmarkRule: form.postmarkRule,
    contactCentre: {
      name: form.contactName,
      freeDial: form.contactFreeDial,
      ...(fallbackNumber ? { fallbackNumber } : {}),
      ...(fallbackNote ? { fallbackNote } : {}),
      hours: form.contactHours,
      ...(period ? { period } : {}),
      notes: form.contactNotes,
    },
    faq: form.faq,
    trademarkNotes: form.trademarkNotes,
    ...(form.english ? { en: form.english } : {}),
  };
}

/** A new campaign's form: the slug is typed once, here, and checked. */
export const NewCampaignFormSchema = z.preprocess(
  readForm,
  formSchema(
    typed('slug')
      .transform((s) => s.normalize('NFKC').trim())
      .pipe(z.string().regex(SLUG, FORM_TEXT.slug)),
  ),
);

/** An edit: the slug never changes, so the form's is ignored and the campaign's own is set after. */
export const CampaignEditFormSchema = z.preprocess(readForm, formSchema(z.string()));

export type ParsedCampaignForm = z.output<typeof NewCampaignFormSchema>;
