import type { CampaignEnglish } from '../../src/campaigns/campaign.schema.js';

/** The demo campaign's texts in English: the same letter, options, contact centre and FAQ. */
export function demoCampaignEnglish(deadline: string): CampaignEnglish {
  return {
    ...LETTER_EN,
    options: OPTIONS_EN,
    dataChoice: DATA_CHOICE_EN,
    postmarkRule: `Postcards must be postmarked no later than ${deadline}.`,
    contactCentre: { ...CONTACT_EN, period: `until ${deadline}` },
    faq: FAQ_EN,
    trademarkNotes: TRADEMARK_NOTES_EN,
  };
}

/** The letter: who apologises, for what, and what leaked. */
const LETTER_EN = {
  companyName: 'Demo Education Services Co., Ltd.',
  title: 'Our apology and report concerning the leak of customer information',
  apology: [
    'We are writing to you because we have found that your own information was among the customer information leaked from Demo Education Services Co., Ltd.',
    'We caused an incident that should never have happened: the leak of information about you and your precious children and family. We sincerely and deeply apologise for the great concern this has caused you.',
    'The whole company will work to prevent any further harm, and we promise to work with the police and public bodies to stop the spread of our customers’ information.',
    'We take very seriously that the cause lay in shortcomings in how we managed and handled information, and we have immediately reinforced our basic security measures. To prevent this from happening again, we will fundamentally reform information management and its organisation across the group, strengthen control over how data is handled and maintained, and establish regular, objective audits by outside experts.',
    'To the customers affected, who have been caused such concern, we would like to offer a small gift as a token of our apology. As a further way of making amends, we have also set up the “Demo Children’s Fund” and will carry out activities that benefit society as a whole.',
  ],
  signatories: ['Taro Mihon, President and Representative Director, Demo Education Services Co., Ltd.'],
  incidentSummary:
    'We found that a former employee of a contractor had taken customer information out of the company and sold it to list brokers. The audit by an external specialist body has been completed, and the necessary measures have been put in place.',
  leakedItems: {
    name_gender_birth: 'Name, gender and date of birth of the person registered for the service',
    household:
      'Name, gender, date of birth and relationship of the parent or child registered at the same time',
    postal_code: 'Postal code',
    address: 'Address',
    phone: 'Telephone number',
    fax: 'Fax number (some registered customers only)',
    due_date: 'Expected date of birth (some service users only)',
    email: 'Email address (some service users only)',
  },
  leakedNotes: ['We have found no leak of credit card information.'],
} satisfies CampaignEnglish;

const OPTIONS_EN: CampaignEnglish['options'] = {
  emoney: {
    productName: 'E-money gift of your choice worth ¥500',
    brands: { edy: 'Rakuten Edy', amazon: 'Amazon Gift Card', nanaco: 'nanaco' },
    notes: [
      'Please choose one of Rakuten Edy, Amazon Gift Card or nanaco.',
      'The e-money gift can be registered (redeemed) as soon as your request is complete.',
      'The e-money gift can only be requested online.',
    ],
  },
  bookCard: {
    productName: 'Nationwide book voucher worth ¥500',
    leadTimeNote:
      'As the book vouchers are being newly prepared, delivery takes some time and may take up to about six months. We kindly ask for your understanding.',
  },
  donation: {
    recipient: 'Demo Children’s Fund (public interest foundation)',
    description:
      'Instead of the gifts above, you may choose a donation to the “Demo Children’s Fund”. We will then donate ¥500 per request to the fund to support its activities.',
  },
};

const DATA_CHOICE_EN: CampaignEnglish['dataChoice'] = {
  erasureNote:
    'If you no longer wish to receive communications from us, we will erase your personal information at your request. It will be erased after your gift has been sent.',
  erasureWarning:
    'If your personal information is erased, all points from the services you have used will also be deleted, and you will no longer be able to log in to our web services. If you wish to keep using your points and other benefits, please choose “Stop sending me direct mail and making sales calls” instead of erasure.',
  optoutNote:
    'We will stop sending you direct mail and making sales calls. You can keep using your points and logging in to our web services.',
};

const CONTACT_EN: CampaignEnglish['contactCentre'] = {
  name: 'Customer contact centre for personal information enquiries',
  fallbackNote:
    'Some IP telephones cannot reach the toll-free number; please call this number instead (call charges apply).',
  hours: '9:00 to 21:00 (Japan time), including weekends and public holidays.',
  notes: ['The line may be busy at certain times of day. We apologise for any inconvenience.'],
};

const TRADEMARK_NOTES_EN: CampaignEnglish['trademarkNotes'] = [
  '“nanaco” is a registered trademark of Seven Card Service Co., Ltd.',
  '“Rakuten Edy” is a prepaid electronic money service of the Rakuten Group.',
  'Amazon, Amazon.co.jp and their logos are trademarks of Amazon.com, Inc. or its affiliates. Amazon.co.jp is not a sponsor of this programme.',
];

const FAQ_EN: NonNullable<CampaignEnglish['faq']> = [
  {
    question: 'I have received a letter about the leak. What should I do?',
    answer: [
      'Please log in to this site with the “registration code” and “login key” printed on the letter, and choose your gift. The book voucher or the donation can also be requested with the enclosed postcard.',
      'Please beware of suspicious calls, mail and emails. We will never ask for your credit card number, PIN or password.',
    ],
  },
  {
    question: 'I have lost the letter (address sheet).',
    answer: [
      'Please call our contact centre. After confirming your identity, we will send you a new letter with a new login key.',
    ],
  },
  {
    question: 'I cannot log in even though I enter my login key.',
    answer: [
      'Full-width or half-width characters, capital or small letters, hyphens and spaces are all accepted. The digits “0” and “1” and the letters “I”, “L” and “O” are not used.',
      'After several wrong entries in a row, logging in is suspended for a while. Please contact our contact centre.',
    ],
  },
  {
    question: 'When will I receive my e-money gift code?',
    answer: [
      'It is shown immediately on the completion page. You can see the same code again at any time by logging in.',
    ],
  },
  {
    question: 'What is the difference between erasing my personal information and stopping direct mail?',
    answer: [
      'If you choose erasure, we will erase your personal information after sending your gift, and you will no longer be able to use your points or log in to our web services.',
      'If you wish to keep using your points and other benefits, please choose “Stop sending me direct mail and making sales calls”.',
    ],
  },
  {
    question: 'I have already asked for my personal information to be erased, but I received a letter.',
    answer: [
      'We sent the letter to inform you of the incident. Your information will be erased after your gift has been sent; you do not need to do anything further.',
    ],
  },
  {
    question: 'The FAQ did not answer my question.',
    answer: ['We are sorry for the trouble; please call our contact centre below.'],
  },
];
