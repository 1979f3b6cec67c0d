import { Readable, Writable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { sql } from 'kysely';
import type pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import {
  CODE_ALPHABET,
  isValidRegistrationCode,
  isWellFormedLoginKey,
  keyedHash,
  normaliseCodeInput,
} from '../src/customers/codes.js';
import { sourceRefInput, personDigestInput } from '../src/imports/customer-csv.schema.js';
import { BulkRepeats } from '../src/imports/import.bulk-repeats.js';
import { sharedPostalTable } from '../src/customers/address-lookup.js';
import { BulkThreads } from '../src/imports/import.bulk-threads.js';
import { bulkBlockWorker, codeFingerprint, type BulkBlockOut } from '../src/imports/import.bulk-rows.js';
import { letterTokenFor, loginKeyFor, newRunSecret } from '../src/imports/import.derive.js';
import { FingerprintSet } from '../src/imports/import.fingerprints.js';
import { readHeader } from '../src/imports/import.rows.js';
import { ImportAbortedError, importCustomers, type ImportReport } from '../src/imports/import.service.js';
import { IMPORT_TEXT } from '../src/imports/imports.messages.js';
import { isWellFormedLetterToken, letterTokenHash } from '../src/letters/letter-token.js';
import { csvRecords, CsvFormatError } from '../src/platform/csv-records.js';
import { csvLine, csvLines } from '../src/platform/csv.js';
import { createPool } from '../src/platform/db.js';
import { generateSyntheticCustomersCsv } from '../dev/demo/synthetic-customers.js';
import { useOwnerDb, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';

// Counts the runs that took the bulk path (the import of a campaign without customers): only it
// reports phases.
const bulk = { calls: 0 };

// The service's role (DATABASE_URL): every import below runs through its pool.
const deps = useTestDeps();
const ownerDb = useOwnerDb();
const pepper = deps.config.LOGIN_KEY_PEPPER;
const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';
const LEAKS = 'name_gender_birth;postal_code;address';

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
  return HEADER.split(',').map((c) => r[c]!);
};

/** A deterministic 32-bit generator (xorshift), for large repeatable inputs. */
function xorshift(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

describe('FingerprintSet', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  // Small halves make repeats (and zero halves) frequent; full ones spread over the table.
  const pair = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    fc.tuple(u32, u32),
    fc.constant<[number, number]>([0, 0]),
  );
  // (0, 0) marks a free slot and is stored as (0, 1) (documented in import.fingerprints.ts): the one
  // place where the set differs from a Set of pairs, an extra repeat the database then rules out.
  const keyOf = (hi: number, lo: number) => (hi === 0 && lo === 0 ? '0,1' : `${hi},${lo}`);

  test.prop([fc.array(pair, { maxLength: 400 }), fc.constantFrom(1, 2, 4, 8, 1 << 16)])(
    'when pairs are added, then add answers as a Set of the pairs would, across growth',
    (pairs, capacity) => {
      const set = new FingerprintSet(capacity);
      const model = new Set<string>();
      for (const [hi, lo] of pairs) {
        expect(set.add(hi, lo)).toBe(!model.has(keyOf(hi, lo)));
        model.add(keyOf(hi, lo));
      }
      for (const [hi, lo] of pairs) expect(set.add(hi, lo)).toBe(false);
    },
  );

  it('when (0, 0) is added, then it is remembered like any other pair', () => {
    const set = new FingerprintSet(2);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    for (let i = 1; i < 100; i++) set.add(i, i); // grows several times
    expect(set.add(0, 0)).toBe(false);
    expect(set.add(1, 0)).toBe(true);
    expect(set.add(0, 2)).toBe(true);
  });

  it('when far more pairs are added than its initial capacity, then none is lost and none is invented', () => {
    const set = new FingerprintSet(); // 65,536 slots: grows at 32,768 keys, and again at 65,536
    const model = new Set<string>();
    const next = xorshift(13);
    const pairs: [number, number][] = [];
    for (let i = 0; i < 150_000; i++) {
      // Every fourth pair repeats an earlier one.
      const p: [number, number] =
        i % 4 === 3 && pairs.length ? pairs[next() % pairs.length]! : [next() & 0xff, next()];
      pairs.push(p);
      const k = keyOf(p[0], p[1]);
      if (set.add(p[0], p[1]) !== !model.has(k)) throw new Error(`pair ${i} (${k}) answered wrongly`);
      model.add(k);
    }
    expect(model.size).toBeGreaterThan(100_000);
    for (const [hi, lo] of pairs) if (set.add(hi, lo)) throw new Error(`(${hi},${lo}) was lost`);
  });
});

