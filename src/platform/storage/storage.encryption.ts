import { createCipheriv, createDecipheriv, randomBytes, type DecipherGCM } from 'node:crypto';
import { Transform } from 'node:stream';
import { ObjectIntegrityError } from './storage.errors.js';

/**
 * Sensitive objects are sealed in the process, before they reach a disk or a bucket:
 *
 *   MAGIC (4) | VERSION (1) | IV (12) | AES-256-GCM ciphertext | TAG (16)
 *
 * A fresh random IV per object. The header and the object's key are the additional authenticated
 * data, so an object copied under another key (another campaign's letters) does not open. The magic
 * starts with a NUL byte, which no text file (CSV, JSON, report) starts with.
 */
const MAGIC = Buffer.from([0x00, 0x4f, 0x57, 0x42]); // "\0OWB"
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES;
export const MAGIC_BYTES = MAGIC.length;
/** What sealing adds to an object's size. */
export const ENVELOPE_OVERHEAD = HEADER_BYTES + TAG_BYTES;
export const FILE_KEY_BYTES = 32;

export const isSealed = (head: Buffer): boolean =>
  head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);

/** FILE_ENCRYPTION_KEY: exactly 32 bytes in base64 or base64url (`openssl rand -base64 32`); else null. */
export function decodeFileKey(value: string): Buffer | null {
  const key = Buffer.from(value, 'base64');
  if (key.length !== FILE_KEY_BYTES) return null;
  // Buffer.from skips characters that are not base64: a mistyped key must not pass as another.
  return key.toString('base64') === value || key.toString('base64url') === value ? key : null;
}

const additionalData = (header: Buffer, objectKey: string) =>
  Buffer.concat([header, Buffer.from(objectKey, 'utf8')]);

export function sealingStream(fileKey: Buffer, objectKey: string): Transform {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.of(VERSION), iv]);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(additionalData(header, objectKey));
  const sealing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, cipher.update(chunk));
    },
    flush(done) {
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
  sealing.push(header);
  return sealing;
}

/**
 * Decrypts as the bytes arrive and holds back the last 16 (the tag). The tag is checked only at the
 * end: plaintext before it is unverified, and a bad tag ERRORS the stream (ObjectIntegrityError).
 * A consumer must treat a stream error as "file invalid" and discard whatever it already read
 * (never serve, print or import a partly read object).
 */
export function openingStream(fileKey: Buffer, objectKey: string): Transform {
  let decipher: DecipherGCM | undefined;
  let pending: Buffer = Buffer.alloc(0);
  const invalid = (reason: string, cause?: unknown) => new ObjectIntegrityError(objectKey, reason, { cause });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!decipher) {
        if (pending.length < HEADER_BYTES) return done();
        const header = pending.subarray(0, HEADER_BYTES);
        if (!isSealed(header)) return done(invalid('not an encrypted object'));
        if (header[MAGIC.length] !== VERSION) return done(invalid(`unknown version ${header[MAGIC.length]}`));
        decipher = createDecipheriv('aes-256-gcm', fileKey, header.subarray(MAGIC.length + 1));
        decipher.setAAD(additionalData(header, objectKey));
        pending = pending.subarray(HEADER_BYTES);
      }
      const ready = pending.length - TAG_BYTES;
      if (ready <= 0) return done();
      const plain = decipher.update(pending.subarray(0, ready));
      pending = pending.subarray(ready);
      done(null, plain);
    },
    flush(done) {
      if (!decipher || pending.length !== TAG_BYTES) return done(invalid('truncated'));
      decipher.setAuthTag(pending);
      try {
        done(null, decipher.final());
      } catch (err) {
        done(invalid('authentication tag does not verify (altered, or another key)', err));
      }
    },
  });
}
