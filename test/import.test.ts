import { Readable, Writable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import {
  CsvFormatError,
  ImportAbortedError,
  importCustomers,
  type ImportReport,
} from '../src/imports/import.service.js';
import { csvRecords } from '../src/platform/csv-records.js';
import { normalisePhone, normalisePostalCode } from '../src/customers/normalise.js';
import {
  generateRegistrationCode,
  isValidRegistrationCode,
  keyedHash,
  normaliseCodeInput,
} from '../src/customers/codes.js';
import { writeDemoCustomersCsv } from '../dev/demo/demo-customers.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';

// Lets one test force a registration-code collision; everything else uses the real generator.
const forced = { codes: [] as string[] };
const drawRegistrationCode = () => forced.codes.shift() ?? generateRegistrationCode();

const deps = useTestDeps();
const pepper = deps.config.LOGIN_KEY_PEPPER;
const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';
const LEAKS = 'name_gender_birth;postal_code;address';

interface Letter {
  registration_code: string;
  login_key: string;
  full_name: string;
  postal_code: string;
  address: string;
  household_count: string;
}

/** Feeds the CSV in small byte chunks (splitting multi-byte characters) and collects the letters. */
async function runImport(campaign: Campaign, csv: string, batchSize?: number) {
  const bytes = Buffer.from(csv, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  let letters = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      letters += chunk.toString('utf8');
      cb();
    },
  });
  const report = await importCustomers(
    { pool: deps.pool, pepper },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from(chunks),
      letters: out,
      drawRegistrationCode,
      ...(batchSize ? { batchSize } : {}),
    },
  );
  const bom = letters.startsWith('\uFEFF');
  const [head, ...lines] = letters
    .slice(bom ? 1 : 0)
    .split('\r\n')
    .filter((l) => l !== '');
  const cols = head!.split(',');
  const parsed = lines.map(
    (l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as unknown as Letter,
  );
  return { report, head, bom, text: letters, letters: parsed };
}

const row = (ref: string, over: Partial<Record<string, string>> = {}) => {
  const r: Record<string, string> = {
    customer_ref: ref,
    full_name: `見本 ${ref}`,
    full_name_kana: 'ミホン',
    birth_date: '1980-04-01',
    postal_code: '100-0004',
    address: `東京都千代田区大手町1-1-${ref}`,
    phone: '03-1234-5678',
    email: '',
    household: '',
    leaked_items: LEAKS,
    erasure_requested_before: '0',
    ...over,
  };
  return HEADER.split(',')
    .map((c) => r[c]!)
    .join(',');
};

const customersOf = (campaign: Campaign) =>
  deps.pool.query(
    `select c.registration_code, c.login_key_hash, c.leaked_items, c.erasure_requested_before,
            p.full_name, p.postal_code, p.phone, p.household, p.customer_ref
       from customers c join customer_personal p on p.customer_id = c.id
      where c.campaign_id = $1 order by c.id`,
    [campaign.id],
  );

const counts = (r: ImportReport) => ({
  rowsRead: r.rowsRead,
  imported: r.imported,
  alreadyImported: r.alreadyImported,
  badRowCount: r.badRowCount,
  likelyDuplicateCount: r.likelyDuplicateCount,
});

