import { createHash, randomBytes } from 'node:crypto';
import type { Campaign } from '../campaigns/campaign.service.js';
import { isValidRegistrationCode, keyedHash } from '../customers/codes.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { judgeAttempt, type SessionOnSuccess } from './auth.repo.js';
import { clientKey } from '../platform/http/client-key.js';
import type { LoginForm } from './auth.schema.js';
import { LoginFailed, LoginLocked, LoginThrottled } from './auth.errors.js';

type AuthConfig = Pick<
  Config,
  'LOGIN_KEY_PEPPER' | 'LOCKOUT_FAILURES' | 'LOCKOUT_MINUTES' | 'CLIENT_FAILURES_PER_MINUTE'
>;

/**
 * Checks a registration code + login key in one statement (see judgeAttempt): it compares the key,
 * counts the attempt against the client's and the code's throttle rows (locked, so of N
 * simultaneous guesses the k-th counts k), records it (never the key) and, given `session`, opens
 * the session on success. Throttles per client (an IPv4 address or an IPv6 /64)
 * and locks per code; fails with one neutral message that does not say which half was wrong. Known
 * and unknown codes cost the same: the same hashes, the same statements.
 */
export async function login(
  db: Db,
  config: AuthConfig,
  campaign: Campaign,
  form: LoginForm,
  clientIp: string,
  now: Date,
  session: SessionOnSuccess | null = null,
): Promise<{ customerId: string }> {
  const pepper = config.LOGIN_KEY_PEPPER;
  const codeDigest = keyedHash(pepper, `code:${campaign.id}:${form.registrationCode}`);
  const clientDigest = keyedHash(pepper, `client:${clientKey(clientIp)}`);
  const nonce = randomBytes(16);
  const presented = keyedHash(pepper, form.loginKey);
  // The (limit + 1)-th failure in a window is the first refused.
  const verdict = await judgeAttempt(
    db,
    {
      campaignId: campaign.id,
      codeDigest,
      clientDigest,
      registrationCode: isValidRegistrationCode(form.registrationCode) ? form.registrationCode : null,
      presentedDigest: createHash('sha256').update(presented).update(nonce).digest(),
      nonce,
      at: now,
      minuteAgo: new Date(now.getTime() - 60_000),
      lockWindowStart: new Date(now.getTime() - config.LOCKOUT_MINUTES * 60_000),
      clientLimit: config.CLIENT_FAILURES_PER_MINUTE,
      codeLimit: config.LOCKOUT_FAILURES,
    },
    session,
  );
  if (verdict.outcome === 'throttled') throw LoginThrottled();
  if (verdict.outcome === 'locked') throw LoginLocked(config.LOCKOUT_MINUTES, campaign.def.contactCentre);
  if (verdict.outcome !== 'success' || !verdict.customerId) throw LoginFailed();
  return { customerId: verdict.customerId };
}
