import type { CampaignDefinition } from '../../src/campaigns/campaign.schema.js';
import { demoCampaignEnglish } from './demo-campaign.en.js';

const isoDay = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

/**
 * The demo campaign, worded after the apology letter in shared/seeds (letter-benesse-apology-gift):
 * a fictitious company, the same options, warnings and procedure. Deadline 30 days after `now`.
 * Every call returns a fresh copy: a caller (a test) may change its own.
 */
export function demoCampaignDefinition(now: Date, slug = 'demo'): CampaignDefinition {
  const deadline = isoDay(new Date(now.getTime() + 30 * 86400_000));
  const purge = isoDay(new Date(now.getTime() + 240 * 86400_000));
  return structuredClone({
    slug,
    ...LETTER,
    options: OPTIONS,
    dataChoice: DATA_CHOICE,
    deadline,
    purgeDeadline: purge,
    postmarkRule: `ハガキでのお手続きは ${deadline} の消印まで有効です。`,
    contactCentre: contactCentre(deadline),
    faq: FAQ,
    trademarkNotes: TRADEMARK_NOTES,
    en: demoCampaignEnglish(deadline),
  });
}

/** The letter: who apologises, for what, and what leaked. */
const LETTER = {
  companyName: '株式会社デモ教育サービス',
  title: 'お客様情報漏えいに関するお詫びとご報告',
  apology: [
    'このたび、株式会社デモ教育サービスのお客様情報漏えいにおいて、お客様ご自身の情報も含まれていることが判明しましたので、本書状を送付させていただきました。',
    'お客様、そして、大切なお子さまやご家族の情報の漏えいという、あってはならない事故を招き、大変なご心配をおかけすることになり、心より深くお詫び申し上げます。',
    '今後、全社をあげて被害の拡大防止に努めるとともに、警察への協力および公的機関との連携により、お客様情報の拡散防止に取り組むことをお約束いたします。',
    '今回の原因が、弊社内の情報管理・運用体制の至らなさにあったことを重く受け止め、早急に基本セキュリティ対策の徹底を図りました。今後は、グループ全体の情報管理体制・組織の抜本的改革、データ運用・保守の管理強化、外部有識者による定期的かつ客観的な監査体制の構築をもって再発防止に努めてまいります。',
    '漏えいの対象となりご心配をおかけしたお客様へ、些少ではございますが、お詫びの品をご用意いたしました。また、弊社からのもう一つのお詫びのあり方として「デモこども基金」を設立し、広く社会に貢献する活動を行ってまいります。',
  ],
  signatories: ['株式会社デモ教育サービス 代表取締役社長 見本 太郎'],
  incidentSummary:
    '業務委託先の元従業員により、お客様情報が社外に持ち出され、名簿事業者に売却されていたことが判明しました。外部専門機関による監査は終了し、必要な対策は実行しております。',
  leakedItems: [
    { key: 'name_gender_birth', label: 'サービスにご登録いただいた方のお名前、性別、生年月日' },
    {
      key: 'household',
      label: '同時にご登録いただいた保護者様またはお子さまのお名前、性別、生年月日、続柄',
    },
    { key: 'postal_code', label: '郵便番号' },
    { key: 'address', label: '住所' },
    { key: 'phone', label: '電話番号' },
    { key: 'fax', label: 'ファックス番号（一部のご登録者様のみ）' },
    { key: 'due_date', label: '出産予定日（一部のサービスご利用者様のみ）' },
    { key: 'email', label: 'メールアドレス（一部のサービスご利用者様のみ）' },
  ],
  leakedNotes: ['なお、クレジットカード情報の漏えいは確認されておりません。'],
} satisfies Partial<CampaignDefinition>;

/** The three gifts to choose from. */
const OPTIONS: CampaignDefinition['options'] = {
  emoney: {
    amountYen: 500,
    productName: '500円分の選べる電子マネーギフト',
    source: 'pool',
    brands: [
      { key: 'edy', label: '楽天Edy' },
      { key: 'amazon', label: 'Amazonギフト券' },
      { key: 'nanaco', label: 'nanaco' },
    ],
    notes: [
      '楽天Edy / Amazonギフト券 / nanaco からおひとつをお選びください。',
      '選べる電子マネーギフトは、お手続き後すぐの登録（交換）が可能です。',
      '電子マネーギフトはWEBのみのお手続きとなります。',
    ],
  },
  bookCard: {
    amountYen: 500,
    productName: '500円分の全国共通図書カード',
    leadTimeNote:
      '図書カードは新たにご用意する関係上、お届けまでに時間をいただいております。最長6ヵ月程度かかる場合がございます。何卒、ご了承ください。',
  },
  donation: {
    amountYen: 500,
    recipient: '公益財団法人 デモこども基金',
    description:
      '上記のお詫びの品にかえて、「デモこども基金」へのご寄付をお選びいただくことも可能です。その場合、一件あたり500円を当基金へ寄付し、活動に役立てまいります。',
  },
};

