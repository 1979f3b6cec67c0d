import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ACTION_TOKEN_MINUTES } from './contact.messages.js';

/**
 * The proof of an audited look-up: a short-lived token (HS256) bound to the staff member, the
 * customer and an expiry, issued when that staff member opened that customer's record and carried
 * by every contact-centre action on the customer. Its key is derived from STAFF_SESSION_SECRET with
 * HKDF and a label of its own, so neither a staff session nor a customer session fits here.
 */
const ISSUER = 'owabi';
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
  private readonly key: KeyObject;
  constructor(staffSessionSecret: string) {
    this.key = actionTokenKey(staffSessionSecret);
  }

  async issue(staffId: string, customerId: string, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ cus: customerId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staffId)
      .setIssuer(ISSUER)
      .setAudience(ACTION_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACTION_TOKEN_MINUTES * 60)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.key);
  }

  /** Valid, unexpired, for this staff member and this customer — or why not. */
  async check(token: unknown, staffId: string, customerId: string, now: Date): Promise<TokenCheck> {
    if (typeof token !== 'string' || token === '') return { ok: false, why: 'missing' };
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: ACTION_AUDIENCE,
        currentDate: now,
        clockTolerance: 0,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (payload.sub !== staffId) return { ok: false, why: 'other_staff' };
      if (payload.cus !== customerId) return { ok: false, why: 'other_customer' };
      return { ok: true };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, why: 'expired' };
      if (e instanceof joseErrors.JOSEError) return { ok: false, why: 'invalid' };
      throw e;
    }
  }
}
