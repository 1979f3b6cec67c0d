import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { Db } from '../platform/database.js';
import { clientKey } from '../platform/http/client-key.js';
import { RateLimited } from './api.errors.js';
import { sendProblem } from './problem.js';
import { countHit, deleteCounter, deleteStaleCounters, uncountHit } from './rate-limit.repo.js';

/**
 * The API's request limits (express-rate-limit) with their counters in PostgreSQL, so that they
 * hold across every web process (and while Redis is down, like the rest of the customer path).
 * Answers carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (draft 6 of the IETF
 * header fields); a refusal is a 429 problem with Retry-After.
 */
export class PostgresRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private digest(key: string): Buffer {
    return createHash('sha256').update(`${this.prefix}:${key}`, 'utf8').digest();
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const at = this.now().getTime();
    const windowStart = new Date(at - (at % this.windowMs));
    const counted = await countHit(this.db, this.digest(key), windowStart);
    // Now and then, the counters of windows long over go (one indexed-free delete, rarely).
    if (Math.random() < 0.001) await deleteStaleCounters(this.db, new Date(at - 10 * this.windowMs));
    return { totalHits: counted.hits, resetTime: new Date(counted.windowStart.getTime() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await uncountHit(this.db, this.digest(key));
  }

  async resetKey(key: string): Promise<void> {
    await deleteCounter(this.db, this.digest(key));
  }
}

export interface LimitOptions {
  db: Db;
  now: () => Date;
  /** Requests per minute. */
  limit: number;
  prefix: string;
  key: (req: Request) => string;
  skip?: (req: Request) => boolean;
  /** Counts only requests this says failed: each is counted first and taken back once it succeeded. */
  succeeded?: (req: Request, res: Response) => boolean;
}

export function apiRateLimit(o: LimitOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: o.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    store: new PostgresRateLimitStore(o.db, o.now, o.prefix),
    keyGenerator: (req) => o.key(req),
    skip: (req) => o.skip?.(req) ?? false,
    ...(o.succeeded ? { skipSuccessfulRequests: true, requestWasSuccessful: o.succeeded } : {}),
    // Our key generators already fold IPv6 to a /64 (clientKey); trust proxy is set by the app.
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
    handler: (req, res) => sendProblem(req, res, RateLimited()),
  });
}

/** The key of an unauthenticated caller: its address (an IPv6 /64 as one). */
export const clientOf = (req: Request) => clientKey(req.ip ?? 'unknown');
