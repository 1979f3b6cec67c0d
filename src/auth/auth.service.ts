import type { Campaign } from '../campaigns/campaign.service.js';
import { hashesEqual, isValidRegistrationCode, keyedHash } from '../customers/codes.js';
import { findCustomerForLogin } from '../customers/customer.repo.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { AppError } from '../platform/errors.js';
import { countRecentClientFailures, countRecentCodeFailures, recordLoginAttempt } from './auth.repo.js';
import type { LoginForm } from './auth.schema.js';

export const NEUTRAL_LOGIN_FAILURE =
  'ご登録用コードまたはログインキーが正しくありません。お手元の書面をご確認のうえ、もう一度入力してください。';

type AuthConfig = Pick<
  Config,
  'LOGIN_KEY_PEPPER' | 'LOCKOUT_FAILURES' | 'LOCKOUT_MINUTES' | 'CLIENT_FAILURES_PER_MINUTE'
>;

// Compared against when the code is unknown, so both paths cost the same.
const DUMMY_HASH = Buffer.alloc(32);

export function lockedMessage(campaign: Campaign, minutes: number): string {
  const cc = campaign.def.contactCentre;
  return `ログインに続けて失敗したため、このご登録用コードでのログインを一時的に停止しています。${minutes}分ほど時間をおいてから再度お試しいただくか、${cc.name}（フリーダイヤル ${cc.freeDial}）までご連絡ください。`;
}

export const THROTTLED_MESSAGE = 'ログインの試行が多すぎます。しばらく時間をおいてから再度お試しください。';

/**
 * Checks a registration code + login key. Throttles per client and locks per code, records every
 * attempt (never the key), and fails with one neutral message that does not say which half was wrong.
 */
export async function login(
  db: Db,
  config: AuthConfig,
  campaign: Campaign,
  form: LoginForm,
  clientId: string,
  now: Date,
): Promise<{ customerId: string }> {
  const pepper = config.LOGIN_KEY_PEPPER;
  const codeDigest = keyedHash(pepper, `code:${campaign.id}:${form.registrationCode}`);
  const clientDigest = keyedHash(pepper, `client:${clientId}`);
  const record = (
    outcome: 'success' | 'failure' | 'locked' | 'throttled',
    customerId: string | null = null,
  ) =>
    recordLoginAttempt(db, {
      campaign_id: campaign.id,
      customer_id: customerId,
      code_digest: codeDigest,
      client_digest: clientDigest,
      outcome,
      at: now,
    });

  const minuteAgo = new Date(now.getTime() - 60_000);
  const lockWindowStart = new Date(now.getTime() - config.LOCKOUT_MINUTES * 60_000);
  const [clientFailures, codeFailures] = await Promise.all([
    countRecentClientFailures(db, clientDigest, minuteAgo),
    countRecentCodeFailures(db, codeDigest, lockWindowStart),
  ]);
  if (clientFailures >= config.CLIENT_FAILURES_PER_MINUTE) {
    await record('throttled');
    throw new AppError('throttled', THROTTLED_MESSAGE);
  }
  if (codeFailures.failures >= config.LOCKOUT_FAILURES) {
    await record('locked');
    throw new AppError('locked', lockedMessage(campaign, config.LOCKOUT_MINUTES));
  }

  const customer = isValidRegistrationCode(form.registrationCode)
    ? await findCustomerForLogin(db, campaign.id, form.registrationCode)
    : undefined;
  const presented = keyedHash(pepper, form.loginKey);
  const matches = hashesEqual(customer?.login_key_hash ?? DUMMY_HASH, presented) && customer !== undefined;
  if (!matches) {
    await record('failure', customer?.id ?? null);
    throw new AppError('unauthenticated', NEUTRAL_LOGIN_FAILURE);
  }
  await record('success', customer.id);
  return { customerId: customer.id };
}