/** What the bulk import gives its threads, for a campaign '1' with the test file's header. */
const bulkSetup = () => ({
  campaignId: '1',
  leakedItemKeys: LEAKS.split(';'),
  header: readHeader({ line: 1, fields: HEADER.split(',') }),
  pepper,
  secret: newRunSecret(),
  issuedAt: new Date().toISOString(),
  letterLink: { baseUrl: 'https://owabi.example', slug: 'test' },
  postalTable: sharedPostalTable(),
});

describe('BulkRepeats', () => {
  const work = bulkBlockWorker(bulkSetup());
  /**
   * The rows worked out as a block of the file (as csvBlocks gives it: CSV bytes of whole records in
   * a buffer of their own), each on its line (empty lines between), ids from firstId.
   */
  const blockOf = (rows: { line: number; fields: string[] }[], firstId: number) => {
    const firstLine = rows[0]!.line;
    let csv = '';
    let line = firstLine;
    for (const r of rows) {
      csv += '\r\n'.repeat(r.line - line) + csvLine(r.fields);
      line = r.line + 1;
    }
    const bytes = new Uint8Array(Buffer.from(csv));
    return work({ bytes, firstLine, ids: rows.map((_, i) => firstId + i) });
  };
  const codesOf = (out: BulkBlockOut) =>
    Buffer.from(out.customers)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[2]!);
  const hashPrefix = (input: string) => keyedHash(pepper, input).subarray(0, 8);

  it('when a registration code is drawn twice, then the later customer gets a fresh valid code', () => {
    const out = blockOf(
      [
        { line: 2, fields: row('A1') },
        { line: 3, fields: row('A2') },
        { line: 4, fields: row('A3') },
      ],
      10,
    );
    const [first] = codesOf(out);
    // The third row drew the first's code (as a fingerprint: all the repeats see).
    const [hi, lo] = codeFingerprint(first!);
    out.fingerprints[12] = hi;
    out.fingerprints[13] = lo;
    const repeats = new BulkRepeats();
    repeats.note(out);

    expect(repeats.recoded).toHaveLength(1);
    expect(repeats.recoded[0]!.id).toBe(12);
    const fresh = repeats.recoded[0]!.code;
    expect(isValidRegistrationCode(fresh)).toBe(true);
    expect(codesOf(out)).not.toContain(fresh);
    expect(repeats.refCandidates).toEqual([]);
    expect(repeats.personCandidates).toEqual([]);
    expect(repeats.rows).toBe(3);
  });

  it('when a customer reference or a person repeats in a later block, then the first 8 bytes of its hash become a candidate', () => {
    const repeats = new BulkRepeats();
    const person = { full_name: '重複 花子', address: '大阪府大阪市北区梅田1-1-1' };
    repeats.note(
      blockOf(
        [
          { line: 2, fields: row('R1') },
          { line: 3, fields: row('P1', person) },
        ],
        100,
      ),
    );
    repeats.note(
      blockOf(
        [
          { line: 4, fields: row('R1', { full_name: '別人' }) }, // same reference, another person
          { line: 5, fields: row('P2', person) }, // another reference, same person
          { line: 6, fields: row('N1') },
        ],
        200,
      ),
    );

    expect(repeats.refCandidates).toEqual([hashPrefix(sourceRefInput('R1'))]);
    const personInput = personDigestInput({ ...person, birth_date: '1980-04-01' });
    expect(repeats.personCandidates).toEqual([hashPrefix(personInput)]);
    expect(repeats.recoded).toEqual([]);
    expect(repeats.rows).toBe(5);
  });

  it('when lines are asked for across several blocks, then each id maps to its own line and an unknown id throws', () => {
    const repeats = new BulkRepeats();
    // Bad rows leave gaps in the ids and lines; a block of bad rows only adds nothing.
    repeats.note(
      blockOf(
        [2, 3, 4, 5].map((line) => ({ line, fields: row(`L${line}`) })),
        100,
      ),
    );
    const second = blockOf(
      [7, 8, 10, 12].map((line) => ({ line, fields: row(`L${line}`, line === 8 ? { full_name: '' } : {}) })),
      200,
    );
    expect(Array.from(second.ids)).toEqual([200, 202, 203]);
    repeats.note(second);
    repeats.note(blockOf([{ line: 13, fields: row('X', { address: '' }) }], 300));
    repeats.note(blockOf([{ line: 9000, fields: row('L9000') }], 400));

    const expected: [number, number][] = [
      [100, 2],
      [101, 3],
      [103, 5],
      [200, 7],
      [202, 10],
      [203, 12],
      [400, 9000],
    ];
    for (const [id, line] of expected) expect(repeats.lineOf(id), `id ${id}`).toBe(line);
    for (const id of [99, 104, 150, 201, 300, 401])
      expect(() => repeats.lineOf(id), `id ${id}`).toThrow(/not of this import/);
  });
});

