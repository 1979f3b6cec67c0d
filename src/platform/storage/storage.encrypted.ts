import type { Readable } from 'node:stream';
import { ObjectIntegrityError } from './storage.errors.js';
import { FILE_KEY_BYTES, isSealed, MAGIC_BYTES, openingStream, sealingStream } from './storage.encryption.js';
import { assertValidKey } from './storage.keys.js';
import { splitHead, through, toReadable, type ObjectBody } from './storage.streams.js';
import type { GetOptions, ObjectDriver, ObjectStore, PutOptions, StoredObject } from './storage.js';

/**
 * The store every caller gets, whatever the driver: sensitive objects are sealed on the way in, and
 * any sealed object is opened on the way out (recognised by its magic bytes, so a reader need not
 * know how an object was written).
 */
export class EncryptedObjectStore implements ObjectStore {
  constructor(
    private readonly driver: ObjectDriver,
    private readonly fileKey: Buffer,
  ) {
    if (fileKey.length !== FILE_KEY_BYTES) throw new Error(`the file key must be ${FILE_KEY_BYTES} bytes`);
  }

  /** A put that fails destroys `body`, so the caller's file or request stream is not left open. */
  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const source = toReadable(body);
    try {
      assertValidKey(key);
      const { head, body: content } = await splitHead(source, MAGIC_BYTES);
      // Content that happens to start with the magic is sealed too, so that reading it back can
      // never mistake it for an envelope: whatever starts with the magic is always a real one.
      if (!options.sensitive && !isSealed(head)) return await this.driver.put(key, content, options);
      await this.driver.put(key, through(content, sealingStream(this.fileKey, key)), {
        contentType: 'application/octet-stream',
      });
    } catch (err) {
      source.destroy();
      throw err;
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    assertValidKey(key);
    const { head, body } = await splitHead(await this.driver.get(key), MAGIC_BYTES);
    if (isSealed(head)) return through(body, openingStream(this.fileKey, key));
    if (options.sensitive) {
      body.destroy();
      throw new ObjectIntegrityError(key, 'expected an encrypted object, found plaintext');
    }
    return body;
  }

  async exists(key: string): Promise<boolean> {
    return this.driver.exists(assertValidKey(key));
  }

  async delete(key: string): Promise<void> {
    return this.driver.delete(assertValidKey(key));
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.driver.deletePrefix(prefix);
  }

  list(prefix: string): AsyncIterable<StoredObject> {
    return this.driver.list(prefix);
  }
}
