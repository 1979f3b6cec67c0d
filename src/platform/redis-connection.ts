import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

/**
 * Every connection the service makes to Redis is built here: to one node (REDIS_URL), or to the
 * master of a Sentinel group (REDIS_SENTINELS + REDIS_SENTINEL_MASTER), which ioredis follows to
 * the replica the sentinels promote when the master fails.
 */

export type RedisConfig = Pick<
  Config,
  | 'REDIS_URL'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_MASTER'
  | 'REDIS_SENTINEL_PASSWORD'
  | 'REDIS_PASSWORD'
  | 'REDIS_PREFIX'
>;

/** How each user of a connection lives through Redis being away (each as it always had it). */
const PURPOSE_OPTIONS = {
  /** Producers, probes and metrics fail fast while Redis is down: the outbox keeps the work. */
  queues: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 },
  /** BullMQ's workers wait through an outage (BullMQ requires null for its blocking commands). */
  worker: { maxRetriesPerRequest: null },
  /** A command-line run connects only when its job needs Redis (the purge's checks). */
  cli: { lazyConnect: true, maxRetriesPerRequest: 1 },
  /** One node read once, directly (a replica, for the purge's proof): no retries, no reconnects. */
  node: { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null },
} satisfies Record<string, RedisOptions>;
export type RedisPurpose = keyof typeof PURPOSE_OPTIONS;

/** A node's READONLY answer means it was demoted under us: reconnect (to the new master) and resend. */
const DEMOTED = /^READONLY/;

/** Where Redis is and how to log in: the sentinels and the master's name, or only the nodes' password. */
export function redisOptions(config: RedisConfig): RedisOptions {
  const password = config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {};
  if (!config.REDIS_SENTINELS) return password; // the rest is in REDIS_URL, whose own password wins
  return {
    ...password,
    sentinels: config.REDIS_SENTINELS,
    name: config.REDIS_SENTINEL_MASTER,
    ...(config.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: config.REDIS_SENTINEL_PASSWORD } : {}),
    // A failover takes seconds: asking the sentinels again every half second finds the new master
    // promptly, where the default backoff (up to 5 s) would keep every queue waiting after it.
    retryStrategy: (attempt: number) =>
      Math.min(50 * 2 ** (attempt - 1), 500) + Math.floor(Math.random() * 100),
    reconnectOnError: (err: Error) => (DEMOTED.test(err.message) ? 2 : false),
  };
}

/** REDIS_PREFIX's default (src/platform/config.ts). */
export const DEFAULT_REDIS_PREFIX = '{owabi}';

/** Key prefixes of the connections made here: code that reaches keys itself must agree with the queues. */
const prefixes = new WeakMap<Redis, string>();

/** A connection for `purpose`; its errors are reported by its users (relay, /readyz, worker log), once. */
export function createRedis(config: RedisConfig, purpose: Exclude<RedisPurpose, 'node'>): Redis {
  const options = { ...redisOptions(config), ...PURPOSE_OPTIONS[purpose] };
  const redis = config.REDIS_SENTINELS ? new Redis(options) : new Redis(config.REDIS_URL!, options);
  redis.on('error', () => undefined);
  prefixes.set(redis, config.REDIS_PREFIX);
  return redis;
}

/**
 * The key prefix of the deployment `redis` was made for (REDIS_PREFIX). A connection made elsewhere
 * (a test's own) has the default.
 */
export function keyPrefixOf(redis: Redis): string {
  return prefixes.get(redis) ?? DEFAULT_REDIS_PREFIX;
}

/** A direct connection to one node of the deployment `of` reaches, logging in as `of` does. */
export function connectToNode(of: Redis, node: { host: string; port: number }): Redis {
  const { username, password, tls } = of.options;
  const redis = new Redis({
    host: node.host,
    port: node.port,
    username,
    password,
    tls,
    ...PURPOSE_OPTIONS.node,
  });
  redis.on('error', () => undefined);
  prefixes.set(redis, keyPrefixOf(of));
  return redis;
}

/** A connection to one sentinel of the group `of` follows, logging in as `of` does to sentinels. */
export function connectToSentinel(of: Redis, sentinel: { host?: string; port?: number }): Redis {
  const { sentinelUsername, sentinelPassword, sentinelTLS, enableTLSForSentinelMode } = of.options;
  const redis = new Redis({
    host: sentinel.host ?? 'localhost',
    port: sentinel.port ?? 26379,
    username: sentinelUsername,
    password: sentinelPassword,
    ...(enableTLSForSentinelMode ? { tls: sentinelTLS } : {}),
    ...PURPOSE_OPTIONS.node,
  });
  redis.on('error', () => undefined);
  return redis;
}
