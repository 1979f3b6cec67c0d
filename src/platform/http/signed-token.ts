import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/**
 * Short-lived signed tokens (JWT, HS256) the service issues to itself: a customer's session, a
 * contact-centre look-up. Each use names its own audience (and usually its own key), so a token made
 * for one use never passes for another; the issuer is the service's for all of them.
 */
const ISSUER = 'owabi';
const ALGORITHMS = ['HS256'];

export interface SignedTokenUse {
  /** What the token is for: checked on every read. */
  audience: string;
  /** From issue to expiry. */
  ttlMinutes: number;
  /** Adds a random `jti`, so that two tokens issued in the same second differ. */
  uniqueId?: boolean;
}

export type TokenReading =
  | { ok: true; subject: string; claims: JWTPayload; expiresAt: Date }
  | { ok: false; why: 'invalid' | 'expired' };

export class SignedTokenCodec {
  // A KeyObject made once: jose would otherwise import a WebCrypto key on every sign and verify.
  private readonly key: KeyObject;
  constructor(
    key: string | KeyObject,
    private readonly use: SignedTokenUse,
  ) {
    this.key = typeof key === 'string' ? createSecretKey(Buffer.from(key, 'utf8')) : key;
  }

  /** A token for `subject` with these claims, issued at `now` (whole seconds). */
  async sign(
    subject: string,
    claims: Record<string, unknown>,
    now: Date,
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = this.expiryOf(now).getTime() / 1000;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(this.use.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (this.use.uniqueId) jwt.setJti(randomBytes(12).toString('base64url'));
    return { token: await jwt.sign(this.key), expiresAt: new Date(exp * 1000) };
  }

  /** When a token signed at `now` expires (whole seconds), known before it is signed. */
  expiryOf(now: Date): Date {
    return new Date((Math.floor(now.getTime() / 1000) + this.use.ttlMinutes * 60) * 1000);
  }

  /** The token's subject and claims, or why not: expired, or anything forged or meant elsewhere. */
  async read(token: string, now: Date): Promise<TokenReading> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ALGORITHMS,
        issuer: ISSUER,
        audience: this.use.audience,
        currentDate: now,
        clockTolerance: 0,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      // `sub` is required above; what it must equal, each use decides.
      return { ok: true, subject: payload.sub!, claims: payload, expiresAt: new Date(payload.exp! * 1000) };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, why: 'expired' };
      if (e instanceof joseErrors.JOSEError) return { ok: false, why: 'invalid' };
      throw e;
    }
  }
}
