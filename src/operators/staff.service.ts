import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../platform/database.js';
import { UsernameTaken } from './operators.errors.js';
import { findStaffByUsername, insertStaff } from './staff.repo.js';
import type { Role } from './staff.table.js';

/** argon2id, OWASP's minimum profile: ~20 ms here, memory-hard against offline guessing. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Five failed passwords or codes in a row lock an account for 15 minutes. */
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
// Verified when there is no real hash to check (unknown user, locked or disabled account), so that
// every answer of the password step costs the same.
const DUMMY_HASH = await hash('not-a-password', ARGON2);

export const hashPassword = (password: string) => hash(password, ARGON2);

/** Always one argon2 verification, against the dummy hash when `stored` is null. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const ok = await verify(stored ?? DUMMY_HASH, password).catch(() => false);
  return stored !== null && ok;
}

export const lockUntil = (now: Date) => new Date(now.getTime() + LOCK_MINUTES * 60_000);

/**
 * A staff account. Without a password (the console's way) its owner sets one, and the second
 * factor, through an enrolment link (staff-enrolment.service.ts); a password given here is for
 * tests and benchmarks, whose accounts are enrolled directly.
 */
export async function createStaff(
  db: Db,
  input: { username: string; displayName: string; role: Role; password?: string },
): Promise<string> {
  if (await findStaffByUsername(db, input.username)) throw UsernameTaken();
  return insertStaff(db, {
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    password_hash: input.password === undefined ? null : await hashPassword(input.password),
  });
}
