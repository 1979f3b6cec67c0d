import type { ObjectBody, ObjectStore, PutOptions } from '../platform/storage/storage.js';

/** Files the erasure domain and the purge write (exports, reports): objects in the store. */

/**
 * Stores a new object, never replacing one: a name already taken gets -2, -3 … Returns its key.
 * `keyOf` turns a file name into its key (the folder it lives in).
 */
export async function putNewObject(
  store: ObjectStore,
  keyOf: (name: string) => string,
  name: { base: string; ext: string },
  content: ObjectBody,
  options: PutOptions = {},
): Promise<string> {
  for (let n = 1; ; n++) {
    const key = keyOf(`${name.base}${n > 1 ? `-${n}` : ''}${name.ext}`);
    if (await store.exists(key)) continue;
    await store.put(key, content, options);
    return key;
  }
}
