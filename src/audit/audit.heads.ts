import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The audit chain's head, exported to a file outside PostgreSQL (AUDIT_HEAD_FILE): one JSON line
 * per export, only ever appended. Someone who can rewrite the database cannot reach it, so a
 * truncated tail (the newest entries deleted) or a rewritten chain no longer matches the heads
 * exported before. Keep the file on storage the database's administrators cannot write (or make
 * it append-only: `chattr +a`), and back it up with the logs.
 */
export interface ExportedHead {
  /** When it was exported (ISO 8601). */
  at: string;
  id: string;
  /** Hex. */
  hash: string;
  /** The boundary of the unkeyed entries (audit_chain_marker) when it was exported. */
  legacyUpTo: string;
}

const isHead = (v: unknown): v is ExportedHead => {
  const h = v as Partial<ExportedHead> | null;
  return (
    typeof h?.id === 'string' &&
    /^\d{1,19}$/.test(h.id) &&
    typeof h.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(h.hash) &&
    typeof h.legacyUpTo === 'string' &&
    typeof h.at === 'string'
  );
};

function parseLine(line: string): ExportedHead | undefined {
  if (!line.trim()) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return isHead(v) ? v : undefined;
  } catch {
    return undefined; // a torn last line (a crash mid-write) is not a head
  }
}

/** Every exported head, oldest first; none when the file does not exist yet. */
export async function readHeads(file: string): Promise<ExportedHead[]> {
  const heads: ExportedHead[] = [];
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      const head = parseLine(line);
      if (head) heads.push(head);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  } finally {
    stream.destroy();
  }
  return heads;
}

/** The newest exported head, read from the end of the file. */
export async function lastHead(file: string): Promise<ExportedHead | undefined> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 4096);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const head = parseLine(lines[i]!);
      if (head) return head;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Appends one head (the folder is created owner-only, the file 0600). */
export async function appendHead(file: string, head: ExportedHead): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${JSON.stringify(head)}\n`, { mode: 0o600, flag: 'a' });
}
