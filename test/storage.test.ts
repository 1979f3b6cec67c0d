import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalObjectDriver } from '../src/platform/storage/storage.local.js';
import { createObjectStore, StorageConfigSchema } from '../src/platform/storage/storage.config.js';
import {
  ENVELOPE_OVERHEAD,
  openingStream,
  sealingStream,
} from '../src/platform/storage/storage.encryption.js';
import {
  assertValidPrefix,
  campaignObjectKey,
  campaignPrefix,
  isValidKey,
  objectKey,
} from '../src/platform/storage/storage.keys.js';
import {
  InvalidObjectKey,
  ObjectIntegrityError,
  ObjectNotFound,
  type ObjectStore,
} from '../src/platform/storage/storage.js';
import {
  FILE_ENCRYPTION_KEY,
  localDriver,
  s3Driver,
  type DriverUnderTest,
} from './storage-support/drivers.js';

const MiB = 1024 * 1024;
/** More than two of the S3 driver's 8 MiB parts: a multipart upload. */
const LARGE_BYTES = 20 * MiB + 12_345;
const LOGIN_KEY_LINE = 'registration_code,login_key\nABCD-EFGH-JKLM,K7Q2-ZP9X-MM4R\n';

/** A stream of `size` random bytes in uneven chunks, and the SHA-256 of what it yields. */
function randomStream(size: number) {
  const hash = createHash('sha256');
  async function* chunks() {
    for (let sent = 0; sent < size;) {
      const chunk = randomBytes(Math.min(size - sent, 700_001));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), digest: () => hash.digest('hex') };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const read = async (store: ObjectStore, key: string, options?: { sensitive?: boolean }) =>
  buffer(await store.get(key, options));
async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list(prefix)) keys.push(key);
  return keys.sort();
}
function failingStream(after: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield after;
      throw new Error('upload cut off');
    })(),
    { objectMode: false },
  );
}

const TRAVERSAL_KEYS = [
  '../outside.txt',
  'campaigns/../../outside.txt',
  'campaigns/1/../../../etc/passwd',
  '/etc/passwd',
  'campaigns//1',
  'campaigns/1/',
  './campaigns',
  'campaigns/.hidden',
  'campaigns\\..\\outside',
  'campaigns/1/a b.csv',
  'campaigns/\0/x',
  '',
];

let campaignSeq = 100;
/** A fresh campaign id per test, so the tests of one driver never see each other's objects. */
const freshCampaign = () => String(campaignSeq++);

