import type { Redis } from 'ioredis';
import { connectToNode, connectToSentinel } from './redis-connection.js';

/**
 * Every copy of the data: a read that must prove something is gone (the purge's) asks each node,
 * not only the master. With Sentinel the sentinels name the master and its replicas; with one
 * REDIS_URL there is the one node.
 */

export interface NodeVisits {
  /** Nodes read, the master included. */
  visited: number;
  /** Replicas the sentinels list that could not be reached (a dead node keeps its place in the list). */
  unreachable: number;
}

/**
 * How long the writes of the calling connection may take to reach the replicas before they are read.
 * Short: WAIT holds that connection, which a worker shares with its queues.
 */
const REPLICATION_WAIT_MS = 2_000;

interface Replica {
  host: string;
  port: number;
  /** Not called down by the sentinels (a dead node keeps its place in their list). */
  up: boolean;
}

/**
 * Calls `visit` with the master (`redis` itself), then with a connection of its own to each replica.
 * The writes `redis` made before (the purge's deletes) reach the replicas first (WAIT), so a replica
 * never shows what the master no longer holds merely because it lags.
 */
export async function forEachRedisNode(
  redis: Redis,
  visit: (node: Redis) => Promise<void>,
): Promise<NodeVisits> {
  await visit(redis);
  const replicas = redis.options.sentinels ? await replicasOf(redis) : [];
  if (replicas.length === 0) return { visited: 1, unreachable: 0 };
  const up = replicas.filter((r) => r.up).length;
  if (up) await redis.wait(up, REPLICATION_WAIT_MS);
  const visits: NodeVisits = { visited: 1, unreachable: 0 };
  for (const address of replicas) {
    const node = connectToNode(redis, address);
    try {
      const reached = await node.connect().then(
        () => true,
        () => false,
      );
      if (!reached) {
        visits.unreachable++;
        continue;
      }
      await visit(node);
      visits.visited++;
    } finally {
      node.disconnect();
    }
  }
  return visits;
}

/** The replicas of the master group, from the first sentinel that answers. */
async function replicasOf(redis: Redis): Promise<Replica[]> {
  let lastError: unknown;
  for (const sentinel of redis.options.sentinels ?? []) {
    const client = connectToSentinel(redis, sentinel);
    try {
      await client.connect();
      const reply = (await client.call('SENTINEL', 'REPLICAS', redis.options.name!)) as string[][];
      return reply.map(fields).map((r) => ({
        host: r.ip!,
        port: Number(r.port),
        up: !/s_down|o_down/.test(r.flags ?? ''),
      }));
    } catch (err) {
      lastError = err;
    } finally {
      client.disconnect();
    }
  }
  throw lastError ?? new Error('no sentinel to ask');
}

/** A sentinel's flat [name, value, name, value, …] reply as an object. */
function fields(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
