import type { Writable } from 'node:stream';
import { base, Faker, ja } from '@faker-js/faker';
import {
  CUSTOMER_CSV_HEADER,
  FEMALE,
  MALE,
  PLACES,
  ROWS_PER_WRITE,
  SURNAMES,
  write,
} from './synthetic-customers.js';
import { csvLines } from '../../src/platform/csv.js';

export { generateSyntheticCustomersCsv } from './synthetic-customers.js';

/**
 * Fictitious notified customers for the demo and the benchmark, as the customer CSV the import
 * reads. Every name, address and number is made up; e-mail addresses use reserved example domains.
 */

const TOWNS = [
  '本町',
  '中央',
  '栄町',
  '緑が丘',
  '桜台',
  '旭町',
  '若葉',
  '東町',
  '西町',
  '南台',
  '北野',
  '城山',
];
const BUILDINGS = ['メゾン', 'コーポ', 'ハイツ', 'パークハウス', 'グランドール', 'サンライズ'];
const OPTIONAL_LEAKS = ['phone', 'fax', 'due_date', 'email'];
const ALWAYS_LEAKED = ['name_gender_birth', 'postal_code', 'address'];

function demoRow(f: Faker, i: number): string[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = (fromYear: number, toYear: number) =>
    `${f.number.int({ min: fromYear, max: toYear })}-${pad(f.number.int({ min: 1, max: 12 }))}-${pad(f.number.int({ min: 1, max: 28 }))}`;
  const [surname, surnameKana] = f.helpers.arrayElement(SURNAMES);
  const female = f.datatype.boolean();
  const [given, givenKana] = f.helpers.arrayElement(female ? FEMALE : MALE);
  const isChildAccount = f.datatype.boolean({ probability: 0.2 });
  const birth = isChildAccount ? date(2003, 2012) : date(1955, 1992);
  const [prefecture, cities] = f.helpers.arrayElement(PLACES);
  const [city, postalPrefix] = f.helpers.arrayElement(cities);
  const postal = `${postalPrefix}-${String(f.number.int({ min: 0, max: 9999 })).padStart(4, '0')}`;
  const block = `${f.number.int({ min: 1, max: 5 })}丁目${f.number.int({ min: 1, max: 30 })}番${f.number.int({ min: 1, max: 20 })}号`;
  const building = f.datatype.boolean({ probability: 0.3 })
    ? ` ${f.helpers.arrayElement(BUILDINGS)}${f.helpers.arrayElement(TOWNS)} ${f.number.int({ min: 1, max: 12 })}0${f.number.int({ min: 1, max: 9 })}号室`
    : '';
  const address = `${prefecture}${city}${f.helpers.arrayElement(TOWNS)}${block}${building}`;
  const phone = f.datatype.boolean({ probability: 0.9 }) ? f.phone.number() : '';
  const email = f.datatype.boolean({ probability: 0.4 })
    ? `${f.internet
        .username()
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '')}${i}@example.${f.helpers.arrayElement(['jp', 'com', 'net'])}`
    : '';
  const members = Array.from({ length: f.number.int({ min: 0, max: 3 }) }, (_, m) => {
    if (isChildAccount) {
      const relation = m === 0 ? f.helpers.arrayElement(['母', '父', '保護者']) : '保護者';
      const [g] = f.helpers.arrayElement(relation === '父' ? MALE : FEMALE);
      return { name: `${surname} ${g}`, relation, birthDate: date(1965, 1990) };
    }
    const [g] = f.helpers.arrayElement(f.datatype.boolean() ? FEMALE : MALE);
    return {
      name: `${surname} ${g}`,
      relation: '子',
      birthDate: f.datatype.boolean({ probability: 0.9 }) ? date(2000, 2014) : null,
    };
  });
  const leaked = [
    ...ALWAYS_LEAKED,
    ...(members.length > 0 ? ['household'] : []),
    ...OPTIONAL_LEAKS.filter((k) =>
      k === 'phone' ? phone !== '' : k === 'email' ? email !== '' : f.datatype.boolean({ probability: 0.1 }),
    ),
  ];
  return [
    `D${String(i + 1).padStart(7, '0')}`,
    `${surname} ${given}`,
    `${surnameKana} ${givenKana}`,
    birth,
    postal,
    address,
    phone,
    email,
    members.length > 0 ? JSON.stringify(members) : '',
    leaked.join(';'),
    f.datatype.boolean({ probability: 0.05 }) ? '1' : '0',
  ];
}

/** `count` realistic fictitious customers, the same for the same seed. Does not end `out`. */
export async function writeDemoCustomersCsv(out: Writable, count: number, seed: number): Promise<void> {
  const f = new Faker({ locale: [ja, base] });
  f.seed(seed);
  await write(out, CUSTOMER_CSV_HEADER);
  let rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    rows.push(demoRow(f, i));
    if (rows.length === ROWS_PER_WRITE) {
      await write(out, csvLines(rows));
      rows = [];
    }
  }
  if (rows.length) await write(out, csvLines(rows));
}
