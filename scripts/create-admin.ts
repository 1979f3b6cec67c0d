import { parseArgs } from 'node:util';
import { recordAudit } from '../src/audit/audit.service.js';
import { countStaff } from '../src/operators/staff.repo.js';
import { Username } from '../src/operators/staff.schema.js';
import { createStaff, generatePassword } from '../src/operators/staff.service.js';
import { loadCliConfig } from '../src/platform/lifecycle.js';
import { createDb, createPool } from '../src/platform/db.js';

/**
 * `npm run staff:create-admin -- --username NAME [--display-name 表示名]`: creates an administrator
 * with a generated password, printed once. They set up their second factor at first sign-in.
 * Without DATABASE_URL it uses the database `npm start` runs.
 */
const { values } = parseArgs({
  options: { username: { type: 'string' }, 'display-name': { type: 'string' } },
});
const username = Username.safeParse(values.username ?? '');
if (!username.success) {
  console.error(`usage: npm run staff:create-admin -- --username NAME\n${username.error.issues[0]!.message}`);
  process.exit(64);
}
const config = loadCliConfig();
const db = createDb(createPool(config.DATABASE_URL, 1));
try {
  const password = generatePassword();
  const first = (await countStaff(db)) === 0;
  await db.transaction().execute(async (trx) => {
    const id = await createStaff(trx, {
      username: username.data,
      displayName: values['display-name'] ?? username.data,
      role: 'admin',
      password,
    });
    await recordAudit(
      trx,
      {
        staffId: null,
        action: 'staff.create_admin_cli',
        targetType: 'staff',
        targetId: id,
        details: { first },
      },
      new Date(),
    );
  });
  console.log(`administrator ${username.data} created. Password (shown once): ${password}`);
  console.log('Sign in at /ops/login; you will be asked to set up a second factor (TOTP) first.');
} catch (e) {
  console.error(`could not create the administrator: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
