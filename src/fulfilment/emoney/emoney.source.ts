/** A redemption that needs an e-money code. */
export interface EmoneyRequest {
  redemptionId: string;
  campaignId: string;
  brand: string;
  amountYen: number;
}

/**
 * Where gift codes come from. Implementations are idempotent per redemption: asking twice for the
 * same redemption gives the same code, never a second one.
 */
export interface EmoneySource {
  codeFor(req: EmoneyRequest): Promise<string>;
}

/** A failure that retrying cannot fix (a rejected request); anything else is retried. */
export class PermanentIssueError extends Error {}
