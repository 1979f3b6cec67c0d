import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import type { EmoneyRequest, EmoneySource } from './emoney.source.js';
import { PermanentIssueError } from './emoney.source.js';

const IssuedSchema = z.object({ code: z.string().min(4).max(128) });

export interface VendorApiOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Attempts within one job run; the queue retries the job on top of these. */
  attempts?: number;
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface VendorAnswer {
  status: number;
  body: string;
}

/**
 * The gift-card vendor's issuing API. Every request for one redemption carries the same
 * Idempotency-Key, so a retry after a timeout, a crash or a duplicate answer gets the same code.
 *
 * Plain node:http(s) with kept-alive connections rather than fetch: a worker makes hundreds of
 * these calls a second, and fetch's streams, abort signals and request clones cost more CPU than
 * the rest of a gift's fulfilment (measured: fetch was ~12 % of a worker's busy time).
 */
export class VendorApiSource implements EmoneySource {
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;

  constructor(private readonly opts: VendorApiOptions) {
    this.url = new URL('/v1/gift-codes', opts.baseUrl);
    this.transport = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true });
  }

  async codeFor(req: EmoneyRequest): Promise<string> {
    const attempts = this.opts.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.requestOnce(req);
      } catch (e) {
        if (e instanceof PermanentIssueError) throw e;
        lastError = e;
        if (attempt < attempts) await sleep((this.opts.backoffMs ?? 100) * 2 ** (attempt - 1));
      }
    }
    throw new Error(`vendor did not issue a code after ${attempts} attempts`, { cause: lastError });
  }

  private async requestOnce(req: EmoneyRequest): Promise<string> {
    const res = await this.post(
      `owabi-redemption-${req.redemptionId}`,
      JSON.stringify({ brand: req.brand, amountYen: req.amountYen, reference: req.redemptionId }),
    );
    if (res.status >= 400 && res.status < 500 && res.status !== 409 && res.status !== 429) {
      throw new PermanentIssueError(`vendor refused the request (${res.status})`);
    }
    if (res.status < 200 || res.status > 299) throw new Error(`vendor answered ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      throw new Error('vendor answered without a valid code');
    }
    const parsed = IssuedSchema.safeParse(json);
    if (!parsed.success) throw new Error('vendor answered without a valid code');
    return parsed.data.code;
  }

  /** One POST, its whole answer within `timeoutMs` (connection, headers and body). */
  private post(idempotencyKey: string, body: string): Promise<VendorAnswer> {
    return new Promise((resolve, reject) => {
      const request = this.transport.request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': idempotencyKey,
        },
      });
      const timer = setTimeout(
        () => request.destroy(new Error(`vendor did not answer within ${this.opts.timeoutMs} ms`)),
        this.opts.timeoutMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      request.on('error', fail);
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('vendor connection closed mid-answer')));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end(body);
    });
  }
}