describe('BulkThreads', () => {
  // A block of the file as csvBlocks gives it: bytes of whole records in a buffer of their own.
  const block = () => ({
    bytes: new Uint8Array(Buffer.from(csvLines([row('T1')]))),
    firstLine: 2,
    ids: [70],
  });
  const keyHashOf = (out: BulkBlockOut) => Buffer.from(out.customers).toString('utf8').split('\t')[3];

  it("when a block is worked out here, then no thread starts and the result is the threads' own", async () => {
    const threads = new BulkThreads(bulkSetup(), 2);
    try {
      const here = await threads.runHere(block());
      expect(threads.started).toBe(0);
      const there = await threads.run(block());
      expect(threads.started).toBe(2);
      // Keys derive from the run secret and the id: the same row gives the same key hash either way.
      expect(keyHashOf(here)).toBe(keyHashOf(there));
      expect(Buffer.from(here.personal).toString('utf8')).toBe(Buffer.from(there.personal).toString('utf8'));
      expect(here.personal.length).toBeGreaterThan(0);
    } finally {
      await threads.close();
    }
  });

  it('when a block cannot be sent to a thread, then its run fails, nothing waits for it and the threads go on', async () => {
    const threads = new BulkThreads(bulkSetup(), 2);
    const waiting = (threads as unknown as { waiting: Map<number, unknown> }).waiting;
    try {
      const unclonable = { ...block(), ids: [() => 70] as unknown as number[] };
      await expect(threads.run(unclonable)).rejects.toThrow(/could not be cloned/);
      expect(threads.started).toBe(2);
      expect(waiting.size).toBe(0);
      expect(keyHashOf(await threads.run(block()))).toMatch(/^\\\\x[0-9a-f]{64}$/);
      expect(waiting.size).toBe(0);
    } finally {
      await threads.close();
    }
  });
});

