import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { CUSTOMER_CSV_COLUMNS } from '../../src/imports/customer-csv.schema.js';
import { csvLine, csvLines } from '../../src/platform/csv.js';

/**
 * Synthetic customers for the import benchmark, and the name and place tables the demo shares.
 * No faker here: loading it costs memory and calling it per row would dominate a million-row run.
 */

// Names with their readings (faker's Japanese names have none).
export const SURNAMES: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['阿部', 'アベ'],
  ['石川', 'イシカワ'],
  ['前田', 'マエダ'],
  ['藤田', 'フジタ'],
  ['後藤', 'ゴトウ'],
  ['岡田', 'オカダ'],
];
export const FEMALE: [string, string][] = [
  ['花子', 'ハナコ'],
  ['陽子', 'ヨウコ'],
  ['恵子', 'ケイコ'],
  ['美咲', 'ミサキ'],
  ['彩香', 'アヤカ'],
  ['由美', 'ユミ'],
  ['真由美', 'マユミ'],
  ['結衣', 'ユイ'],
  ['葵', 'アオイ'],
  ['陽菜', 'ヒナ'],
  ['さくら', 'サクラ'],
  ['明美', 'アケミ'],
  ['智子', 'トモコ'],
  ['久美子', 'クミコ'],
  ['愛', 'アイ'],
];
export const MALE: [string, string][] = [
  ['太郎', 'タロウ'],
  ['健一', 'ケンイチ'],
  ['誠', 'マコト'],
  ['大輔', 'ダイスケ'],
  ['翔太', 'ショウタ'],
  ['浩', 'ヒロシ'],
  ['拓也', 'タクヤ'],
  ['蓮', 'レン'],
  ['悠真', 'ユウマ'],
  ['大和', 'ヤマト'],
  ['和夫', 'カズオ'],
  ['直樹', 'ナオキ'],
  ['隆', 'タカシ'],
  ['湊', 'ミナト'],
  ['陸', 'リク'],
];
// Prefecture, municipalities and the first three postal digits of each (plausible, not exact).
export const PLACES: [string, [string, string][]][] = [
  [
    '東京都',
    [
      ['千代田区', '100'],
      ['世田谷区', '154'],
      ['練馬区', '176'],
      ['八王子市', '192'],
      ['町田市', '194'],
    ],
  ],
  [
    '神奈川県',
    [
      ['横浜市青葉区', '225'],
      ['川崎市中原区', '211'],
      ['相模原市南区', '252'],
      ['藤沢市', '251'],
    ],
  ],
  [
    '埼玉県',
    [
      ['さいたま市浦和区', '330'],
      ['川口市', '332'],
      ['所沢市', '359'],
    ],
  ],
  [
    '千葉県',
    [
      ['千葉市美浜区', '261'],
      ['船橋市', '273'],
      ['柏市', '277'],
    ],
  ],
  [
    '大阪府',
    [
      ['大阪市北区', '530'],
      ['堺市堺区', '590'],
      ['豊中市', '560'],
    ],
  ],
  [
    '愛知県',
    [
      ['名古屋市中区', '460'],
      ['豊田市', '471'],
      ['岡崎市', '444'],
    ],
  ],
  [
    '北海道',
    [
      ['札幌市中央区', '060'],
      ['旭川市', '070'],
      ['函館市', '040'],
    ],
  ],
  [
    '福岡県',
    [
      ['福岡市博多区', '812'],
      ['北九州市小倉北区', '802'],
      ['久留米市', '830'],
    ],
  ],
  [
    '岡山県',
    [
      ['岡山市北区', '700'],
      ['倉敷市', '710'],
    ],
  ],
  [
    '宮城県',
    [
      ['仙台市青葉区', '980'],
      ['石巻市', '986'],
    ],
  ],
];
export const CUSTOMER_CSV_HEADER = csvLine(CUSTOMER_CSV_COLUMNS);
/** Rows are written this many at a time: few writes, steady memory. */
export const ROWS_PER_WRITE = 1_000;

export async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Cheap valid rows for the benchmark: unique references and people, a little variety, no faker
 * per row (it would dominate the run at a million rows). Does not end `out`.
 */
export async function generateSyntheticCustomersCsv(out: Writable, count: number): Promise<void> {
  await write(out, CUSTOMER_CSV_HEADER);
  let rows: string[][] = [];
  let x = 0x2545f491;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    rows.push(syntheticRow(i, x));
    if (rows.length === ROWS_PER_WRITE) {
      await write(out, csvLines(rows));
      rows = [];
    }
  }
  if (rows.length) await write(out, csvLines(rows));
}

/** Row `i` from the generator's state `x`: the columns of CUSTOMER_CSV_COLUMNS, in order. */
function syntheticRow(i: number, x: number): string[] {
  const [surname, surnameKana] = SURNAMES[x % SURNAMES.length]!;
  const [given, givenKana] = (x & 1 ? FEMALE : MALE)[(x >>> 8) % 15]!;
  const [prefecture, cities] = PLACES[(x >>> 4) % PLACES.length]!;
  const [city, postalPrefix] = cities[(x >>> 12) % cities.length]!;
  const n4 = String(i % 10000).padStart(4, '0');
  const household =
    x % 3 === 0
      ? JSON.stringify([{ name: `${surname} 花子`, relation: '子', birthDate: `2008-04-0${(x % 9) + 1}` }])
      : '';
  return [
    `S${i}`,
    `${surname} ${given}`,
    `${surnameKana} ${givenKana}`,
    `19${50 + (x % 45)}-0${(x % 9) + 1}-1${x % 10}`,
    `${postalPrefix}-${n4}`,
    `${prefecture}${city}本町${(i % 5) + 1}丁目${i}番`,
    `0${(x % 8) + 2}-${n4}-${String(x % 10000).padStart(4, '0')}`,
    x % 4 === 0 ? `s${i}@example.jp` : '',
    household,
    `name_gender_birth;postal_code;address${household ? ';household' : ''}${x % 2 ? ';phone' : ''}`,
    `${x % 20 === 0 ? 1 : 0}`,
  ];
}