describe.each([
  { driver: 'local', start: () => localDriver() },
  { driver: 's3', start: () => s3Driver((name, value) => vi.stubEnv(name, value)) },
])('object store, $driver driver', ({ start }) => {
  let d: DriverUnderTest;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    await d?.stop();
    vi.unstubAllEnvs();
  });

  it.each([false, true])(
    'when a multi-megabyte stream is put (sensitive: %s), then get streams back the same bytes',
    async (sensitive) => {
      const campaign = freshCampaign();
      const key = campaignObjectKey(campaign, 'uploads', 'customers.csv');
      const { stream, digest } = randomStream(LARGE_BYTES);
      await d.store.put(key, stream, { sensitive, contentType: 'text/csv' });
      expect(sha256(await read(d.store, key))).toBe(digest());
      const listed = [];
      for await (const o of d.store.list(campaignPrefix(campaign))) listed.push(o);
      expect(listed).toEqual([{ key, size: LARGE_BYTES + (sensitive ? ENVELOPE_OVERHEAD : 0) }]);
    },
  );

  it.each([
    ['a string', 'こんにちは,世界\n', false],
    ['a buffer', randomBytes(1000), true],
    ['an empty string', '', false],
    ['an empty sensitive string', '', true],
  ] as const)('when %s is put, then it reads back byte for byte', async (_what, body, sensitive) => {
    const key = campaignObjectKey(freshCampaign(), 'small.bin');
    await d.store.put(key, body, { sensitive });
    expect((await read(d.store, key)).equals(Buffer.from(body))).toBe(true);
    expect(await d.store.exists(key)).toBe(true);
  });

  it('when a key is put twice, then the second content replaces the first', async () => {
    const key = campaignObjectKey(freshCampaign(), 'report.csv');
    await d.store.put(key, 'first version, longer than the second');
    await d.store.put(key, 'second');
    expect((await read(d.store, key)).toString()).toBe('second');
  });

  it('when the body fails midway, then the put rejects and no object is left', async () => {
    const campaign = freshCampaign();
    const key = campaignObjectKey(campaign, 'cut.csv');
    await expect(d.store.put(key, failingStream(randomBytes(64 * 1024)))).rejects.toThrow('upload cut off');
    expect(await d.store.exists(key)).toBe(false);
    expect(await keysUnder(d.store, campaignPrefix(campaign))).toEqual([]);
  });

  it('when listing a prefix, then exactly the objects under that folder come, with their sizes', async () => {
    const one = freshCampaign();
    const ten = `${one}0`; // campaign 1010 must not show under campaigns/101/
    await d.store.put(campaignObjectKey(one, 'letters', 'run-1.csv'), 'abc');
    await d.store.put(campaignObjectKey(one, 'letters', 'run-2.csv'), 'abcdef');
    await d.store.put(campaignObjectKey(one, 'manifest.csv'), 'x');
    await d.store.put(campaignObjectKey(ten, 'manifest.csv'), 'y');
    const sizes: Record<string, number> = {};
    for await (const { key, size } of d.store.list(campaignPrefix(one))) sizes[key] = size;
    expect(sizes).toEqual({
      [campaignObjectKey(one, 'letters', 'run-1.csv')]: 3,
      [campaignObjectKey(one, 'letters', 'run-2.csv')]: 6,
      [campaignObjectKey(one, 'manifest.csv')]: 1,
    });
    expect(await keysUnder(d.store, `${campaignObjectKey(one, 'letters')}/`)).toHaveLength(2);
    expect(await keysUnder(d.store, campaignPrefix(freshCampaign()))).toEqual([]);
    expect(await keysUnder(d.store, '')).toContain(campaignObjectKey(ten, 'manifest.csv'));
  });

  it('when a prefix is deleted, then everything under it goes and other prefixes stay', async () => {
    const doomed = freshCampaign();
    const kept = `${doomed}0`;
    const keys = [
      campaignObjectKey(doomed, 'letters', 'run-1.csv'),
      campaignObjectKey(doomed, 'letters', 'deep', 'run-2.csv'),
      campaignObjectKey(doomed, 'manifest.csv'),
    ];
    for (const key of keys) await d.store.put(key, 'personal data', { sensitive: key.endsWith('1.csv') });
    await d.store.put(campaignObjectKey(kept, 'manifest.csv'), 'keep me');
    await d.store.put(objectKey('suppression', `campaign-${doomed}.csv`), 'keep me too');

    expect(await d.store.deletePrefix(campaignPrefix(doomed))).toBe(3);

    expect(await keysUnder(d.store, campaignPrefix(doomed))).toEqual([]);
    for (const key of keys) expect(await d.store.exists(key)).toBe(false);
    expect((await read(d.store, campaignObjectKey(kept, 'manifest.csv'))).toString()).toBe('keep me');
    expect(await d.store.exists(objectKey('suppression', `campaign-${doomed}.csv`))).toBe(true);
    expect(await d.store.deletePrefix(campaignPrefix(doomed))).toBe(0);
  });

  it('when a prefix is deleted, then an object named like its folder stays (it is not under it)', async () => {
    const campaign = freshCampaign();
    const sibling = campaignObjectKey(campaign, 'report');
    await d.store.put(sibling, 'not under report/');
    expect(await d.store.deletePrefix(`${sibling}/`)).toBe(0);
    expect(await d.store.exists(sibling)).toBe(true);
  });

  it('when an object is sensitive, then the bytes at rest hold no plaintext and it decrypts', async () => {
    const key = campaignObjectKey(freshCampaign(), 'letters', 'run-1-letters.csv');
    await d.store.put(key, LOGIN_KEY_LINE, { sensitive: true });
    const raw = await d.readRaw(key);
    expect(raw.includes('K7Q2-ZP9X-MM4R')).toBe(false);
    expect(raw.includes('registration_code')).toBe(false);
    expect(raw.length).toBe(Buffer.byteLength(LOGIN_KEY_LINE) + ENVELOPE_OVERHEAD);
    expect((await read(d.store, key, { sensitive: true })).toString()).toBe(LOGIN_KEY_LINE);
  });

  it('when an object is not sensitive, then it is stored as it is', async () => {
    const key = campaignObjectKey(freshCampaign(), 'purge-report.txt');
    await d.store.put(key, 'no personal data here');
    expect((await d.readRaw(key)).toString()).toBe('no personal data here');
  });

  it('when plain content starts like an envelope, then it is sealed anyway and reads back', async () => {
    const key = campaignObjectKey(freshCampaign(), 'binary.bin');
    const lookalike = Buffer.concat([Buffer.from([0x00, 0x4f, 0x57, 0x42, 0x01]), randomBytes(40)]);
    await d.store.put(key, lookalike);
    expect((await d.readRaw(key)).length).toBe(lookalike.length + ENVELOPE_OVERHEAD);
    expect((await read(d.store, key)).equals(lookalike)).toBe(true);
  });

  describe('when a sealed object was tampered with, then reading it fails', () => {
    const flip = (at: (raw: Buffer) => number) => (raw: Buffer) => {
      const copy = Buffer.from(raw);
      copy[at(copy)]! ^= 0x01;
      return copy;
    };
    it.each([
      ['a ciphertext byte flipped', flip(() => 30)],
      ['a tag byte flipped', flip((raw) => raw.length - 1)],
      ['an IV byte flipped', flip(() => 8)],
      ['the version changed', flip(() => 4)],
      ['the tag cut off', (raw: Buffer) => raw.subarray(0, raw.length - 16)],
      ['cut inside the header', (raw: Buffer) => raw.subarray(0, 10)],
    ])('%s', async (_what, tamper) => {
      const key = campaignObjectKey(freshCampaign(), 'letters.csv');
      await d.store.put(key, LOGIN_KEY_LINE.repeat(20), { sensitive: true });
      await d.writeRaw(key, tamper(await d.readRaw(key)));
      await expect(read(d.store, key)).rejects.toBeInstanceOf(ObjectIntegrityError);
    });

    it('another key’s object copied over it', async () => {
      const campaign = freshCampaign();
      const theirs = campaignObjectKey(campaign, 'theirs.csv');
      const mine = campaignObjectKey(campaign, 'mine.csv');
      await d.store.put(theirs, LOGIN_KEY_LINE, { sensitive: true });
      await d.writeRaw(mine, await d.readRaw(theirs));
      await expect(read(d.store, mine)).rejects.toBeInstanceOf(ObjectIntegrityError);
    });

    it('plaintext put in its place, read as sensitive', async () => {
      const key = campaignObjectKey(freshCampaign(), 'letters.csv');
      await d.store.put(key, LOGIN_KEY_LINE, { sensitive: true });
      await d.writeRaw(key, Buffer.from('registration_code,login_key\nFAKE,FAKE\n'));
      await expect(d.store.get(key, { sensitive: true })).rejects.toBeInstanceOf(ObjectIntegrityError);
    });
  });

  it.each(TRAVERSAL_KEYS)('when the key is %j, then every operation refuses it', async (key) => {
    const body = Readable.from(['x']);
    await expect(d.store.put(key, body)).rejects.toBeInstanceOf(InvalidObjectKey);
    expect(body.destroyed).toBe(true);
    await expect(d.store.get(key)).rejects.toBeInstanceOf(InvalidObjectKey);
    await expect(d.store.exists(key)).rejects.toBeInstanceOf(InvalidObjectKey);
    await expect(d.store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKey);
  });

  it.each(['campaigns/1', '/campaigns/1/', '../', 'campaigns/../'])(
    'when the prefix is %j, then list and deletePrefix refuse it',
    async (prefix) => {
      await expect(keysUnder(d.store, prefix)).rejects.toBeInstanceOf(InvalidObjectKey);
      await expect(d.store.deletePrefix(prefix)).rejects.toBeInstanceOf(InvalidObjectKey);
    },
  );

  it('when the empty prefix is deleted, then it is refused (it would be everything)', async () => {
    await d.store.put(campaignObjectKey(freshCampaign(), 'a.csv'), 'a');
    await expect(d.store.deletePrefix('')).rejects.toBeInstanceOf(InvalidObjectKey);
    expect((await keysUnder(d.store, '')).length).toBeGreaterThan(0);
  });

  it('when an object does not exist, then get throws the typed not-found error', async () => {
    const campaign = freshCampaign();
    const key = campaignObjectKey(campaign, 'gone.csv');
    const err = await d.store.get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectNotFound);
    expect(ObjectNotFound.is(err)).toBe(true);
    expect(err).toMatchObject({ key, code: 'not_found', status: 404 });
    expect(await d.store.exists(key)).toBe(false);
    await expect(d.store.delete(key)).resolves.toBeUndefined();
    // A folder of other keys is not an object either.
    await d.store.put(campaignObjectKey(campaign, 'folder', 'inside.csv'), 'x');
    await expect(d.store.get(campaignObjectKey(campaign, 'folder'))).rejects.toBeInstanceOf(ObjectNotFound);
    expect(await d.store.exists(campaignObjectKey(campaign, 'folder'))).toBe(false);
  });

  it('when an object is deleted, then it is gone and its neighbours stay', async () => {
    const campaign = freshCampaign();
    await d.store.put(campaignObjectKey(campaign, 'a.csv'), 'a');
    await d.store.put(campaignObjectKey(campaign, 'b.csv'), 'b');
    await d.store.delete(campaignObjectKey(campaign, 'a.csv'));
    expect(await keysUnder(d.store, campaignPrefix(campaign))).toEqual([
      campaignObjectKey(campaign, 'b.csv'),
    ]);
  });
});