describe('keys and tokens derived from the run secret', () => {
  it('when keys are derived, then they are well-formed, repeatable, and distinct across ids and secrets', () => {
    const a = newRunSecret();
    const b = newRunSecret();
    const keys = new Set<string>();
    const tokens = new Set<string>();
    for (let id = 1; id <= 10_000; id++) {
      const key = loginKeyFor(a, id);
      const token = letterTokenFor(a, id);
      if (!isWellFormedLoginKey(key)) throw new Error(`key of ${id} is malformed: ${key}`);
      if (!isWellFormedLetterToken(token)) throw new Error(`token of ${id} is malformed: ${token}`);
      keys.add(key);
      tokens.add(token);
    }
    expect(keys.size).toBe(10_000);
    expect(tokens.size).toBe(10_000);
    expect(loginKeyFor(a, 42)).toBe(loginKeyFor(Buffer.from(a), 42));
    expect(letterTokenFor(a, 42)).toBe(letterTokenFor(Buffer.from(a), 42));
    for (let id = 1; id <= 1_000; id++) {
      expect(keys.has(loginKeyFor(b, id))).toBe(false);
      expect(tokens.has(letterTokenFor(b, id))).toBe(false);
    }
    expect(loginKeyFor(a, 7)).not.toBe(letterTokenFor(a, 7).slice(0, 12));
  });

  it('when many keys are derived, then every character of the alphabet is about equally likely', () => {
    // Without the rejection of bytes ≥ 248, the first 8 characters come 9/8 as often as the others
    // (+9 % and −3 % of the mean): a ±20 % bound would not see it. Here 50,000 keys give 600,000
    // characters, 19,355 expected each (σ ≈ 139): ±4 % is 5.5 σ, and 9 % is 12 σ.
    const secret = newRunSecret();
    const counts = new Map([...CODE_ALPHABET].map((c) => [c, 0]));
    const n = 50_000;
    for (let id = 1; id <= n; id++)
      for (const c of loginKeyFor(secret, id)) counts.set(c, counts.get(c)! + 1);
    const mean = (n * 12) / CODE_ALPHABET.length;
    for (const [c, count] of counts) {
      expect(
        Math.abs(count - mean) / mean,
        `character ${c}: ${count} (mean ${mean.toFixed(0)})`,
      ).toBeLessThan(0.04);
    }
  });
});

interface Letter {
  registration_code: string;
  login_key: string;
  full_name: string;
  verification_url: string;
}

async function parseCsv(text: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const records of csvRecords(Readable.from([text]))) out.push(...records.map((r) => r.fields));
  return out;
}

async function runImport(campaign: Campaign, input: Buffer, letters?: Writable, pool = deps.pool) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += 65_536) chunks.push(input.subarray(i, i + 65_536));
  let text = '';
  const out =
    letters ??
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString('utf8');
        cb();
      },
    });
  const report = await importCustomers(
    { pool, pepper },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from(chunks),
      letters: out,
      onPhase: (phase) => phase === 'load' && bulk.calls++,
    },
  );
  const [head, ...rows] = await parseCsv(text);
  const parsed = rows.map((r) => Object.fromEntries(head!.map((c, i) => [c, r[i]])) as unknown as Letter);
  return { report, letters: parsed };
}

/** The synthetic benchmark rows (dev/demo), as fields. */
async function syntheticRows(count: number): Promise<string[][]> {
  let csv = '';
  await generateSyntheticCustomersCsv(
    new Writable({ write: (c, _e, cb) => ((csv += String(c)), cb()) }),
    count,
  );
  return (await parseCsv(csv)).slice(1);
}

/** The CSV of the rows, and the physical line each row starts on (the header is line 1). */
function csvOf(rows: string[][]): { csv: Buffer; lines: number[] } {
  const lines: number[] = [];
  let line = 2;
  for (const r of rows) {
    lines.push(line);
    line += r.join('').split('\n').length; // a quoted value may hold line breaks
  }
  return { csv: Buffer.from(HEADER + '\r\n' + csvLines(rows)), lines };
}

const customersOf = (campaign: Campaign) =>
  deps.pool.query<{ id: string; registration_code: string; login_key_hash: Buffer; customer_ref: string }>(
    `select c.id, c.registration_code, c.login_key_hash, p.customer_ref
       from customers c join customer_personal p on p.campaign_id = c.campaign_id and p.customer_id = c.id
      where c.campaign_id = $1 order by c.id`,
    [campaign.id],
  );

