import type { Kysely } from 'kysely';
import type { Database } from '../../platform/database.js';
import { allocateEmoneyCode, findEmoneyCode } from '../../pools/emoney-codes.repo.js';
import type { EmoneyRequest, EmoneySource } from './emoney.source.js';

/**
 * Pre-purchased codes. The web allocates one in the redemption's own transaction, so normally the
 * code is already there; otherwise (a pool refilled later) one is allocated now.
 */
export class PoolSource implements EmoneySource {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  async codeFor(req: EmoneyRequest): Promise<string> {
    const existing = await findEmoneyCode(this.db, req.redemptionId);
    if (existing) return existing;
    const code = await this.db
      .transaction()
      .execute(
        async (trx) =>
          (await findEmoneyCode(trx, req.redemptionId)) ??
          allocateEmoneyCode(trx, req.campaignId, req.brand, req.redemptionId, this.now()),
      );
    if (!code) throw new Error(`e-money pool for brand ${req.brand} is empty`);
    return code;
  }
}