describe('S3 driver', () => {
  let d: Awaited<ReturnType<typeof s3Driver>>;
  beforeAll(async () => {
    d = await s3Driver((name, value) => vi.stubEnv(name, value));
  });
  afterAll(async () => {
    await d?.stop();
    vi.unstubAllEnvs();
  });

  it('when a large stream is put, then it goes up as a multipart upload', async () => {
    const { stream } = randomStream(LARGE_BYTES);
    await d.store.put(campaignObjectKey(freshCampaign(), 'big.csv'), stream);
    expect(d.server.requests.filter((r) => /^POST .*\?uploads=?$/.test(r))).toHaveLength(1);
    expect(d.server.requests.filter((r) => /^PUT .*partNumber=\d+/.test(r))).toHaveLength(3);
  });
});

describe('local driver', () => {
  let d: Awaited<ReturnType<typeof localDriver>>;
  beforeAll(async () => {
    d = await localDriver();
  });
  afterAll(() => d?.stop());

  it('when objects are written, then folders are 0700 and files 0600', async () => {
    const campaign = freshCampaign();
    await d.store.put(campaignObjectKey(campaign, 'letters', 'run-1.csv'), 'x', { sensitive: true });
    const mode = (p: string) => statSync(path.join(d.root, p)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    expect(mode(`campaigns/${campaign}/letters`)).toBe(0o700);
    expect(mode(`campaigns/${campaign}/letters/run-1.csv`)).toBe(0o600);
  });

  it('when puts fail, then the old object stays and no temporary file is left', async () => {
    const campaign = freshCampaign();
    const key = campaignObjectKey(campaign, 'kept.csv');
    await d.store.put(key, 'old');
    for (let i = 0; i < 20; i++) {
      await expect(d.store.put(key, failingStream(Buffer.alloc(1024)))).rejects.toThrow('upload cut off');
    }
    await sleep(200);
    expect(readdirSync(path.join(d.root, 'campaigns', campaign))).toEqual(['kept.csv']);
    expect((await read(d.store, campaignObjectKey(campaign, 'kept.csv'))).toString()).toBe('old');
  });

  // A race (a failure that beats the temporary file's open), so it is tried many times.
  it('when a body fails at once, then the driver leaves no temporary file (it waits for the open)', async () => {
    const driver = new LocalObjectDriver(d.root);
    const campaign = freshCampaign();
    for (let i = 0; i < 300; i++) {
      const body = failingStream(Buffer.alloc(10));
      await expect(driver.put(campaignObjectKey(campaign, `k${i}.csv`), body)).rejects.toThrow(
        'upload cut off',
      );
    }
    await sleep(200); // a leaked file would appear when its late open completes
    expect(readdirSync(path.join(d.root, 'campaigns', campaign))).toEqual([]);
  });

  it('when a folder holds a temporary or foreign file, then listing skips it', async () => {
    const campaign = freshCampaign();
    await d.store.put(campaignObjectKey(campaign, 'real.csv'), 'x');
    const dir = path.join(d.root, 'campaigns', campaign);
    await writeFile(path.join(dir, '.real.csv.1234.tmp'), 'half');
    await writeFile(path.join(dir, 'has space.csv'), 'foreign');
    expect(await keysUnder(d.store, campaignPrefix(campaign))).toEqual([
      campaignObjectKey(campaign, 'real.csv'),
    ]);
  });

  test.prop([fc.string({ maxLength: 40 }).filter((k) => !isValidKey(k))], { numRuns: 200 })(
    'when any refused key is used, then nothing is written anywhere',
    async (key) => {
      const outside = path.dirname(d.root);
      const before = readdirSync(outside).sort();
      await expect(d.store.put(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKey);
      expect(readdirSync(outside).sort()).toEqual(before);
    },
  );
});

const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}$/);
const segments = fc.array(segment, { minLength: 1, maxLength: 6 });