/** Every letter's key matches its customer's hash and its token's hash is that customer's. */
async function expectLettersMatch(campaign: Campaign, letters: Letter[]) {
  const { rows } = await customersOf(campaign);
  const byCode = new Map(rows.map((r) => [r.registration_code, r]));
  const { rows: tokens } = await deps.pool.query<{ customer_id: string; h: string }>(
    `select customer_id, encode(token_hash, 'hex') as h from letter_tokens where campaign_id = $1`,
    [campaign.id],
  );
  const tokenOwner = new Map(tokens.map((t) => [t.h, t.customer_id]));
  for (const letter of letters) {
    const customer = byCode.get(normaliseCodeInput(letter.registration_code));
    if (!customer) throw new Error(`no customer for the letter ${letter.registration_code}`);
    const keyHash = keyedHash(pepper, normaliseCodeInput(letter.login_key));
    if (!keyHash.equals(customer.login_key_hash)) throw new Error(`key of ${letter.registration_code}`);
    const token = letter.verification_url.split('/').at(-1)!;
    expect(isWellFormedLetterToken(token)).toBe(true);
    const owner = tokenOwner.get(letterTokenHash(pepper, token).toString('hex'));
    if (owner !== customer.id) throw new Error(`token of ${letter.registration_code} belongs to ${owner}`);
  }
}

/**
 * The import's outcome (its error), or a failure naming the hang. On a hang, the pool's connections
 * are closed from this side (a connection stuck in a COPY its stream no longer reads would never
 * notice the server ending it), so that the import settles and the pool can be ended.
 */
async function settledWithin(run: Promise<unknown>, ms: number, pool: pg.Pool): Promise<unknown> {
  const outcome = run.then(
    () => ({ settled: true, value: undefined as unknown }),
    (e: unknown) => ({ settled: true, value: e }),
  );
  const timer = new Promise<{ settled: false }>((r) => setTimeout(() => r({ settled: false }), ms));
  const first = await Promise.race([outcome, timer]);
  if (first.settled) return first.value;
  const clients = (pool as unknown as { _clients: { connection: { stream: { destroy(): void } } }[] })
    ._clients;
  for (const c of clients) c.connection.stream.destroy();
  await outcome;
  throw new Error(`the import had not settled ${ms} ms after the letter file failed`);
}

/** The load tables left of the campaign, and its partitions attached to the three parents. */
async function tablesOf(campaign: Campaign) {
  const id = campaign.id;
  const { rows: load } = await deps.pool.query<{ relname: string }>(
    `select relname from pg_class where relname like $1`,
    [`%\\_c${id}\\_load`],
  );
  const { rows: parts } = await deps.pool.query<{ parent: string; child: string }>(
    `select p.relname as parent, c.relname as child
       from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where c.relname = any($1) order by 1`,
    [[`customers_c${id}`, `customer_personal_c${id}`, `letter_tokens_c${id}`]],
  );
  return { load: load.map((r) => r.relname), partitions: parts.map((r) => `${r.parent}:${r.child}`) };
}

const partitionsOf = (campaign: Campaign) => [
  `customer_personal:customer_personal_c${campaign.id}`,
  `customers:customers_c${campaign.id}`,
  `letter_tokens:letter_tokens_c${campaign.id}`,
];

const counts = (r: ImportReport) => ({
  rowsRead: r.rowsRead,
  imported: r.imported,
  alreadyImported: r.alreadyImported,
  badRowCount: r.badRowCount,
  likelyDuplicateCount: r.likelyDuplicateCount,
});

