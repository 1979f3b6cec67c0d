/** A campaign's public pages (index, landing). */
export const CAMPAIGN_JA = {};
