import type { Generated } from 'kysely';

export type LoginOutcome = 'success' | 'failure' | 'locked' | 'throttled';

export interface LoginAttemptTable {
  id: Generated<string>;
  campaign_id: string;
  customer_id: string | null;
  code_digest: Buffer;
  client_digest: Buffer;
  outcome: LoginOutcome;
  at: Generated<Date>;
}
