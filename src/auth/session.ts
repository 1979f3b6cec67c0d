import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/** Customer sessions: short-lived HS256 tokens in an HttpOnly cookie; nothing personal inside. */
export interface CustomerSession {
  customerId: string;
  campaignId: string;
  /** Random per login: binds CSRF tokens to this session. */
  sid: string;
  expiresAt: Date;
}

const ISSUER = 'owabi';
export const CUSTOMER_AUDIENCE = 'owabi:customer';
const ALGORITHMS = ['HS256'];

export class SessionCodec {
  // A KeyObject made once: jose would otherwise import a WebCrypto key on every sign and verify.
  private readonly key: KeyObject;
  constructor(
    secret: string,
    private readonly ttlMinutes: number,
    private readonly audience = CUSTOMER_AUDIENCE,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async issue(
    customerId: string,
    campaignId: string,
    now: Date,
  ): Promise<{ token: string; session: CustomerSession }> {
    const sid = randomBytes(16).toString('base64url');
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlMinutes * 60;
    const token = await new SignJWT({ cid: campaignId, sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customerId)
      .setIssuer(ISSUER)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, session: { customerId, campaignId, sid, expiresAt: new Date(exp * 1000) } };
  }

  /** Returns the session, or undefined for anything expired, forged or meant for someone else. */
  async verify(token: string, now: Date): Promise<CustomerSession | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ALGORITHMS,
        issuer: ISSUER,
        audience: this.audience,
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.cid !== 'string' || typeof payload.sid !== 'string' || !payload.sub)
        return undefined;
      return {
        customerId: payload.sub,
        campaignId: payload.cid,
        sid: payload.sid,
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError) return undefined;
      throw e;
    }
  }
}
