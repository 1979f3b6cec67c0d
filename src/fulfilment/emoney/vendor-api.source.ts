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

/**
 * The gift-card vendor's issuing API. Every request for one redemption carries the same
 * Idempotency-Key, so a retry after a timeout, a crash or a duplicate answer gets the same code.
 */
export class VendorApiSource implements EmoneySource {
  constructor(private readonly opts: VendorApiOptions) {}

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
    const res = await fetch(new URL('/v1/gift-codes', this.opts.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `owabi-redemption-${req.redemptionId}`,
      },
      body: JSON.stringify({ brand: req.brand, amountYen: req.amountYen, reference: req.redemptionId }),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    });
    if (res.status >= 400 && res.status < 500 && res.status !== 409 && res.status !== 429) {
      throw new PermanentIssueError(`vendor refused the request (${res.status})`);
    }
    if (!res.ok) throw new Error(`vendor answered ${res.status}`);
    const parsed = IssuedSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error('vendor answered without a valid code');
    return parsed.data.code;
  }
}
