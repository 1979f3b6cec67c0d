import { CUSTOMER_CSV_COLUMNS, type CustomerCsvColumn } from './customer-csv.schema.js';

/**
 * What the import page says about the customer CSV's columns (Japanese). The column names are
 * identifiers the file must use as they are (the page marks them translate="no"); the full rules
 * are in docs/customer-csv.md.
 */
interface ColumnText {
  /** What the column holds, in a word or two. */
  name: string;
  /** How to write it. */
  note: string;
  required: boolean;
}

export const CUSTOMER_CSV_COLUMN_TEXT: Record<CustomerCsvColumn, ColumnText> = {
  customer_ref: {
    name: 'お客様番号',
    note: '会社の顧客番号。すでに取り込んだ番号の行は飛ばします。',
    required: true,
  },
  full_name: { name: '氏名', note: 'お知らせに印刷する名前。', required: true },
  full_name_kana: { name: '氏名のフリガナ', note: 'カタカナ。', required: false },
  birth_date: { name: '生年月日', note: '年-月-日（例：1980-04-01）。', required: false },
  postal_code: { name: '郵便番号', note: '7桁（例：100-0004、5300001）。', required: true },
  address: { name: '住所', note: '都道府県から建物名・部屋番号まで1行で。', required: true },
  phone: { name: '電話番号', note: '0から始まる10〜11桁。ハイフン可。', required: false },
  email: { name: 'メールアドレス', note: '1件。', required: false },
  household: {
    name: '家族',
    note: '情報が漏えいした家族。書き方は記入例のとおり。いなければ空欄。',
    required: false,
  },
  leaked_items: {
    name: '漏えいした項目',
    note: 'キャンペーン設定の「漏えいした項目」のキーを「;」で区切って1つ以上。',
    required: true,
  },
  erasure_requested_before: {
    name: '事前の消去の依頼',
    note: 'お知らせの前に消去を依頼されていれば 1、なければ 0 か空欄。',
    required: false,
  },
};

/** The columns in the documented order, each with what it holds. */
export const CUSTOMER_CSV_GUIDE = CUSTOMER_CSV_COLUMNS.map((column) => ({
  column,
  ...CUSTOMER_CSV_COLUMN_TEXT[column],
}));

/** A bad row's column as the page names it (null for '*', the whole row, or an unknown name). */
export const customerCsvColumnName = (column: string): string | null =>
  Object.hasOwn(CUSTOMER_CSV_COLUMN_TEXT, column)
    ? CUSTOMER_CSV_COLUMN_TEXT[column as CustomerCsvColumn].name
    : null;
