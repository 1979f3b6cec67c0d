/** What the console's donation ledger says (Japanese), in one place. */
export const DONATION_TEXT = {
  pageTitle: '寄付台帳',
  /** The CSV file's header row, in column order. */
  csvHeader: ['受付番号', '計上日時（日本時間）', '寄付先', '金額（円）'],
} as const;
