import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, opendir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidObjectKey, ObjectNotFound } from './storage.errors.js';
import { assertValidKey, assertValidPrefix, isValidKey } from './storage.keys.js';
import type { ObjectDriver, StoredObject } from './storage.js';

const isMissing = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/** null for a missing file or folder; any other error is rethrown. */
const unlessMissing = (err: unknown): null => {
  if (isMissing(err)) return null;
  throw err;
};

/**
 * Objects as files under one folder (one machine only): folders 0700, files 0600, since they hold
 * personal data. A put writes a temporary `.name.<uuid>.tmp` beside the target, syncs it and
 * renames it over, so a reader sees the old object or the new one, never half of one; no valid key
 * starts with a dot, so these never collide with an object and listing skips them.
 * Unlike S3, a key cannot also be a folder of other keys (`a/b` and `a/b/c`).
 */
export class LocalObjectDriver implements ObjectDriver {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, body: Readable): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    // Opened before the body is read, so a failing body cannot race the open: the rm always finds it.
    const handle = await open(temporary, 'wx', 0o600);
    try {
      // The stream owns the handle: it syncs (flush) and closes it at the end, or closes it on error.
      await pipeline(body, handle.createWriteStream({ flush: true }));
      await rename(temporary, file);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const handle = await open(this.pathOf(key), 'r').catch((err: unknown) => {
      throw isMissing(err) ? new ObjectNotFound(key, { cause: err }) : err;
    });
    const isFile = await handle.stat().then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) return handle.createReadStream();
    await handle.close();
    throw new ObjectNotFound(key); // a folder of other keys, not an object
  }

  async exists(key: string): Promise<boolean> {
    return (await this.fileStat(this.pathOf(key)))?.isFile() ?? false;
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    if ((await this.fileStat(file))?.isFile()) await rm(file, { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const _ of this.list(assertValidPrefix(prefix))) count++;
    // The whole folder goes, with any temporary file of a put still under way; an object named
    // like the folder (`a/b` for `a/b/`) is not under the prefix and stays.
    const folder = this.pathOf(prefix.slice(0, -1));
    if ((await this.fileStat(folder))?.isDirectory()) await rm(folder, { recursive: true, force: true });
    return count;
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    assertValidPrefix(prefix, { allowEverything: true });
    yield* this.walk(prefix === '' ? this.root : this.pathOf(prefix.slice(0, -1)), prefix);
  }

  private async *walk(dir: string, keyPrefix: string): AsyncIterable<StoredObject> {
    const entries = await opendir(dir).catch(unlessMissing);
    if (!entries) return;
    for await (const entry of entries) {
      const key = `${keyPrefix}${entry.name}`;
      if (!isValidKey(key)) continue; // a temporary file, or one no put could have made
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(full, `${key}/`);
        continue;
      }
      if (!entry.isFile()) continue;
      const found = await this.fileStat(full); // null when deleted meanwhile
      if (found) yield { key, size: found.size };
    }
  }

  private fileStat(file: string): Promise<Stats | null> {
    return stat(file).catch(unlessMissing);
  }

  /** The file of a key; the check on the resolved path backs up the key rules. */
  private pathOf(key: string): string {
    const file = path.resolve(this.root, ...assertValidKey(key).split('/'));
    if (!file.startsWith(this.root + path.sep))
      throw new InvalidObjectKey(key, 'resolves outside the folder');
    return file;
  }
}
