import { createReadStream } from 'node:fs';
import { mkdir, open, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Files the erasure domain writes (exports, reports) and reads back (the purge's log check). */

/** Creates an owner-only file, never overwriting one: a name already taken gets -2, -3 … */
export async function writeNewFile(dir: string, base: string, ext: string, content: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${base}${n > 1 ? `-${n}` : ''}${ext}`);
    const handle = await open(file, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return undefined;
      throw err;
    });
    if (!handle) continue;
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return file;
  }
}

/** Files directly in `dir` whose name matches; a directory that is not there holds none. */
export async function listMatchingFiles(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names.filter((n) => pattern.test(n)).map((n) => path.join(dir, n));
}

const LOG_NAME = /\.log(\.\d+)?$/;

/** The configured log file and every *.log (rotated ones too) under the data directory, a few levels deep. */
export async function findLogFiles(
  config: { DATA_DIR: string; LOG_FILE?: string },
  depth = 4,
): Promise<string[]> {
  const found = new Set<string>();
  if (config.LOG_FILE) found.add(path.resolve(config.LOG_FILE));
  const walk = async (dir: string, left: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isFile() && LOG_NAME.test(e.name)) found.add(path.resolve(p));
      else if (e.isDirectory() && left > 0) await walk(p, left - 1);
    }
  };
  await walk(config.DATA_DIR, depth);
  return [...found].sort();
}

export interface FileScan {
  files: number;
  bytes: number;
  /** Files holding at least one of the values (paths only: never the values). */
  withHits: string[];
  /** Files that exist but could not be read: the check cannot vouch for them. */
  unreadable: string[];
}

/**
 * Streams each file once and looks for every value in each chunk; the tail of the previous chunk
 * is kept so a value cut by a chunk boundary is still found. A file that is not there is fine.
 */
export async function scanFilesForValues(files: string[], needles: Buffer[]): Promise<FileScan> {
  const scan: FileScan = { files: 0, bytes: 0, withHits: [], unreadable: [] };
  const overlap = Math.max(0, ...needles.map((n) => n.length)) - 1;
  for (const file of files) {
    try {
      let tail: Buffer = Buffer.alloc(0);
      let hit = false;
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        scan.bytes += chunk.length;
        const window = tail.length ? Buffer.concat([tail, chunk]) : chunk;
        if (!hit && needles.some((n) => window.includes(n))) hit = true;
        tail = overlap > 0 ? window.subarray(Math.max(0, window.length - overlap)) : Buffer.alloc(0);
      }
      scan.files += 1;
      if (hit) scan.withHits.push(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') scan.unreadable.push(file);
    }
  }
  return scan;
}
