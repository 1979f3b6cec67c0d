/** The reports' words (Japanese): chart titles, their descriptions for screen readers, labels. */

export const OPTION_LABELS: Record<string, string> = {
  emoney: '電子マネーギフト',
  book_card: '図書カード',
  donation: '寄付',
};
export const CHANNEL_LABELS: Record<string, string> = { web: 'WEB', postcard: 'はがき' };

const DAY = '日付（日本時間）';
const REDEMPTIONS = '申込数（件）';

export const REPORT_TEXT = {
  campaign: 'キャンペーン',
  report: 'レポート',
  noData: 'データがありません',
  day: DAY,
  total: '合計',
  byOption: {
    title: '日別申込数（お詫びの品別）',
    desc: (days: number, total: number) =>
      `${days}日間の日別申込数を、選ばれたお詫びの品ごとに積み上げた棒グラフ。合計${total}件。`,
    value: REDEMPTIONS,
  },
  byBrand: {
    title: '日別申込数（電子マネーのブランド別）',
    desc: (total: number) =>
      `電子マネーギフトの日別申込数を、ブランドごとに積み上げた棒グラフ。合計${total}件。`,
    value: REDEMPTIONS,
  },
  byChannel: {
    title: '日別申込数（受付経路別）',
    desc: (total: number) => `日別申込数を、WEBとはがきの受付経路ごとに積み上げた棒グラフ。合計${total}件。`,
    value: REDEMPTIONS,
  },
  rate: {
    title: '累計申込率（通知対象者数に対する割合）',
    desc: (notified: number, percent: number) =>
      `書面でお知らせした${notified}人に対する累計申込数の割合の推移を示す折れ線グラフ。現在${percent}%。`,
    value: '累計申込率（%）',
    daily: '申込数（日別）',
    cumulative: '累計申込数',
    notified: '通知対象者数',
  },
  dataChoices: {
    title: '日別の消去・案内停止',
    desc: '消去の申出、消去の実施、案内停止（ダイレクトメール・営業電話の停止）の申出の日別件数を示す折れ線グラフ。',
    value: '件数（件）',
    erasure: '消去の申出',
    erased: '消去の実施',
    optOut: '案内停止の申出',
  },
  donations: {
    title: '寄付の累計額',
    desc: (count: number, yen: number) =>
      `寄付台帳に計上した寄付の累計額の推移を示す折れ線グラフ。現在${count}件・${yen}円。`,
    value: '累計額（円）',
    cumulativeYen: '寄付の累計額（円）',
    dailyCount: '寄付件数（日別）',
    dailyYen: '寄付額（日別・円）',
    cumulativeCount: '寄付の累計件数',
  },
  pool: {
    title: '電子マネーギフトコードの在庫',
    desc: (free: number) =>
      `ブランドごとのギフトコード在庫（未割当）と割当済みの数を積み上げた棒グラフ。未割当は合計${free}件。`,
    category: 'ブランド',
    value: 'コード数（件）',
    free: '未割当（在庫）',
    allocated: '割当済み',
  },
} as const;
