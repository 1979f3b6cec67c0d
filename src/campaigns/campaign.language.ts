import type { Lang } from '../messages/catalogue.js';
import type { CampaignDefinition, CampaignEnglish } from './campaign.schema.js';

/**
 * Parts of a campaign's pages whose texts can fall back to Japanese. A view shows the one-line note
 * (catalogue `layout.japaneseOnly`) and `lang="ja"` on a part listed in `japaneseOnly`.
 */
export type CampaignPart =
  | 'title'
  | 'apology'
  | 'incidentSummary'
  | 'leaked'
  | 'options'
  | 'dataChoice'
  | 'postmarkRule'
  | 'contactCentre'
  | 'faq'
  | 'trademarkNotes';

/** A campaign definition as read in one language. */
export interface LocalisedDefinition {
  /** The definition with every text in the language where one is given (the rest in Japanese). */
  def: CampaignDefinition;
  /** The parts where at least one text is shown in Japanese on a page in another language. */
  japaneseOnly: CampaignPart[];
}

/** Picks the English text when there is one, else records that the part falls back to Japanese. */
class Picker {
  readonly missing = new Set<CampaignPart>();
  pick<T>(part: CampaignPart, ja: T, en: T | undefined): T {
    if (en !== undefined) return en;
    this.missing.add(part);
    return ja;
  }
  /** A list: empty in Japanese needs nothing in English. */
  list<T>(part: CampaignPart, ja: T[], en: T[] | undefined): T[] {
    return ja.length === 0 && en === undefined ? ja : this.pick(part, ja, en);
  }
  /** An optional text: absent in Japanese needs nothing in English. */
  optional(part: CampaignPart, ja: string | undefined, en: string | undefined): string | undefined {
    return ja === undefined ? undefined : this.pick(part, ja, en);
  }
  labels<I extends { key: string; label: string }>(
    part: CampaignPart,
    ja: I[],
    en?: Record<string, string>,
  ): I[] {
    return ja.map((i) => ({ ...i, label: this.pick(part, i.label, en?.[i.key]) }));
  }
}

function options(p: Picker, ja: CampaignDefinition['options'], en: CampaignEnglish['options'] = {}) {
  const { emoney, bookCard, donation } = ja;
  return {
    emoney: emoney && {
      ...emoney,
      productName: p.pick('options', emoney.productName, en.emoney?.productName),
      brands: p.labels('options', emoney.brands, en.emoney?.brands),
      notes: p.list('options', emoney.notes, en.emoney?.notes),
    },
    bookCard: bookCard && {
      ...bookCard,
      productName: p.pick('options', bookCard.productName, en.bookCard?.productName),
      leadTimeNote: p.pick('options', bookCard.leadTimeNote, en.bookCard?.leadTimeNote),
    },
    donation: donation && {
      ...donation,
      recipient: p.pick('options', donation.recipient, en.donation?.recipient),
      description: p.pick('options', donation.description, en.donation?.description),
    },
  };
}

function contactCentre(
  p: Picker,
  ja: CampaignDefinition['contactCentre'],
  en: CampaignEnglish['contactCentre'] = {},
) {
  const part = 'contactCentre';
  const { fallbackNote, period, ...rest } = ja;
  const fallback = p.optional(part, fallbackNote, en.fallbackNote);
  const periodText = p.optional(part, period, en.period);
  return {
    ...rest,
    name: p.pick(part, ja.name, en.name),
    hours: p.pick(part, ja.hours, en.hours),
    notes: p.list(part, ja.notes, en.notes),
    ...(fallback === undefined ? {} : { fallbackNote: fallback }),
    ...(periodText === undefined ? {} : { period: periodText }),
  };
}

function inEnglish(ja: CampaignDefinition): LocalisedDefinition {
  const en: CampaignEnglish = ja.en ?? {};
  const p = new Picker();
  const dc = en.dataChoice ?? {};
  const def: CampaignDefinition = {
    ...ja,
    // A proper name: shown as it is when no English name is given, without a note.
    companyName: en.companyName ?? ja.companyName,
    title: p.pick('title', ja.title, en.title),
    apology: p.pick('apology', ja.apology, en.apology),
    signatories: p.list('apology', ja.signatories, en.signatories),
    incidentSummary: p.pick('incidentSummary', ja.incidentSummary, en.incidentSummary),
    leakedItems: p.labels('leaked', ja.leakedItems, en.leakedItems),
    leakedNotes: p.list('leaked', ja.leakedNotes, en.leakedNotes),
    options: options(p, ja.options, en.options),
    dataChoice: {
      erasureNote: p.pick('dataChoice', ja.dataChoice.erasureNote, dc.erasureNote),
      erasureWarning: p.pick('dataChoice', ja.dataChoice.erasureWarning, dc.erasureWarning),
      optoutNote: p.pick('dataChoice', ja.dataChoice.optoutNote, dc.optoutNote),
    },
    postmarkRule: p.pick('postmarkRule', ja.postmarkRule, en.postmarkRule),
    contactCentre: contactCentre(p, ja.contactCentre, en.contactCentre),
    faq: p.list('faq', ja.faq, en.faq),
    trademarkNotes: p.list('trademarkNotes', ja.trademarkNotes, en.trademarkNotes),
  };
  return { def, japaneseOnly: [...p.missing] };
}

const english = new WeakMap<CampaignDefinition, LocalisedDefinition>();

/** The definition as a page in `lang` shows it (Japanese is the definition itself). */
export function definitionIn(def: CampaignDefinition, lang: Lang): LocalisedDefinition {
  if (lang === 'ja') return { def, japaneseOnly: [] };
  let seen = english.get(def);
  if (!seen) english.set(def, (seen = inEnglish(def)));
  return seen;
}
