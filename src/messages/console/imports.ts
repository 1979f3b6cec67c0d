/**
 * The operators' console, customer import page (views/ops/campaigns/imports.ejs) and the letters-already-downloaded page.
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const IMPORTS_CONSOLE = {
  index: {
    pageTitleOf: (slug: string | number) => `お客様の取り込み（${slug}）`,
    required: '必須',
    optional: '任意',
    firstOf: (count: string | number) => `先頭 ${count} 件`,
    items: ' 件',
    column: '列',
    title: 'お客様の取り込み',
    stateNote: (value: string | number) => `（${value}）`,
    uploadHeading: '顧客CSVのアップロード',
    uploadHintBefore:
      'UTF-8 のCSV。1行目は見出し行で、下の表の列名をそのまま（順不同で）並べます。取り込みはバックグラウンドで行われ、この画面で進み具合を確認できます。取り込み済みの行（同じお客様番号',
    uploadHintAfter: 'の行）は飛ばすので、途中で止まった場合は同じファイルをもう一度アップロードできます。',
    columnsCaption: '顧客CSVの列',
    colName: '列名（見出し行に書く名前）',
    colField: '項目',
    colFormat: '書き方',
    colRequired: '入力',
    templateLink: 'ひな形をダウンロード（見出し行だけの空のCSV）',
    exampleLink:
      '記入例をダウンロード（架空の3人・すべての列の書き方。本番の取り込みには使わないでください）',
    excelHintBefore: '表計算ソフトの',
    excelHintSave:
      'で編集した場合は「CSV UTF-8（コンマ区切り）」で保存してください。「CSV（コンマ区切り）」で保存すると文字コードが',
    excelHintShiftJis:
      'になり、取り込めません。郵便番号・電話番号の先頭の0や、生年月日の「1980-04-01」の形が',
    excelHintAfter: 'で変わっていないかもご確認ください。',
    fileLabel: '顧客CSVファイル',
    upload: 'アップロードして取り込む',
    runsHeading: '取り込みの履歴',
    refreshNote: (refreshSeconds: string | number) =>
      `取り込み中の間、この画面は ${refreshSeconds} 秒ごとに更新されます。`,
    noRuns: 'まだ取り込みはありません。',
    runHeading: (rId: string | number, stateLabel: string | number) => `取り込み #${rId}：${stateLabel}`,
    uploadedBy: (createdAt: string | number, startedBy: string | number) =>
      `${createdAt} に ${startedBy} がアップロード`,
    finishedAt: (finishedAt: string | number) => `、${finishedAt} に終了`,
    pLabel: '進み具合',
    waitingValue: '待機中',
    waiting: (expectedRows: string | number) => `開始を待っています（全 ${expectedRows} 行）。`,
    progressValue: (rowsRead: string | number, expectedRows: string | number) =>
      `${rowsRead} / ${expectedRows} 行`,
    progressText: (rowsRead: string | number, expectedRows: string | number, imported: string | number) =>
      `${rowsRead} / ${expectedRows} 行を読み込み、${imported} 人を登録`,
    rowsRead: '読み込んだ行',
    imported: '登録したお客様',
    skipped: '取り込み済みのため飛ばした行',
    badRows: '誤りのある行（取り込んでいません）',
    duplicates: '同一人物の可能性がある行（取り込んでいません）',
    addressWarnings: '郵便番号と住所の都道府県が合わない行（取り込み済み・要確認）',
    addressWarningsSummary: (value: string | number) => `郵便番号と住所の都道府県が合わない行（${value}）`,
    addressWarningsCaption: (rId: string | number) => `取り込み #${rId} の住所を確認してほしい行`,
    colLine: '行',
    colMessage: '内容',
    badRowsSummary: (value: string | number) => `誤りのある行（${value}）`,
    badRowsCaption: (rId: string | number) => `取り込み #${rId} の誤りのある行`,
    columnCell: (value: string | number) => `${value}（`,
    duplicatesSummary: (value: string | number) => `同一人物の可能性がある行（${value}）`,
    duplicatesCaption: (rId: string | number) => `取り込み #${rId} の同一人物の可能性がある行`,
    colExisting: '同一と思われる登録済みのお客様（ご登録用コード）',
    lettersHeading: '手紙データ（印刷会社向け）',
    lettersOnlyFile: 'ログインキーが平文で含まれる唯一のファイルです。',
    lettersOnce: 'ダウンロードは1回だけ',
    lettersOnceAfter: 'で、ダウンロード後はサーバーから削除され、ログインキーはどこにも残りません。',
    lettersDownload: (imported: string | number) => `手紙データをダウンロード（${imported} 件・1回限り）`,
    lettersDownloaded: (downloadedAt: string | number, value: string | number) =>
      `ダウンロード済み：${downloadedAt}${value}。ファイルは削除されています。`,
    lettersAfterImport: '取り込みが終わるとダウンロードできます。',
    noLetters: '手紙データはありません（登録されたお客様がいません）。',
  },
  lettersGone: {
    byWhom: ' が',
    title: '手紙データはダウンロード済みです',
    downloaded: (runId: string | number, at: string | number, value: string | number) =>
      `取り込み #${runId} の手紙データは、${at} に${value}ダウンロードしました。`,
    onlyOnce:
      '手紙データは1回しかダウンロードできません。ダウンロード後にファイルは削除され、ログインキーはどこにも残っていません。',
    lost: '印刷会社に渡す前にファイルをなくした場合は、システム管理者にご相談ください（該当するお客様のログインキーの再発行が必要です）。',
    back: '取り込みの履歴に戻る',
  },
};
