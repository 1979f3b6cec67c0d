import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from './config.js';
import type { Database } from './database.js';
import type { Logger } from './logger.js';
import type { ObjectStore } from './storage/storage.js';

/** Everything a request handler or job needs, built once at start and passed down. */
export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  /** Every file (uploads, letters, manifests, reports): shared by all processes, never local disk. */
  store: ObjectStore;
  /** Injectable clock so tests can run deadlines now. */
  now: () => Date;
}
