import { Readable, Writable } from 'node:stream';
import { normaliseCodeInput } from '../customers/codes.js';
import { csvLines } from '../platform/csv.js';
import { csvRecords, CsvFormatError, type CsvRecord } from '../platform/csv-records.js';
import type { ObjectStore } from '../platform/storage/storage.js';
import { LETTER_COLUMNS, LETTER_HEADER } from './import.encoding.js';
import { lettersKey, letterPartsPrefix, type RunFiles } from './import-runs.files.js';

/**
 * A run's letters while it imports. An object cannot be appended to, and a letter must be in
 * storage before its batch commits (else a killed worker leaves a customer whose key was never
 * printed), so every write of the import is stored as a part of its own before it is acknowledged:
 * `<attempt>-<seq>.csv` under the run's parts prefix, without the header. At the end the parts
 * become the one letter print file (lettersKey), header first, and are deleted.
 *
 * A part with seq 0 is a base: what a reconciliation kept of everything before it. Parts before the
 * last base are stale (a reconciliation stopped before deleting them) and are never read again.
 */
interface Part {
  key: string;
  attempt: number;
  seq: number;
}

const PART_NAME = /^(\d{6})-(\d{6})\.csv$/;
const pad = (n: number) => String(n).padStart(6, '0');
const partKey = (files: RunFiles, attempt: number, seq: number) =>
  `${letterPartsPrefix(files)}${pad(attempt)}-${pad(seq)}.csv`;
const sensitive = { sensitive: true } as const;

async function listParts(store: ObjectStore, files: RunFiles): Promise<Part[]> {
  const prefix = letterPartsPrefix(files);
  const parts: Part[] = [];
  for await (const { key } of store.list(prefix)) {
    const m = PART_NAME.exec(key.slice(prefix.length));
    if (m) parts.push({ key, attempt: Number(m[1]), seq: Number(m[2]) });
  }
  return parts.sort((a, b) => a.attempt - b.attempt || a.seq - b.seq);
}

/** The parts from the last base on. */
function liveParts(parts: Part[]): Part[] {
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]!.seq === 0) return parts.slice(i);
  return parts;
}

/** Whether an earlier attempt left letters (parts, or the finished file of a run not yet recorded). */
export async function hasLetters(store: ObjectStore, files: RunFiles): Promise<boolean> {
  return (await listParts(store, files)).length > 0 || (await store.exists(lettersKey(files)));
}

/** Where one attempt's letters go: each write becomes a part before its callback; the header is left out. */
export async function openLetterParts(store: ObjectStore, files: RunFiles): Promise<Writable> {
  const attempt = ((await listParts(store, files)).at(-1)?.attempt ?? 0) + 1;
  const header = Buffer.from(LETTER_HEADER);
  let seq = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (seq === 0 && chunk.equals(header)) return done();
      store.put(partKey(files, attempt, ++seq), chunk, sensitive).then(() => done(), done);
    },
  });
}

/**
 * After an interrupted run, and before a failed run ends: keeps the letters whose registration code
 * is in the database, drops the rest (letters of a batch that was rolled back), as a new base; the
 * older parts and any finished file go. Returns how many letters were kept.
 */
export async function reconcileLetters(
  store: ObjectStore,
  files: RunFiles,
  existing: (codes: string[]) => Promise<Set<string>>,
): Promise<number> {
  const parts = await listParts(store, files);
  const live = liveParts(parts);
  const final = lettersKey(files);
  const sources = live.length > 0 ? live.map((p) => p.key) : (await store.exists(final)) ? [final] : [];
  if (sources.length === 0) return 0;
  let kept = 0;
  async function* committed(): AsyncGenerator<string> {
    for (const source of sources) {
      for await (const rows of letterBatches(await store.get(source, sensitive))) {
        // The letter prints the registration code in groups of four; the database holds it bare.
        const code = (r: CsvRecord) => normaliseCodeInput(r.fields[0]!);
        const found = await existing(rows.map(code));
        const keep = rows.filter((r) => found.has(code(r)));
        kept += keep.length;
        // Written back as read: a guarded cell starts with ' and the guard leaves it as it is.
        if (keep.length > 0) yield csvLines(keep.map((r) => r.fields));
      }
    }
  }
  const base = partKey(files, (parts.at(-1)?.attempt ?? 0) + 1, 0);
  await store.put(base, Readable.from(committed()), sensitive);
  for (const p of parts) await store.delete(p.key);
  await store.delete(final);
  return kept;
}

/** Whole letter lines of one object, 5,000 at a time; the header and broken lines are skipped. */
async function* letterBatches(input: Readable): AsyncGenerator<CsvRecord[]> {
  const isHeader = (r: CsvRecord) => r.line === 1 && r.fields.join(',') === LETTER_COLUMNS.join(',');
  const pending: CsvRecord[] = [];
  try {
    for await (const records of csvRecords(input)) {
      for (const rec of records) {
        if (isHeader(rec) || rec.error || rec.fields.length !== LETTER_COLUMNS.length) continue;
        pending.push(rec);
        if (pending.length >= 5_000) yield pending.splice(0);
      }
    }
  } catch (err) {
    // A last line cut by a crash cannot be parsed; it belonged to an uncommitted batch.
    if (!(err instanceof CsvFormatError)) throw err;
    input.destroy();
  }
  if (pending.length > 0) yield pending;
}

/**
 * The end of a run: the live parts, header first, become the letter print file, and every part
 * goes. With no letters kept, no file remains. Returns whether the file exists.
 */
export async function finishLetters(store: ObjectStore, files: RunFiles, keep: boolean): Promise<boolean> {
  const parts = await listParts(store, files);
  const final = lettersKey(files);
  if (keep && parts.length > 0) {
    const live = liveParts(parts);
    async function* whole(): AsyncGenerator<Buffer | string> {
      yield LETTER_HEADER;
      for (const p of live) yield* (await store.get(p.key, sensitive)) as AsyncIterable<Buffer>;
    }
    await store.put(final, Readable.from(whole()), sensitive);
  }
  for (const p of parts) await store.delete(p.key);
  if (!keep) await store.delete(final);
  return keep && (await store.exists(final));
}
