import { randomUUID } from 'node:crypto';
import { totpBoxFor } from '../../../src/operators/staff-crypto.js';
import { newTotpSecret } from '../../../src/operators/staff-totp.js';
import { storeTotpSecret } from '../../../src/operators/staff-totp.service.js';
import { createStaff } from '../../../src/operators/staff.service.js';
import type { Role } from '../../../src/operators/staff.table.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import { TEST_SECRETS } from '../context.js';

export interface TestStaff {
  id: string;
  username: string;
  password: string;
  role: Role;
  totpSecret: string | null;
}

/**
 * A staff account of any role, enrolled as its owner would be through the enrolment link: a
 * password and a TOTP secret (every role needs the second factor), stored encrypted.
 */
export async function buildStaff(
  deps: Pick<AppDeps, 'db' | 'now'> & { config?: Pick<AppDeps['config'], 'TOTP_ENCRYPTION_KEY'> },
  role: Role,
): Promise<TestStaff> {
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const id = await createStaff(deps.db, { username, displayName: `${role} テスト`, role, password });
  const totpSecret = newTotpSecret();
  // Deps without a config (a factory's { db, now }) belong to a test file whose app uses its secrets.
  const box = totpBoxFor((deps.config ?? TEST_SECRETS).TOTP_ENCRYPTION_KEY);
  await storeTotpSecret(deps.db, box, id, totpSecret, null, deps.now());
  return { id, username, password, role, totpSecret };
}
