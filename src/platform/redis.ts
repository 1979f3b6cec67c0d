import { Redis } from 'ioredis';

/** A client for the web process: fails fast so that a Redis outage never holds up a customer. */
export function createRedis(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
}