const DATA_CHOICE: CampaignDefinition['dataChoice'] = {
  erasureNote:
    '今後、弊社からのお知らせがご不要な場合は、お客様のご希望により個人情報を消去いたします。お詫びの品の発送後、お客様の個人情報を消去いたします。',
  erasureWarning:
    '個人情報を消去されると、これまでご利用いただいたサービスのポイントも全て消去されます。また、WEBサービスへのログインができなくなります。ポイント等を引き続きご利用いただく場合は、「消去」ではなく「ダイレクトメールの発送や営業電話の停止」をお選びください。',
  optoutNote:
    'ダイレクトメールの発送や営業電話を停止します。ポイントやWEBサービスのログインはそのままご利用いただけます。',
};

/** The contact centre, open until the deadline. */
const contactCentre = (deadline: string): CampaignDefinition['contactCentre'] => ({
  name: '個人情報に関するお客様お問い合わせ窓口',
  freeDial: '0120-000-000',
  fallbackNumber: '03-0000-0000',
  fallbackNote: '一部のIP電話からはつながりません。こちらへおかけください。（通話料がかかります。）',
  hours: '9時～21時 土日・祝日も受け付けております',
  period: `${deadline} まで`,
  notes: [
    '時間帯によってお電話がつながりにくい場合がございます。ご迷惑をおかけしますことをお詫び申し上げます。',
  ],
});

const FAQ: CampaignDefinition['faq'] = [
  {
    question: '漏えいについての書面を受け取りましたが、どうしたらよいですか。',
    answer: [
      '書面に記載の「ご登録用コード」と「ログインキー」で本サイトにログインし、お詫びの品をお選びください。図書カードまたは寄付は同封のハガキでもお手続きいただけます。',
      '不審な電話や郵便物、メールにはご注意ください。弊社からクレジットカード番号や暗証番号、パスワードをお尋ねすることはございません。',
    ],
  },
  {
    question: '書面（宛名用紙）をなくしてしまいました。',
    answer: [
      'お問い合わせ窓口までお電話ください。ご本人確認のうえ、新しいログインキーを記載した書面を再送いたします。',
    ],
  },
  {
    question: 'ログインキーを入力してもログインできません。',
    answer: [
      '全角・半角、大文字・小文字、ハイフンや空白の有無は区別しません。数字の「0」と「1」、英字の「I」「L」「O」は使用していません。',
      '続けて誤入力されると、しばらくの間ログインできなくなります。お問い合わせ窓口までご連絡ください。',
    ],
  },
  {
    question: '電子マネーギフトのコードはいつ届きますか。',
    answer: [
      'お手続き完了画面ですぐに表示されます。もう一度ログインすると、いつでも同じコードをご確認いただけます。',
    ],
  },
  {
    question: '個人情報の消去と、ダイレクトメール等の停止はどう違いますか。',
    answer: [
      '消去を選ぶと、お詫びの品の発送後にお客様の個人情報を消去し、ポイントやWEBサービスのログインも使えなくなります。',
      'ポイント等を引き続きご利用になる場合は「ダイレクトメールの発送や営業電話の停止」をお選びください。',
    ],
  },
  {
    question: 'すでに個人情報の消去を依頼しているのに書面が届きました。',
    answer: [
      'ご報告のため書面をお送りしております。お詫びの品の発送後、情報は消去いたします。あらためてのお手続きは必要ありません。',
    ],
  },
  {
    question: 'FAQを見ても疑問が解消されません。',
    answer: ['お手数ですが、下記のお問い合わせ窓口までお電話ください。'],
  },
];

const TRADEMARK_NOTES: CampaignDefinition['trademarkNotes'] = [
  '「nanaco(ナナコ)」は株式会社セブン・カードサービスの登録商標です。',
  '「楽天Edy(ラクテンエディ)」は、楽天グループのプリペイド型電子マネーサービスです。',
  'Amazon、Amazon.co.jp およびそのロゴは Amazon.com, Inc. またはその関連会社の商標です。Amazon.co.jpは、本プログラムのスポンサーではありません。',
];