describe('importing notified customers', () => {
  it('when a good file is imported, then every row gets a valid code and a letter whose key matches the stored hash', async () => {
    const campaign = await buildCampaign(deps);
    let csv = '';
    await writeDemoCustomersCsv(new Writable({ write: (c, _e, cb) => ((csv += String(c)), cb()) }), 300, 7);

    const { report, head, bom, letters } = await runImport(campaign, csv, 64);

    expect(counts(report)).toEqual({
      rowsRead: 300,
      imported: 300,
      alreadyImported: 0,
      badRowCount: 0,
      likelyDuplicateCount: 0,
    });
    expect(report.badRows).toEqual([]);
    expect(bom).toBe(true); // UTF-8 with BOM: the print vendor's Excel shows the names
    expect(head).toBe(
      'registration_code,login_key,full_name,postal_code,address,household_count,verification_url',
    );
    expect(letters).toHaveLength(300);
    const { rows } = await customersOf(campaign);
    const byCode = new Map(rows.map((r) => [r.registration_code as string, r]));
    for (const letter of letters) {
      expect(letter.registration_code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      const code = normaliseCodeInput(letter.registration_code);
      expect(isValidRegistrationCode(code)).toBe(true);
      const stored = byCode.get(code)!;
      expect(
        Buffer.compare(stored.login_key_hash, keyedHash(pepper, normaliseCodeInput(letter.login_key))),
      ).toBe(0);
      expect(letter.postal_code).toMatch(/^\d{3}-\d{4}$/);
      expect(Number(letter.household_count)).toBe(stored.household.length);
    }
    expect(rows[0].customer_ref).toBe('D0000001');
    expect(new Set(rows.map((r) => r.registration_code)).size).toBe(300);
  });

  it('when the same file is imported again, then nothing is added and no letter is printed', async () => {
    const campaign = await buildCampaign(deps);
    const csv = [HEADER, row('A1'), row('A2'), row('A3')].join('\n');
    await runImport(campaign, csv);

    const again = await runImport(campaign, csv, 2);

    expect(counts(again.report)).toEqual({
      rowsRead: 3,
      imported: 0,
      alreadyImported: 3,
      badRowCount: 0,
      likelyDuplicateCount: 0,
    });
    expect(again.letters).toEqual([]);
    expect((await customersOf(campaign)).rowCount).toBe(3);
  });

  it('when rows break the rules, then each is reported with its physical line and column and only good rows are imported', async () => {
    const campaign = await buildCampaign(deps);
    const lines = [
      '\uFEFF' + HEADER, // 1 (BOM)
      row('G1', {
        household: '"[{""name"":""見本 一郎"",\n""relation"":""子"",""birthDate"":""2010-01-02""}]"',
      }), // 2-3
      row('', {}), // 4
      row('B2', { full_name: ' ' }), // 5
      row('B3', { birth_date: '2019-02-30' }), // 6
      row('B4', { birth_date: '2999-01-01' }), // 7
      row('B5', { postal_code: '12-34567' }), // 8
      row('B6', { address: '' }), // 9
      row('B7', { phone: '03-1234-567X' }), // 10
      row('B8', { email: 'not-an-email' }), // 11
      row('B9', { household: 'family' }), // 12
      row('B10', {
        household: '"[{""name"":""見本 二郎"",""relation"":""子"",""birthDate"":""2010-13-01""}]"',
      }), // 13
      row('B11', { leaked_items: 'name_gender_birth;bank_account' }), // 14
      row('B12', { leaked_items: '' }), // 15
      row('B13', { erasure_requested_before: 'yes' }), // 16
      'B14,too,few', // 17
      row('B15', { full_name: '見本"太郎' }), // 18
      row('G2', {
        postal_code: '〒１００－０００５',
        phone: '０３－１２３４－５６７８',
        erasure_requested_before: 'TRUE',
      }), // 19
      row('G3', { email: 'g3@example.jp' }), // 20
    ];
    const { report, letters } = await runImport(campaign, lines.join('\r\n') + '\r\n', 3);

    const issues = report.badRows.map((b) => `${b.line}:${b.column}`);
    expect(issues).toEqual([
      '4:customer_ref',
      '5:full_name',
      '6:birth_date',
      '7:birth_date',
      '8:postal_code',
      '9:address',
      '10:phone',
      '11:email',
      '12:household',
      '13:household',
      '14:leaked_items',
      '15:leaked_items',
      '16:erasure_requested_before',
      '17:*',
      '18:*',
    ]);
    expect(report.badRows.find((b) => b.line === 8)?.message).toBe('郵便番号は7桁の数字で入力してください');
    expect(report.badRows.find((b) => b.line === 13)?.message).toMatch(/^1人目: /);
    expect(counts(report)).toEqual({
      rowsRead: 18,
      imported: 3,
      alreadyImported: 0,
      badRowCount: 15,
      likelyDuplicateCount: 0,
    });
    expect(letters.map((l) => l.full_name)).toEqual(['見本 G1', '見本 G2', '見本 G3']);
    const { rows } = await customersOf(campaign);
    expect(rows.map((r) => [r.full_name, r.postal_code, r.phone, r.erasure_requested_before])).toEqual([
      ['見本 G1', '1000004', '03-1234-5678', false],
      ['見本 G2', '1000005', '03-1234-5678', true],
      ['見本 G3', '1000004', '03-1234-5678', false],
    ]);
    expect(rows[0].household).toEqual([{ name: '見本 一郎', relation: '子', birthDate: '2010-01-02' }]);
  });

  it('when a leaked item is not one of the campaign’s, then the row is rejected naming the key', async () => {
    const campaign = await buildCampaign(deps);
    const { report } = await runImport(
      campaign,
      [HEADER, row('X1', { leaked_items: 'address;credit_card' })].join('\n'),
    );
    expect(report.imported).toBe(0);
    expect(report.badRows).toEqual([
      { line: 2, column: 'leaked_items', message: 'キャンペーンにない漏えい項目です: credit_card' },
    ]);
  });

  it("when a customer's name or address looks like a formula, then the letter print file shows it as text and the database keeps it as given", async () => {
    const campaign = await buildCampaign(deps);
    const evil = '=HYPERLINK(""http://evil.example/"",""押す"")';
    const { text } = await runImport(
      campaign,
      `${HEADER}\n${row('F1', { full_name: '+見本 太郎', address: `"${evil}"` })}\n${row('F2', { address: '@東京都 千代田区' })}\n`,
    );

    expect(text.startsWith('\uFEFF')).toBe(true);
    // Read back the way the service reads its own letter file (csvRecords drops the BOM).
    const records = [];
    for await (const chunk of csvRecords(Readable.from([Buffer.from(text)]))) records.push(...chunk);
    expect(records.map((r) => r.fields.slice(2, 5))).toEqual([
      ['full_name', 'postal_code', 'address'],
      ["'+見本 太郎", '100-0004', `'=HYPERLINK("http://evil.example/","押す")`],
      ['見本 F2', '100-0004', "'@東京都 千代田区"],
    ]);
    const { rows } = await deps.pool.query(
      `select p.full_name, p.address from customer_personal p join customers c on c.id = p.customer_id
        where c.campaign_id = $1 order by c.id`,
      [campaign.id],
    );
    expect(rows[0]).toEqual({
      full_name: '+見本 太郎',
      address: '=HYPERLINK("http://evil.example/","押す")',
    });
  });

  it('when one person appears twice in a file or again in a later run, then only the first is imported and the others are reported', async () => {
    const campaign = await buildCampaign(deps);
    const same = { full_name: '重複　花子', address: '大阪府大阪市北区梅田1-1-1' };
    const first = await runImport(
      campaign,
      [
        HEADER,
        row('P1', same),
        row('P2'),
        row('P3', { full_name: '重複花子', address: '大阪府大阪市北区梅田１－１－１' }), // NFKC + spaces: same person
        row('P4', { ...same, birth_date: '1981-04-01' }), // another birth date: another person
      ].join('\n'),
      1, // every row its own batch: the duplicate is found across batches
    );
    const code = normaliseCodeInput(first.letters[0]!.registration_code);
    expect(counts(first.report)).toEqual({
      rowsRead: 4,
      imported: 3,
      alreadyImported: 0,
      badRowCount: 0,
      likelyDuplicateCount: 1,
    });
    expect(first.report.likelyDuplicates).toEqual([{ line: 4, existingRegistrationCode: code }]);
    expect(first.letters.map((l) => l.full_name)).toEqual(['重複　花子', '見本 P2', '重複　花子']);

    const inBatch = await runImport(campaign, [HEADER, row('P5', same), row('P6', same)].join('\n'));
    expect(inBatch.report.likelyDuplicates).toEqual([
      { line: 2, existingRegistrationCode: code },
      { line: 3, existingRegistrationCode: code },
    ]);
    expect(inBatch.letters).toEqual([]);
    expect(JSON.stringify(inBatch.report)).not.toContain('重複');
  });

  it('when two new rows of one batch are the same person, then the first is imported and the second points to it', async () => {
    const campaign = await buildCampaign(deps);
    const { report, letters } = await runImport(
      campaign,
      [HEADER, row('Q1'), row('Q2', { full_name: '見本 Q1', address: '東京都千代田区大手町1-1-Q1' })].join(
        '\n',
      ),
    );
    expect(report.imported).toBe(1);
    expect(report.likelyDuplicates).toEqual([
      { line: 3, existingRegistrationCode: normaliseCodeInput(letters[0]!.registration_code) },
    ]);
  });

  it('when a customer_ref repeats within the file, then the later row is a bad row', async () => {
    const campaign = await buildCampaign(deps);
    const { report } = await runImport(
      campaign,
      [HEADER, row('R1'), row('R2'), row('R1', { full_name: '別人' })].join('\n'),
      2,
    );
    expect(report.imported).toBe(2);
    expect(report.badRows).toEqual([{ line: 4, column: 'customer_ref', message: expect.any(String) }]);
  });

  it('when a generated registration code already exists, then the row is retried with a fresh code', async () => {
    const campaign = await buildCampaign(deps);
    const existing = await buildCustomer(deps, campaign);
    forced.codes.push(existing.registrationCode);
    const { report, letters } = await runImport(campaign, [HEADER, row('C1')].join('\n'));
    expect(forced.codes).toEqual([]);
    expect(report.imported).toBe(1);
    expect(normaliseCodeInput(letters[0]!.registration_code)).not.toBe(existing.registrationCode);
    expect((await customersOf(campaign)).rowCount).toBe(2);
  });

  it('when the import is done, then no login key is stored anywhere in plain text', async () => {
    const campaign = await buildCampaign(deps);
    const { letters } = await runImport(campaign, [HEADER, row('K1'), row('K2')].join('\n'));
    const { rows } = await deps.pool.query(
      `select c::text as c, p::text as p, encode(c.login_key_hash, 'escape') as h
         from customers c join customer_personal p on p.customer_id = c.id where c.campaign_id = $1`,
      [campaign.id],
    );
    for (const letter of letters) {
      const key = normaliseCodeInput(letter.login_key);
      for (const r of rows) expect(`${r.c}${r.p}${r.h}`).not.toContain(key);
    }
  });

  it('when the header is wrong or the file is not UTF-8, then the import stops with a format error', async () => {
    const campaign = await buildCampaign(deps);
    const headerError = await runImport(campaign, 'customer_ref,full_name\nA,B\n').catch((e: unknown) => e);
    expect(headerError).toBeInstanceOf(ImportAbortedError);
    expect((headerError as ImportAbortedError).cause).toBeInstanceOf(CsvFormatError);
    expect((headerError as Error).message).toMatch(/line 1: .*不足: full_name_kana/);
    const sjis = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0x8e, 0x52, 0x93, 0x63, 0x0a])]);
    await expect(
      importCustomers(
        { pool: deps.pool, pepper },
        {
          campaignId: campaign.id,
          leakedItemKeys: ['address'],
          input: Readable.from([sjis]),
          letters: new Writable({ write: (_c, _e, cb) => cb() }),
        },
      ),
    ).rejects.toThrow(/UTF-8/);
  });
});