describe('object keys', () => {
  test.prop([segments])('when built from valid segments, then the key is valid and splits back', (parts) => {
    const key = objectKey(...parts);
    expect(isValidKey(key)).toBe(true);
    expect(key.split('/')).toEqual(parts);
  });

  test.prop([fc.string({ maxLength: 60 })])(
    'when any string is accepted as a key, then it is relative, normal and stays inside the folder',
    (key) => {
      fc.pre(isValidKey(key));
      const root = path.resolve('/srv/owabi/objects');
      expect(path.isAbsolute(key)).toBe(false);
      expect(path.posix.normalize(key)).toBe(key);
      expect(path.resolve(root, key).startsWith(`${root}${path.sep}`)).toBe(true);
    },
  );

  test.prop([segments, fc.nat(), fc.constantFrom('..', '.', '', '.tmp', 'a/..', '..\\x', 'a b', 'ü', '\0')])(
    'when a bad segment is inserted anywhere, then the key is refused',
    (parts, at, bad) => {
      const position = at % (parts.length + 1);
      const key = [...parts.slice(0, position), bad, ...parts.slice(position)].join('/');
      expect(isValidKey(key)).toBe(false);
      expect(() => objectKey(...parts.slice(0, position), bad, ...parts.slice(position))).toThrow(
        InvalidObjectKey,
      );
    },
  );

  test.prop([segments])('when a key starts or ends with a slash, then it is refused', (parts) => {
    expect(isValidKey(`/${parts.join('/')}`)).toBe(false);
    expect(isValidKey(`${parts.join('/')}/`)).toBe(false);
  });

  test.prop([fc.bigInt({ min: 1n, max: 2n ** 63n }), fc.bigInt({ min: 1n, max: 2n ** 63n }), segments])(
    'when keys are built for a campaign, then its prefix holds them and no other campaign’s',
    (id, other, parts) => {
      fc.pre(id !== other);
      const prefix = campaignPrefix(id);
      expect(assertValidPrefix(prefix)).toBe(prefix);
      expect(campaignObjectKey(id, ...parts).startsWith(prefix)).toBe(true);
      expect(campaignObjectKey(other, ...parts).startsWith(prefix)).toBe(false);
    },
  );

  it('when a segment holds a slash, then the key builder refuses it', () => {
    expect(() => campaignObjectKey('1', 'letters/../../x')).toThrow(InvalidObjectKey);
    expect(() => campaignObjectKey('../1', 'x')).toThrow(InvalidObjectKey);
  });
});