describe('the bulk import of a campaign without customers', () => {
  it('when the service role imports 10,000 rows with repeats far apart, then the later lines are reported, every letter matches, and a later import takes the batched path', async () => {
    // The pool is the service's role, which may not create tables: the bulk path's DDL runs in the
    // owner's functions.
    const { rows: who } = await deps.pool.query<{ me: string; ddl: boolean }>(
      `select current_user as me, has_schema_privilege('public', 'CREATE') as ddl`,
    );
    const { rows: owner } = await sql<{ me: string }>`select current_user as me`.execute(ownerDb());
    expect(who[0]!.me).not.toBe(owner[0]!.me);
    expect(who[0]!.ddl).toBe(false);
    await expect(deps.pool.query('create table h4_bulk_probe (x int)')).rejects.toThrow(/permission denied/);

    const campaign = await buildCampaign(deps);
    const rows = await syntheticRows(10_000);
    // A quoted value over two lines early on: reported lines are physical lines, not row numbers.
    rows[2]![8] = '[{"name":"見本 一郎",\n"relation":"子","birthDate":"2010-01-02"}]';
    rows[9497]![0] = rows[1]![0]!; // the customer reference of line 3, again on line 9,500
    for (const c of [1, 3, 5]) rows[4997]![c] = rows[7]![c]!; // the person of line 10, again on line 5,000
    rows[4997]![2] = rows[7]![2]!; // (and the same kana, as a real repeat would have)
    const { csv, lines } = csvOf(rows);
    expect([lines[1], lines[7], lines[4997], lines[9497], lines.at(-1)]).toEqual([3, 10, 5000, 9500, 10_002]);
    const callsBefore = bulk.calls;

    const { report, letters } = await runImport(campaign, csv);

    expect(bulk.calls).toBe(callsBefore + 1);
    expect(counts(report)).toEqual({
      rowsRead: 10_000,
      imported: 9_998,
      alreadyImported: 0,
      badRowCount: 1,
      likelyDuplicateCount: 1,
    });
    expect(report.badRows).toEqual([
      { line: 9500, column: 'customer_ref', message: IMPORT_TEXT.refRepeated },
    ]);
    expect(letters).toHaveLength(9_998);
    const { rows: stored } = await customersOf(campaign);
    const expectedRefs = rows.map((r) => r[0]).filter((_, i) => i !== 4997 && i !== 9497);
    expect(stored.map((r) => r.customer_ref)).toEqual(expectedRefs); // file order, repeats out
    const firstOfPerson = stored.find((r) => r.customer_ref === rows[7]![0])!;
    expect(report.likelyDuplicates).toEqual([
      { line: 5000, existingRegistrationCode: firstOfPerson.registration_code },
    ]);
    expect(new Set(stored.map((r) => r.registration_code)).size).toBe(9_998);
    expect(letters.map((l) => normaliseCodeInput(l.registration_code))).toEqual(
      stored.map((r) => r.registration_code),
    );
    await expectLettersMatch(campaign, letters);
    expect(
      (await deps.pool.query('select 1 from letter_tokens where campaign_id = $1', [campaign.id])).rowCount,
    ).toBe(9_998);
    expect(await tablesOf(campaign)).toEqual({ load: [], partitions: partitionsOf(campaign) });
    // The attached partition took the parent's guard (migration 2026_12_02_024): no customer is deleted.
    await expect(
      deps.pool.query('delete from customers where campaign_id = $1 and id = $2', [
        campaign.id,
        stored[0]!.id,
      ]),
    ).rejects.toThrow(/never deleted/);

    // Now the campaign has customers: the batched path, with the bulk load's rows as the ones before.
    const later = await runImport(
      campaign,
      csvOf([
        row('LATER-1'),
        rows[5]!, // imported by the bulk load
        ['LATER-2', ...rows[20]!.slice(1)], // its person, a new reference
      ]).csv,
    );
    expect(bulk.calls).toBe(callsBefore + 1);
    expect(counts(later.report)).toEqual({
      rowsRead: 3,
      imported: 1,
      alreadyImported: 1,
      badRowCount: 0,
      likelyDuplicateCount: 1,
    });
    const personOf20 = stored.find((r) => r.customer_ref === rows[20]![0])!;
    expect(later.report.likelyDuplicates).toEqual([
      { line: 4, existingRegistrationCode: personOf20.registration_code },
    ]);
    expect(later.letters.map((l) => l.full_name)).toEqual(['見本 LATER-1']);
    await expectLettersMatch(campaign, later.letters);
    expect((await customersOf(campaign)).rowCount).toBe(9_999);
  }, 180_000);

  it('when the letter file fails while the letters are streamed, then nothing is imported, no load table is left and the campaign still takes customers', async () => {
    const campaign = await buildCampaign(deps);
    const { csv } = csvOf(await syntheticRows(6_000));
    let writes = 0;
    const letters = new Writable({
      write(_chunk, _enc, cb) {
        if (++writes === 3) return cb(new Error('disk full')); // the header, one block of letters, then this
        cb();
      },
    });

    // A pool of its own (the service's role), which a hang cannot leave unusable for the other tests.
    const pool = createPool(inject('databaseUrl'), 10);
    const err = await settledWithin(runImport(campaign, csv, letters, pool), 30_000, pool).finally(() =>
      pool.end(),
    );

    expect(err).toBeInstanceOf(ImportAbortedError);
    expect((err as ImportAbortedError).report.imported).toBe(0);
    expect((err as ImportAbortedError).commitUncertain).toBe(false);
    expect(writes).toBe(3);
    expect((await tablesOf(campaign)).load).toEqual([]);
    expect((await customersOf(campaign)).rowCount).toBe(0);
    // The campaign's partitions are made (again) by its first customer, wherever it comes from.
    await buildCustomer(deps, campaign);
    expect((await customersOf(campaign)).rowCount).toBe(1);
    expect(await tablesOf(campaign)).toEqual({ load: [], partitions: partitionsOf(campaign) });
  }, 120_000);

  it('when the file stops being UTF-8 after several blocks, then the import fails, no load table is left and the campaign still takes customers', async () => {
    const campaign = await buildCampaign(deps);
    const { csv } = csvOf(await syntheticRows(18_000));
    // Past four blocks of 4,000 records: some rows are in the COPY streams already.
    const at = csv.indexOf('\r\nS17000,') + 2;
    const broken = Buffer.concat([
      csv.subarray(0, at),
      Buffer.from([0x8e, 0x52, 0x93, 0x63]),
      csv.subarray(at),
    ]);

    const err = await runImport(campaign, broken).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ImportAbortedError);
    expect((err as Error).message).toMatch(/UTF-8/);
    // Read in a worker thread, the file's error still names the row's line (S17000 is on line 17,002).
    const cause = (err as Error).cause as CsvFormatError;
    expect(cause).toBeInstanceOf(CsvFormatError);
    expect(cause.line).toBe(17_002);
    expect((await tablesOf(campaign)).load).toEqual([]);
    expect((await customersOf(campaign)).rowCount).toBe(0);
    // The campaign's partitions are made (again) by its first customer, wherever it comes from.
    await buildCustomer(deps, campaign);
    expect((await customersOf(campaign)).rowCount).toBe(1);
    expect(await tablesOf(campaign)).toEqual({ load: [], partitions: partitionsOf(campaign) });
  }, 120_000);

  it('when a bulk load has failed, then the same file imports in full afterwards', async () => {
    const campaign = await buildCampaign(deps);
    const rows = [row('AGAIN-1'), row('AGAIN-2'), row('AGAIN-3')];
    const { csv } = csvOf(rows);
    const broken = Buffer.concat([csv, Buffer.from([0xff, 0x0a])]);
    await expect(runImport(campaign, broken)).rejects.toThrow(/UTF-8/);

    const { report, letters } = await runImport(campaign, csv);

    expect(report.imported).toBe(3);
    await expectLettersMatch(campaign, letters);
    expect(await tablesOf(campaign)).toEqual({ load: [], partitions: partitionsOf(campaign) });
  }, 60_000);
});