describe('an import that fails part-way', () => {
  const failingOnWrite = (n: number) => {
    const state = { written: '', writes: 0 };
    const letters = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (++state.writes === n) return cb(new Error('disk full'));
        state.written += chunk.toString('utf8');
        cb();
      },
    });
    return { state, letters };
  };
  const importInto = (campaign: Awaited<ReturnType<typeof buildCampaign>>, csv: string, letters: Writable) =>
    importCustomers(
      { pool: deps.pool, pepper },
      {
        campaignId: campaign.id,
        leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
        input: Readable.from([csv]),
        letters,
        batchSize: 2,
      },
    ).catch((e: unknown) => e);

  it('when the letter file cannot be written, then that batch is rolled back and the error says which bytes to keep', async () => {
    const campaign = await buildCampaign(deps);
    // A campaign with customers already: the batched import, one transaction per batch.
    await importInto(campaign, [HEADER, row('F0')].join('\n'), new Writable({ write: (_c, _e, cb) => cb() }));
    const { state, letters } = failingOnWrite(3);
    const err = await importInto(
      campaign,
      [HEADER, row('F1'), row('F2'), row('F3'), row('F4')].join('\n'),
      letters,
    );

    expect(err).toBeInstanceOf(ImportAbortedError);
    const aborted = err as ImportAbortedError;
    expect(aborted.commitUncertain).toBe(false);
    expect(aborted.report.imported).toBe(2);
    expect(Buffer.from(state.written).length).toBe(aborted.committedLetterBytes);
    expect(state.written.split('\r\n').filter(Boolean)).toHaveLength(3); // header + F1 + F2
    expect((await customersOf(campaign)).rows.map((r) => r.customer_ref)).toEqual(['F0', 'F1', 'F2']);
  });

  it('when the letter file cannot be written in the bulk import of a new campaign, then nothing is imported and the campaign can be imported again', async () => {
    const campaign = await buildCampaign(deps);
    const { state, letters } = failingOnWrite(2); // the header goes, the letters do not
    const csv = [HEADER, row('B1'), row('B2'), row('B3')].join('\n');
    const err = await importInto(campaign, csv, letters);

    expect(err).toBeInstanceOf(ImportAbortedError);
    const aborted = err as ImportAbortedError;
    expect(aborted.commitUncertain).toBe(false);
    expect(aborted.report.imported).toBe(0);
    expect(Buffer.from(state.written).length).toBe(aborted.committedLetterBytes);
    expect(state.written.split('\r\n').filter(Boolean)).toHaveLength(1); // the header only
    expect((await customersOf(campaign)).rows).toEqual([]);
    const again = await importInto(campaign, csv, new Writable({ write: (_c, _e, cb) => cb() }));
    expect((again as { imported: number }).imported).toBe(3);
    expect((await customersOf(campaign)).rows.map((r) => r.customer_ref)).toEqual(['B1', 'B2', 'B3']);
  });
});

