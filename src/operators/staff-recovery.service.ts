import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../platform/database.js';
import { deleteRecoveryCode, listRecoveryCodes, replaceRecoveryCodes } from './staff-enrolment.repo.js';
import type { TotpSecretBox } from './staff-crypto.js';
import { acceptTotpOnce } from './staff-totp.service.js';
import type { StaffRow } from './staff.table.js';

/**
 * Recovery codes: ten per account, made when its second factor is enrolled and shown once. Each
 * has 12 characters of a 31-character alphabet without 0/O/1/I/L (≈59 bits, CSPRNG), so under
 * 112 bits: stored as argon2id hashes with their own random salt (ASVS 5.0 V6.5.2). A code is used
 * up by deleting its row; only the request whose DELETE removed it succeeds.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]!).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** What a person typed, as a code: full-width characters, case, spaces and hyphens ignored. */
export const normaliseCode = (input: string) => input.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '');

/** Hashed before a transaction is opened: ten argon2 hashes take a while. */
export const hashRecoveryCodes = (codes: string[]) =>
  Promise.all(codes.map((c) => hash(normaliseCode(c), ARGON2)));

/** Replaces the account's codes with these (already hashed, see hashRecoveryCodes). */
export async function storeRecoveryCodes(
  db: Db,
  staffId: string,
  hashes: string[],
  now: Date,
): Promise<void> {
  await replaceRecoveryCodes(db, staffId, hashes, now);
}

/** Uses one recovery code of the account; the number left, or null when it matched none. */
export async function useRecoveryCode(db: Db, staffId: string, input: string): Promise<number | null> {
  const code = normaliseCode(input);
  if (!/^[a-z0-9]{12}$/.test(code)) return null;
  const stored = await listRecoveryCodes(db, staffId);
  for (const row of stored) {
    if (!(await verify(row.code_hash, code).catch(() => false))) continue;
    return (await deleteRecoveryCode(db, row.id)) ? stored.length - 1 : null;
  }
  return null;
}

export type SecondFactor = { kind: 'totp' } | { kind: 'recovery'; remaining: number };

/** A six-digit TOTP code (accepted once) or a recovery code (used up); null when neither. */
export async function checkSecondFactor(
  db: Db,
  box: TotpSecretBox,
  staff: Pick<StaffRow, 'id' | 'totp_secret'>,
  input: string,
  now: Date,
): Promise<SecondFactor | null> {
  const code = normaliseCode(input);
  if (/^\d{6}$/.test(code))
    return (await acceptTotpOnce(db, box, staff, code, now)) ? { kind: 'totp' } : null;
  const remaining = await useRecoveryCode(db, staff.id, code);
  return remaining === null ? null : { kind: 'recovery', remaining };
}
