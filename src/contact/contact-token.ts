import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { SignedTokenCodec } from '../platform/http/signed-token.js';
import { ACTION_TOKEN_MINUTES } from './contact.messages.js';

/**
 * The proof of an audited look-up: a short-lived token (HS256) bound to the staff member, the
 * customer and an expiry, issued when that staff member opened that customer's record and carried
 * by every contact-centre action on the customer. Its key is derived from STAFF_SESSION_SECRET with
 * HKDF and a label of its own, so neither a staff session nor a customer session fits here.
 */
export const ACTION_AUDIENCE = 'owabi:contact-action';
const HKDF_SALT = 'owabi';
const HKDF_INFO = 'owabi contact-centre action token v1';

export type TokenRefusal = 'missing' | 'invalid' | 'expired' | 'other_staff' | 'other_customer';

export type TokenCheck = { ok: true } | { ok: false; why: TokenRefusal };

export function actionTokenKey(staffSessionSecret: string): KeyObject {
  const raw = hkdfSync('sha256', Buffer.from(staffSessionSecret, 'utf8'), HKDF_SALT, HKDF_INFO, 32);
  return createSecretKey(Buffer.from(raw));
}

export class ContactActionTokens {
  private readonly tokens: SignedTokenCodec;
  constructor(staffSessionSecret: string) {
    this.tokens = new SignedTokenCodec(actionTokenKey(staffSessionSecret), {
      audience: ACTION_AUDIENCE,
      ttlMinutes: ACTION_TOKEN_MINUTES,
      uniqueId: true,
    });
  }

  async issue(staffId: string, customerId: string, now: Date): Promise<string> {
    return (await this.tokens.sign(staffId, { cus: customerId }, now)).token;
  }

  /** Valid, unexpired, for this staff member and this customer — or why not. */
  async check(token: unknown, staffId: string, customerId: string, now: Date): Promise<TokenCheck> {
    if (typeof token !== 'string' || token === '') return { ok: false, why: 'missing' };
    const read = await this.tokens.read(token, now);
    if (!read.ok) return read;
    if (read.subject !== staffId) return { ok: false, why: 'other_staff' };
    if (read.claims.cus !== customerId) return { ok: false, why: 'other_customer' };
    return { ok: true };
  }
}