describe('normalisers', () => {
  const digits = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const fullWidth = (s: string) => s.replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const dash = fc.constantFrom('-', '－', '‐', '−', 'ー', '―');

  test.prop([
    digits(3),
    digits(4),
    fc.constantFrom('', '-', '－', '‐', 'ー'),
    fc.boolean(),
    fc.constantFrom('', '〒', '〒 '),
    fc.constantFrom('', ' ', '　'),
  ])(
    'when a postal code is written any usual way, then it normalises to its 7 digits',
    (a, b, sep, wide, mark, pad) => {
      const typed = `${pad}${mark}${wide ? fullWidth(a + sep + b) : a + sep + b}${pad}`;
      expect(normalisePostalCode(typed)).toBe(a + b);
    },
  );

  test.prop([fc.string()])(
    'when any string is given as a postal code, then the result is null or 7 digits and stable',
    (s) => {
      const v = normalisePostalCode(s);
      if (v !== null) {
        expect(v).toMatch(/^\d{7}$/);
        expect(normalisePostalCode(v)).toBe(v);
      }
    },
  );

  test.prop([
    fc.array(digits(4), { minLength: 1, maxLength: 3 }),
    digits(1),
    fc.array(dash, { minLength: 3, maxLength: 3 }),
    fc.boolean(),
  ])(
    'when a phone number is written with any dashes or full-width, then it keeps its digits and hyphens',
    (groups, d, dashes, wide) => {
      const parts = ['0' + d, ...groups];
      const canonical = parts.join('-');
      const typed = parts.map((p, i) => (i === 0 ? '' : dashes[i - 1]) + p).join('');
      const digitCount = canonical.replaceAll('-', '').length;
      const expected = digitCount >= 10 && digitCount <= 11 ? canonical : null;
      expect(normalisePhone(wide ? fullWidth(typed) : typed)).toBe(expected);
    },
  );

  test.prop([fc.string()])(
    'when any string is given as a phone number, then the result is null or digits and hyphens, stable',
    (s) => {
      const v = normalisePhone(s);
      if (v !== null) {
        expect(v).toMatch(/^0[0-9]*(-[0-9]+)*$/);
        expect(normalisePhone(v)).toBe(v);
      }
    },
  );
});
