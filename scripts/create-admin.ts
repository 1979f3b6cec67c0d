import { parseArgs } from 'node:util';
import { recordAudit } from '../src/audit/audit.service.js';
import { totpBoxFor } from '../src/operators/staff-crypto.js';
import {
  ENROLMENT_LINK_HOURS,
  enrolmentPath,
  issueEnrolmentLink,
} from '../src/operators/staff-enrolment.service.js';
import { countStaff } from '../src/operators/staff.repo.js';
import { Username } from '../src/operators/staff.schema.js';
import { createStaff } from '../src/operators/staff.service.js';
import { loadCliConfig } from '../src/app/cli-config.js';
import { createDb, createPool } from '../src/platform/db.js';

/**
 * `npm run staff:create-admin -- --username NAME [--display-name 表示名]`: creates an administrator
 * without a password and prints a one-time enrolment link (once), through which they set their
 * password and second factor. Nobody else ever knows the password. Without DATABASE_URL it uses
 * the database `npm start` runs.
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
  const first = (await countStaff(db)) === 0;
  const now = new Date();
  const link = await db.transaction().execute(async (trx) => {
    const id = await createStaff(trx, {
      username: username.data,
      displayName: values['display-name'] ?? username.data,
      role: 'admin',
    });
    const issued = await issueEnrolmentLink(trx, totpBoxFor(config.TOTP_ENCRYPTION_KEY), id, null, now);
    await recordAudit(
      trx,
      {
        staffId: null,
        action: 'staff.create_admin_cli',
        targetType: 'staff',
        targetId: id,
        details: { first, expiresAt: issued.expiresAt.toISOString() },
      },
      now,
    );
    return issued;
  });
  console.log(`administrator ${username.data} created.`);
  console.log(`One-time enrolment link (shown once, valid ${ENROLMENT_LINK_HOURS} hours):`);
  console.log(`  http://localhost:${config.PORT}${enrolmentPath(link.token)}`);
  console.log('On a server, open the same path on the console address. It sets the password and the TOTP.');
} catch (e) {
  console.error(`could not create the administrator: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
