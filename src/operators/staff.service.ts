import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../platform/database.js';
import { AppError } from '../platform/errors.js';
import { findStaffById, findStaffByUsername, insertStaff, updateStaff } from './staff.repo.js';
import type { Role, StaffRow } from './staff.table.js';

/** argon2id, OWASP's minimum profile: ~20 ms here, memory-hard against offline guessing. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;
// Verified when the username is unknown, so both paths cost the same.
const DUMMY_HASH = await hash('not-a-password', ARGON2);

export const STAFF_LOGIN_FAILED = 'ユーザー名またはパスワードが正しくありません。';

export const hashPassword = (password: string) => hash(password, ARGON2);

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function createStaff(
  db: Db,
  input: { username: string; displayName: string; role: Role; password: string },
): Promise<string> {
  if (await findStaffByUsername(db, input.username)) {
    throw new AppError('conflict', 'このユーザー名はすでに使われています。', {
      fields: { username: 'このユーザー名はすでに使われています。' },
    });
  }
  return insertStaff(db, {
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    password_hash: await hashPassword(input.password),
  });
}

/** Checks a password; locks the account after repeated failures. */
export async function authenticateStaff(
  db: Db,
  username: string,
  password: string,
  now: Date,
): Promise<StaffRow> {
  const staff = await findStaffByUsername(db, username);
  const ok = await verify(staff?.password_hash ?? DUMMY_HASH, password).catch(() => false);
  if (!staff) throw new AppError('unauthenticated', STAFF_LOGIN_FAILED);
  if (staff.disabled_at) throw new AppError('unauthenticated', STAFF_LOGIN_FAILED);
  if (staff.locked_until && staff.locked_until > now) {
    throw new AppError(
      'locked',
      `ログインに続けて失敗したため、このアカウントは${LOCK_MINUTES}分間ロックされています。`,
    );
  }
  if (!ok) {
    const failures = staff.failed_logins + 1;
    const lock = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await updateStaff(db, staff.id, { failed_logins: lock ? 0 : failures, locked_until: lock }, now);
    throw new AppError('unauthenticated', STAFF_LOGIN_FAILED);
  }
  if (staff.failed_logins > 0 || staff.locked_until) {
    await updateStaff(db, staff.id, { failed_logins: 0, locked_until: null }, now);
  }
  return staff;
}

const totpFor = (secret: string, label: string) =>
  new TOTP({
    issuer: 'Owabi',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, username: string): string {
  return totpFor(secret, username).toString();
}

/** One period of drift either way is accepted. */
export function checkTotp(secret: string, code: string, now: Date): boolean {
  return totpFor(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
}

export async function enrolTotp(
  db: Db,
  staffId: string,
  secret: string,
  code: string,
  now: Date,
): Promise<void> {
  if (!checkTotp(secret, code, now)) {
    throw new AppError('validation', '確認コードが正しくありません。', {
      fields: { code: '確認コードが正しくありません。' },
    });
  }
  await updateStaff(db, staffId, { totp_secret: secret }, now);
}

export async function getActiveStaff(db: Db, id: string, now: Date): Promise<StaffRow | undefined> {
  const s = await findStaffById(db, id);
  if (!s || s.disabled_at || (s.locked_until && s.locked_until > now)) return undefined;
  return s;
}
