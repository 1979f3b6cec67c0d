/**
 * The operators' console, report pages (views/ops/reports): the list, a campaign's figures and charts, the PPC report.
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const REPORTS_CONSOLE = {
  campaign: {
    pageTitle: 'レポート：',
    back: 'レポート一覧へ戻る',
    title: (companyName: string | number) => `レポート：${companyName}（`,
    ppcLink: '個人情報保護委員会への報告用集計（速報・確報）',
    asOf: (generatedAt: string | number) =>
      `${generatedAt} 時点。日付は日本時間です。この閲覧は監査ログに記録されます。`,
    summaryHeading: '概要',
    notifiedLabel: '通知対象者数',
    notified: (notified: string | number) => `${notified}人`,
    redemptionsLabel: '申込数',
    redemptions: (redemptions: string | number) => `${redemptions}件`,
    rateLabel: '申込率',
    erasuresLabel: '消去の申出／実施',
    erasures: (erasureRequests: string | number, erasuresDone: string | number) =>
      `${erasureRequests}件／${erasuresDone}件`,
    optOutsLabel: '案内停止の申出',
    optOuts: (optOuts: string | number) => `${optOuts}件`,
    donationsBookedLabel: '寄付（台帳計上済み）',
    donationsBooked: (count: string | number, totalYen: string | number) => `${count}件・${totalYen}`,
    donationsPendingLabel: '寄付（計上待ち）',
    donationsPending: (donationsPending: string | number) => `${donationsPending}件`,
    poolFreeLabel: 'ギフトコード在庫（未割当）',
    poolFree: (poolFree: string | number) => `${poolFree}件`,
    chartsLabel: 'グラフ一覧',
  },
  chart: {
    csvLink: (title: string | number) => `「${title}」をCSVでダウンロード`,
    tableCaption: (title: string | number) => `${title}（データ表）`,
    noData: 'データがありません。',
  },
  index: {
    title: 'レポート',
    choose:
      'キャンペーンを選んでください。日別の申込数、申込率、消去・案内停止、寄付、ギフトコード在庫のグラフとCSVを表示します（個人情報は含みません）。',
    none: 'キャンペーンがまだありません。',
    caption: 'キャンペーン一覧',
    colCompany: '会社名',
    colSlug: '識別名',
    colState: '状態',
  },
  ppc: {
    title: (title: string | number, companyName: string | number) => `${title}：${companyName}（`,
    caption: (figures: string | number, asOfDay: string | number) => `${figures}（${asOfDay}）`,
  },
};
