import type { Campaign } from '../campaigns/campaign.service.js';
import { hashesEqual, isValidRegistrationCode, keyedHash } from '../customers/codes.js';
import { findCustomerForLogin } from '../customers/customer.repo.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import {
  countRecentClientFailures,
  countRecentCodeFailures,
  recordPendingAttempt,
  settleAttempt,
} from './auth.repo.js';
import { clientKey } from '../platform/http/client-key.js';
import type { LoginForm } from './auth.schema.js';
import { LoginFailed, LoginLocked, LoginThrottled } from './auth.errors.js';

type AuthConfig = Pick<
  Config,
  'LOGIN_KEY_PEPPER' | 'LOCKOUT_FAILURES' | 'LOCKOUT_MINUTES' | 'CLIENT_FAILURES_PER_MINUTE'
>;

// Compared against when the code is unknown, so both paths cost the same.
const DUMMY_HASH = Buffer.alloc(32);

/**
 * Checks a registration code + login key. Records the attempt first (never the key), then counts,
 * so concurrent guesses cannot all slip under the limits; throttles per client (an IPv4 address or
 * an IPv6 /64) and locks per code; fails with one neutral message that does not say which half was
 * wrong.
 */
export async function login(
  db: Db,
  config: AuthConfig,
  campaign: Campaign,
  form: LoginForm,
  clientIp: string,
  now: Date,
): Promise<{ customerId: string }> {
  const pepper = config.LOGIN_KEY_PEPPER;
  const codeDigest = keyedHash(pepper, `code:${campaign.id}:${form.registrationCode}`);
  const clientDigest = keyedHash(pepper, `client:${clientKey(clientIp)}`);
  const attemptId = await recordPendingAttempt(db, {
    campaign_id: campaign.id,
    code_digest: codeDigest,
    client_digest: clientDigest,
    at: now,
  });

  // Both counts include this attempt: the (limit + 1)-th is the first refused.
  const minuteAgo = new Date(now.getTime() - 60_000);
  const lockWindowStart = new Date(now.getTime() - config.LOCKOUT_MINUTES * 60_000);
  const [clientFailures, codeFailures] = await Promise.all([
    countRecentClientFailures(db, clientDigest, minuteAgo),
    countRecentCodeFailures(db, codeDigest, lockWindowStart),
  ]);
  if (clientFailures > config.CLIENT_FAILURES_PER_MINUTE) {
    await settleAttempt(db, attemptId, 'throttled');
    throw LoginThrottled();
  }
  if (codeFailures > config.LOCKOUT_FAILURES) {
    await settleAttempt(db, attemptId, 'locked');
    throw LoginLocked(config.LOCKOUT_MINUTES, campaign.def.contactCentre);
  }

  const customer = isValidRegistrationCode(form.registrationCode)
    ? await findCustomerForLogin(db, campaign.id, form.registrationCode)
    : undefined;
  const presented = keyedHash(pepper, form.loginKey);
  const matches = hashesEqual(customer?.login_key_hash ?? DUMMY_HASH, presented) && customer !== undefined;
  if (!matches) {
    await settleAttempt(db, attemptId, 'failure', customer?.id ?? null);
    throw LoginFailed();
  }
  await settleAttempt(db, attemptId, 'success', customer.id);
  return { customerId: customer.id };
}
