import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/database.js';
import type { EmoneySources } from '../fulfilment.service.js';
import { PoolSource } from './pool.source.js';
import { VendorApiSource } from './vendor-api.source.js';

export function createEmoneySources(
  config: Pick<Config, 'EMONEY_VENDOR_URL' | 'EMONEY_VENDOR_TIMEOUT_MS'>,
  db: Kysely<Database>,
  now: () => Date,
): EmoneySources {
  return {
    pool: new PoolSource(db, now),
    vendor: config.EMONEY_VENDOR_URL
      ? new VendorApiSource({ baseUrl: config.EMONEY_VENDOR_URL, timeoutMs: config.EMONEY_VENDOR_TIMEOUT_MS })
      : undefined,
  };
}
