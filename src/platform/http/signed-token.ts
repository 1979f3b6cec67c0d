import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';

/**
 * Short-lived signed tokens (JWT, HS256) the service issues to itself: a customer's session, a
 * contact-centre look-up. Each use names its own audience (and usually its own key), so a token made
 * for one use never passes for another; the issuer is the service's for all of them.
 */
const ISSUER = 'owabi';

/*
 * HS256 with node:crypto, synchronously: jose goes through WebCrypto, whose every HMAC is an async
 * job on the thread pool (measured: ~10% of a web process's time on the customer's pages). The
 * tokens are the same compact JWS (RFC 7515/7519) jose writes and reads.
 */
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256' }));
const INVALID: TokenReading = { ok: false, why: 'invalid' };

/** Base64url in its one canonical spelling (no padding, no stray characters), else undefined. */
function strictB64(s: string): Buffer | undefined {
  const buf = Buffer.from(s, 'base64url');
  return buf.toString('base64url') === s ? buf : undefined;
}

function parseObject(buf: Buffer | undefined): JWTPayload | undefined {
  if (!buf) return undefined;
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JWTPayload) : undefined;
  } catch {
    return undefined;
  }
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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
  // A KeyObject made once.
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
    const payload: Record<string, unknown> = {
      ...claims,
      sub: subject,
      iss: ISSUER,
      aud: this.use.audience,
      iat,
      exp,
    };
    if (this.use.uniqueId) payload.jti = randomBytes(12).toString('base64url');
    const signingInput = `${HEADER}.${b64(JSON.stringify(payload))}`;
    return { token: `${signingInput}.${this.mac(signingInput)}`, expiresAt: new Date(exp * 1000) };
  }

  /** When a token signed at `now` expires (whole seconds), known before it is signed. */
  expiryOf(now: Date): Date {
    return new Date((Math.floor(now.getTime() / 1000) + this.use.ttlMinutes * 60) * 1000);
  }

  /**
   * The token's subject and claims, or why not: expired, or anything forged or meant elsewhere.
   * Only the form this codec signs passes: a compact JWS whose header is exactly {"alg":"HS256"},
   * canonical base64url, the HMAC compared in constant time, then the issuer, the audience and the
   * claims `sub`, `iat` and `exp` (expired at exp, no tolerance; a future `nbf` is refused).
   */
  async read(token: string, now: Date): Promise<TokenReading> {
    return Promise.resolve(this.readNow(token, now));
  }

  private readNow(token: string, now: Date): TokenReading {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return INVALID;
    const [, body, signature] = parts as [string, string, string];
    const given = strictB64(signature);
    const expected = createHmac('sha256', this.key).update(`${HEADER}.${body}`).digest();
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return INVALID;
    const claims = parseObject(strictB64(body));
    if (!claims) return INVALID;
    const { sub, iss, aud, iat, exp, nbf } = claims;
    const audiences: unknown[] = Array.isArray(aud) ? aud : [aud];
    if (typeof sub !== 'string' || iss !== ISSUER || !audiences.includes(this.use.audience)) return INVALID;
    if (!isNumericDate(iat) || !isNumericDate(exp) || (nbf !== undefined && !isNumericDate(nbf)))
      return INVALID;
    const seconds = Math.floor(now.getTime() / 1000);
    if (typeof nbf === 'number' && nbf > seconds) return INVALID;
    if (exp <= seconds) return { ok: false, why: 'expired' };
    return { ok: true, subject: sub, claims, expiresAt: new Date(exp * 1000) };
  }

  private mac(signingInput: string): string {
    return createHmac('sha256', this.key).update(signingInput).digest('base64url');
  }
}