describe('sealing', () => {
  const fileKey = randomBytes(32);
  const seal = async (plain: Buffer, key = 'k') =>
    buffer(Readable.from([plain], { objectMode: false }).pipe(sealingStream(fileKey, key)));
  /** Feeds `bytes` in chunks cut at `cuts`, as a network would. */
  const open = (bytes: Buffer, cuts: number[], key = 'k') => {
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length));
    return buffer(Readable.from(chunks, { objectMode: false }).pipe(openingStream(fileKey, key)));
  };

  test.prop([fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 12 })])(
    'when a sealed object arrives in any chunks, then it opens to the same bytes',
    async (plain, cuts) => {
      const sealed = await seal(Buffer.from(plain));
      expect((await open(sealed, cuts)).equals(Buffer.from(plain))).toBe(true);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'when any single byte of a sealed object changes, then opening it fails',
    async (plain, at, mask) => {
      const sealed = await seal(Buffer.from(plain));
      const position = at % sealed.length;
      sealed[position] = sealed[position]! ^ mask;
      await expect(open(sealed, [])).rejects.toBeInstanceOf(ObjectIntegrityError);
    },
  );

  it('when the same content is sealed twice, then the two differ (a fresh IV each time)', async () => {
    const plain = Buffer.from(LOGIN_KEY_LINE);
    expect((await seal(plain)).equals(await seal(plain))).toBe(false);
  });

  it('when opened with another file key, then it fails', async () => {
    const sealed = await seal(Buffer.from(LOGIN_KEY_LINE));
    const other = Readable.from([sealed], { objectMode: false }).pipe(openingStream(randomBytes(32), 'k'));
    await expect(buffer(other)).rejects.toBeInstanceOf(ObjectIntegrityError);
  });
});

