import type { Readable } from 'node:stream';
import type { ObjectBody } from './storage.streams.js';

export type { ObjectBody } from './storage.streams.js';
export { ObjectIntegrityError, ObjectNotFound, InvalidObjectKey } from './storage.errors.js';
export { campaignObjectKey, campaignPrefix, objectKey } from './storage.keys.js';

/**
 * Where Owabi keeps its files (uploaded customer CSVs, letter print files, manifests, reports,
 * exports): a local folder or an S3-compatible bucket, the same for every process on every machine.
 * Keys are slash-separated (see storage.keys.ts); a campaign's objects live under
 * `campaignPrefix(id)`, so the purge can list and delete them together.
 */
export interface ObjectStore {
  /** Streams `body` in; the object appears whole or not at all. Replaces an object of the same key. */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<void>;
  /**
   * Streams an object out; throws ObjectNotFound when there is none. An encrypted object is
   * decrypted on the way and the stream ERRORS (ObjectIntegrityError) when it was altered: treat
   * any stream error as "file invalid" and discard what was already read.
   */
  get(key: string, options?: GetOptions): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Deletes one object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object under `prefix` (a folder: `campaigns/42/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Every object under `prefix` ('' for all), in no particular order; `size` is bytes at rest. */
  list(prefix: string): AsyncIterable<StoredObject>;
}

export interface PutOptions {
  /** Login keys, personal data: encrypted before the bytes leave the process. */
  sensitive?: boolean;
  contentType?: string;
}

export interface GetOptions {
  /** Refuse an object that is not encrypted (a reader of login keys expects ciphertext at rest). */
  sensitive?: boolean;
}

export interface StoredObject {
  key: string;
  size: number;
}

/**
 * What a storage backend does, below encryption: bytes in, bytes out. Only EncryptedObjectStore
 * uses a driver, so no caller can hand a sensitive object to one unencrypted.
 */
export interface ObjectDriver {
  put(key: string, body: Readable, options: { contentType?: string }): Promise<void>;
  get(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): AsyncIterable<StoredObject>;
}
