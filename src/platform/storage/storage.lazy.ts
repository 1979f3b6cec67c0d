import type { Readable } from 'node:stream';
import { OnFirstUse } from '../on-first-use.js';
import type { ObjectDriver, StoredObject } from './storage.js';

/**
 * A driver made on its first use. The S3 driver pulls in the AWS SDK (~8 MB in each process); a
 * web process that only serves customers never touches a file, so it never loads it. A failed
 * load is not kept: the next call tries again.
 */
export class LazyObjectDriver implements ObjectDriver {
  private readonly driver: OnFirstUse<ObjectDriver>;

  constructor(load: () => Promise<ObjectDriver>) {
    this.driver = new OnFirstUse(load);
  }

  private ready(): Promise<ObjectDriver> {
    return this.driver.get();
  }

  async put(key: string, body: Readable, options: { contentType?: string }): Promise<void> {
    return (await this.ready()).put(key, body, options);
  }

  async get(key: string): Promise<Readable> {
    return (await this.ready()).get(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.ready()).exists(key);
  }

  async delete(key: string): Promise<void> {
    return (await this.ready()).delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    return (await this.ready()).deletePrefix(prefix);
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    yield* (await this.ready()).list(prefix);
  }
}
