import { randomBytes } from 'node:crypto';
import { SignedTokenCodec } from '../platform/http/signed-token.js';

/** Customer sessions: short-lived HS256 tokens in an HttpOnly cookie; nothing personal inside. */
export interface CustomerSession {
  customerId: string;
  campaignId: string;
  /** Random per login: binds CSRF tokens to this session. */
  sid: string;
  expiresAt: Date;
}

export const CUSTOMER_AUDIENCE = 'owabi:customer';

export class SessionCodec {
  private readonly tokens: SignedTokenCodec;
  constructor(secret: string, ttlMinutes: number, audience = CUSTOMER_AUDIENCE) {
    this.tokens = new SignedTokenCodec(secret, { audience, ttlMinutes });
  }

  async issue(
    customerId: string,
    campaignId: string,
    now: Date,
  ): Promise<{ token: string; session: CustomerSession }> {
    return this.sign(customerId, campaignId, this.newSid(), now);
  }

  /** A random session id: known (and stored as a digest) before the login is judged. */
  newSid(): string {
    return randomBytes(16).toString('base64url');
  }

  /** When a session issued at `now` expires. */
  expiryOf(now: Date): Date {
    return this.tokens.expiryOf(now);
  }

  /** The token of the session `sid`, once the login that opens it succeeded. */
  async sign(
    customerId: string,
    campaignId: string,
    sid: string,
    now: Date,
  ): Promise<{ token: string; session: CustomerSession }> {
    const { token, expiresAt } = await this.tokens.sign(customerId, { cid: campaignId, sid }, now);
    return { token, session: { customerId, campaignId, sid, expiresAt } };
  }

  /** Returns the session, or undefined for anything expired, forged or meant for someone else. */
  async verify(token: string, now: Date): Promise<CustomerSession | undefined> {
    const read = await this.tokens.read(token, now);
    if (!read.ok) return undefined;
    const { cid, sid } = read.claims;
    if (typeof cid !== 'string' || typeof sid !== 'string' || !read.subject) return undefined;
    return { customerId: read.subject, campaignId: cid, sid, expiresAt: read.expiresAt };
  }
}
