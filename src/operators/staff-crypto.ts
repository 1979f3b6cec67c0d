import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * TOTP secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from TOTP_ENCRYPTION_KEY,
 * a fresh 96-bit IV per encryption, and the staff id as additional data, so a ciphertext copied to
 * another account's row does not decrypt. Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url); the
 * version lets a later key or algorithm coexist with this one.
 */
export class TotpSecretBox {
  private readonly key: Buffer;
  constructor(masterKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, 'owabi', 'owabi:staff:totp-secret:v1', 32));
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith('v1.');
  }

  seal(secret: string, staffId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(staffId));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, body, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Throws when the value was altered, belongs to another account or another key. */
  open(stored: string, staffId: string): string {
    const [version, iv, body, tag] = stored.split('.');
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed TOTP secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(staffId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

const aad = (staffId: string) => Buffer.from(`owabi:staff:${staffId}`, 'utf8');

/** A random 256-bit token for a cookie or a link (base64url, 43 characters). */
export const randomToken = () => randomBytes(32).toString('base64url');

/** What is stored for a one-time link token: its SHA-256 (the token has 256 bits, no salt needed). */
export const linkTokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** What is stored for a session token: a keyed hash, so the table alone forges no cookie. */
export const sessionTokenHash = (key: Buffer, token: string) =>
  createHmac('sha256', key).update(token, 'utf8').digest();

const boxes = new Map<string, TotpSecretBox>();
/** One box per key for the process (the HKDF is run once). */
export function totpBoxFor(masterKey: string): TotpSecretBox {
  let box = boxes.get(masterKey);
  if (!box) boxes.set(masterKey, (box = new TotpSecretBox(masterKey)));
  return box;
}
