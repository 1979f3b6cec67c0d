/**
 * The operators' console: texts several sections share — campaign states, and punctuation pieces
 * that sit between values.
 */
export const COMMON_CONSOLE = {
  /** A campaign's state, by campaigns.state. */
  campaignStates: { draft: '準備中', open: '受付中', closed: '受付終了', purged: '個人情報消去済み' },
  punct: {
    openParen: '（',
    closeParen: '）',
    colon: '：',
    comma: '、',
    dot: '・',
    wholeRow: '（行全体）',
  },
};
