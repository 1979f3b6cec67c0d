import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/** Operators' sessions: a different audience and cookie from customers', so neither fits the other. */
export const STAFF_AUDIENCE = 'owabi:staff';

export interface StaffSession {
  staffId: string;
  sid: string;
  /** The second factor was checked in this session. */
  mfa: boolean;
  expiresAt: Date;
}

export class StaffSessionCodec {
  // A KeyObject made once: jose would otherwise import a WebCrypto key on every sign and verify.
  private readonly key: KeyObject;
  constructor(
    secret: string,
    private readonly ttlMinutes: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async issue(staffId: string, mfa: boolean, now: Date, sid = randomBytes(16).toString('base64url')) {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlMinutes * 60;
    const token = await new SignJWT({ sid, mfa })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staffId)
      .setIssuer('owabi')
      .setAudience(STAFF_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, session: { staffId, sid, mfa, expiresAt: new Date(exp * 1000) } };
  }

  async verify(token: string, now: Date): Promise<StaffSession | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: 'owabi',
        audience: STAFF_AUDIENCE,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sid !== 'string' || typeof payload.mfa !== 'boolean' || !payload.sub)
        return undefined;
      return {
        staffId: payload.sub,
        sid: payload.sid,
        mfa: payload.mfa,
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError) return undefined;
      throw e;
    }
  }
}
