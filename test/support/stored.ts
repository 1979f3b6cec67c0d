import { buffer } from 'node:stream/consumers';
import type { ObjectStore } from '../../src/platform/storage/storage.js';

/** The object store as tests look at it: what a file holds, whether it is there, what a prefix holds. */

/** `sensitive`: refuse (throw) unless the object is encrypted at rest. */
export async function storedBytes(store: ObjectStore, key: string, sensitive = false): Promise<Buffer> {
  return buffer(await store.get(key, { sensitive }));
}

export async function storedText(store: ObjectStore, key: string, sensitive = false): Promise<string> {
  return (await storedBytes(store, key, sensitive)).toString('utf8');
}

/** Every key under `prefix` (a folder ending in '/'), sorted. */
export async function storedKeys(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list(prefix)) keys.push(key);
  return keys.sort();
}
