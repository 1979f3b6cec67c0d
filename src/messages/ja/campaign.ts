/** A campaign's public pages (index, landing). */
export const CAMPAIGN_JA = {
  closed: 'お詫びの品のお手続きの受付は終了しました。',
};
