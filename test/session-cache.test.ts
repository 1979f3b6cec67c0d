import { describe, expect, it, vi } from 'vitest';
import { SessionCodec } from '../src/auth/session.js';
import { SignedTokenCodec } from '../src/platform/http/signed-token.js';

/**
 * Issue 13: a customer's pages carry the same session token; it is verified by jose once per web
 * process, then remembered exactly as presented. What a remembered token may not do: outlive its
 * expiry, or vouch for a token that differs from it in any byte.
 */
const SECRET = 'a-session-secret-of-thirty-two-bytes!';
const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + s * 1000);

describe('customer session tokens, remembered once verified', () => {
  it('verifies a token with jose once, then answers from memory', async () => {
    const signer = new SessionCodec(SECRET, 30);
    const reader = new SessionCodec(SECRET, 30);
    const { token, session } = await signer.issue('42', '7', at(0));
    const read = vi.spyOn(SignedTokenCodec.prototype, 'read');
    try {
      expect(await reader.verify(token, at(1))).toEqual(session);
      expect(await reader.verify(token, at(2))).toEqual(session);
      expect(await signer.verify(token, at(3))).toEqual(session); // signed here: known already
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      read.mockRestore();
    }
  });

  it('refuses a remembered token from its expiry second on, as jose does', async () => {
    const codec = new SessionCodec(SECRET, 30);
    const { token, session } = await codec.issue('42', '7', at(0));
    expect(await codec.verify(token, at(60))).toEqual(session);
    expect(await codec.verify(token, new Date(session.expiresAt.getTime() - 1))).toEqual(session);
    expect(await codec.verify(token, session.expiresAt)).toBeUndefined();
    expect(await new SessionCodec(SECRET, 30).verify(token, session.expiresAt)).toBeUndefined();
  });

  it('does not vouch for a token differing in one byte, nor for another key or audience', async () => {
    const codec = new SessionCodec(SECRET, 30);
    const { token } = await codec.issue('42', '7', at(0));
    expect(await codec.verify(token, at(1))).toBeDefined();
    // A character inside the signature (the last one also carries padding bits jose ignores).
    const i = token.length - 10;
    const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(await codec.verify(flipped, at(1))).toBeUndefined();
    const [head, , sig] = token.split('.');
    const body = Buffer.from(JSON.stringify({ sub: '43', cid: '7', sid: 'x', iat: 1, exp: 9e9 })).toString(
      'base64url',
    );
    expect(await codec.verify(`${head}.${body}.${sig}`, at(1))).toBeUndefined();
    expect(await new SessionCodec(`${SECRET}-other`, 30).verify(token, at(1))).toBeUndefined();
    expect(await new SessionCodec(SECRET, 30, 'owabi:other').verify(token, at(1))).toBeUndefined();
  });

  it('hands out copies: a caller changing its session changes nothing remembered', async () => {
    const codec = new SessionCodec(SECRET, 30);
    const { token, session } = await codec.issue('42', '7', at(0));
    const first = await codec.verify(token, at(1));
    first!.customerId = '99';
    expect(await codec.verify(token, at(2))).toEqual(session);
  });
});
