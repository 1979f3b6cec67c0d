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

/** Tokens this process verified or signed and still remembers; the oldest are forgotten first. */
const REMEMBERED_TOKENS = 20_000;

export class SessionCodec {
  private readonly tokens: SignedTokenCodec;
  /**
   * Tokens already verified (or signed here), exactly as presented, with what they say. A customer's
   * every page carries the same token, and jose's HMAC runs as a WebCrypto job on the thread pool
   * (about a tenth of a web process's time on customer pages): the same bytes verify the same way
   * every time, so only the expiry is checked again. A token differing in any byte is not found here
   * and goes to jose. Whether the session still lives is never cached: the page's query checks it.
   */
  private readonly verified = new Map<string, CustomerSession>();
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
    const session = { customerId, campaignId, sid, expiresAt };
    this.remember(token, session);
    return { token, session };
  }

  /** Returns the session, or undefined for anything expired, forged or meant for someone else. */
  async verify(token: string, now: Date): Promise<CustomerSession | undefined> {
    const known = this.verified.get(token);
    // jose's rule (clockTolerance 0): a token is expired from its `exp` second on.
    if (known) return now.getTime() < known.expiresAt.getTime() ? { ...known } : undefined;
    const read = await this.tokens.read(token, now);
    if (!read.ok) return undefined;
    const { cid, sid } = read.claims;
    if (typeof cid !== 'string' || typeof sid !== 'string' || !read.subject) return undefined;
    const session = { customerId: read.subject, campaignId: cid, sid, expiresAt: read.expiresAt };
    this.remember(token, session);
    return { ...session };
  }

  private remember(token: string, session: CustomerSession): void {
    if (this.verified.size >= REMEMBERED_TOKENS) {
      // Map keeps insertion order: the first key is the oldest remembered.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { ...session });
  }
}
