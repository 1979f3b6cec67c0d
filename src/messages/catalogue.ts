import { AUTH_JA } from './ja/auth.js';
import { CAMPAIGN_JA } from './ja/campaign.js';
import { COMMON_JA } from './ja/common.js';
import { REDEMPTION_JA } from './ja/redemption.js';

/**
 * The customer-facing message catalogue: every text a customer can read in a page or an error,
 * one part per area. Japanese is the source language; a second language adds a catalogue of the same
 * shape. Code picks a text with an accessor (`(c) => c.common.csrf`), so an error can be shown in the
 * language of whoever reads it.
 */
export const JA = {
  common: COMMON_JA,
  auth: AUTH_JA,
  campaign: CAMPAIGN_JA,
  redemption: REDEMPTION_JA,
};

export type Catalogue = typeof JA;
export type Lang = 'ja';
export const CATALOGUES: Record<Lang, Catalogue> = { ja: JA };

/** Picks one text from a catalogue (a string, or a function of the error's parameters). */
export type MessagePick = (c: Catalogue) => string;