describe('storage configuration', () => {
  const parse = (env: Record<string, string>) => StorageConfigSchema.safeParse(env);
  const problems = (env: Record<string, string>) =>
    (parse(env).error?.issues ?? []).map((i) => i.path.join('.')).sort();

  it('when FILE_ENCRYPTION_KEY is missing, short, or not base64, then it is refused', () => {
    expect(problems({})).toEqual(['FILE_ENCRYPTION_KEY']);
    expect(problems({ FILE_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toEqual([
      'FILE_ENCRYPTION_KEY',
    ]);
    expect(problems({ FILE_ENCRYPTION_KEY: `${FILE_ENCRYPTION_KEY.slice(0, -2)}!=` })).toEqual([
      'FILE_ENCRYPTION_KEY',
    ]);
    expect(problems({ FILE_ENCRYPTION_KEY: randomBytes(32).toString('base64url') })).toEqual([]);
  });

  it('when the S3 driver is chosen without bucket or region, then both are named', () => {
    expect(problems({ STORAGE_DRIVER: 's3', FILE_ENCRYPTION_KEY })).toEqual(['S3_BUCKET', 'S3_REGION']);
    expect(problems({ STORAGE_DRIVER: 'ftp', FILE_ENCRYPTION_KEY })).toEqual(['STORAGE_DRIVER']);
  });

  it('when nothing else is set, then the local driver keeps objects in DATA_DIR/objects', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-storage-config-'));
    try {
      const store = createObjectStore(StorageConfigSchema.parse({ DATA_DIR: dataDir, FILE_ENCRYPTION_KEY }));
      await store.put(campaignObjectKey('1', 'x.csv'), 'x');
      expect(existsSync(path.join(dataDir, 'objects', 'campaigns', '1', 'x.csv'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
