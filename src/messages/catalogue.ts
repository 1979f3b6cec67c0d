import { AUTH_JA } from './ja/auth.js';
import { CAMPAIGN_JA } from './ja/campaign.js';
import { COMMON_JA } from './ja/common.js';
import { REDEMPTION_JA } from './ja/redemption.js';
import { LAYOUT_JA } from './ja/layout.js';
import { LETTER_JA } from './ja/letter.js';
import { FORMAT_JA } from './ja/format.js';
import { MY_JA } from './ja/my.js';
import { ADDRESS_JA } from './ja/address.js';
import { CHANGE_JA } from './ja/change.js';
import { AUTH_EN } from './en/auth.js';
import { CAMPAIGN_EN } from './en/campaign.js';
import { COMMON_EN } from './en/common.js';
import { REDEMPTION_EN } from './en/redemption.js';
import { LAYOUT_EN } from './en/layout.js';
import { LETTER_EN } from './en/letter.js';
import { FORMAT_EN } from './en/format.js';
import { MY_EN } from './en/my.js';
import { ADDRESS_EN } from './en/address.js';
import { CHANGE_EN } from './en/change.js';

/**
 * The customer-facing message catalogue: every text a customer can read in a page or an error,
 * one part per area. Japanese is the source language; a second language adds a catalogue of the same
 * shape (`EN: Catalogue`, so the compiler refuses a missing English text). Code picks a text with an accessor (`(c) => c.common.csrf`), so an error can be shown in the
 * language of whoever reads it.
 */
export const JA = {
  common: COMMON_JA,
  auth: AUTH_JA,
  campaign: CAMPAIGN_JA,
  redemption: REDEMPTION_JA,
  layout: LAYOUT_JA,
  letter: LETTER_JA,
  format: FORMAT_JA,
  my: MY_JA,
  address: ADDRESS_JA,
  change: CHANGE_JA,
};

export type Catalogue = typeof JA;

/** English: every part of JA, same keys, same parameters. */
export const EN: Catalogue = {
  common: COMMON_EN,
  auth: AUTH_EN,
  campaign: CAMPAIGN_EN,
  redemption: REDEMPTION_EN,
  layout: LAYOUT_EN,
  letter: LETTER_EN,
  format: FORMAT_EN,
  my: MY_EN,
  address: ADDRESS_EN,
  change: CHANGE_EN,
};

export type Lang = 'ja' | 'en';
export const CATALOGUES: Record<Lang, Catalogue> = { ja: JA, en: EN };

/** Picks one text from a catalogue (a string, or a function of the error's parameters). */
export type MessagePick = (c: Catalogue) => string;
