import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { login } from '../src/auth/auth.service.js';
import { LoginFailed, LoginLocked } from '../src/auth/auth.errors.js';
import { sweepLoginThrottle } from '../src/auth/throttle-sweep.service.js';
import { keyedHash } from '../src/customers/codes.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';

// 1990: every other test file's throttle rows are younger, so no sweep here touches theirs.
const start = new Date('1990-01-01T00:00:00Z');
const minutes = (m: number) => new Date(start.getTime() + m * 60_000);
const deps = useTestDeps({ now: () => start });

describe('sweeping the login throttle', () => {
  it('when a code is locked, then a sweep during the lockout keeps it locked; after it, the rows go and the right key opens the account', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const config = { ...deps.config, LOCKOUT_FAILURES: 3, LOCKOUT_MINUTES: 30 };
    const attempt = (loginKey: string, at: Date) =>
      login(
        deps.db,
        config,
        campaign,
        { registrationCode: customer.registrationCode, loginKey },
        '192.0.2.7',
        at,
      );
    const wrongKey = customer.loginKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (let i = 0; i < 3; i++) await expect(attempt(wrongKey, minutes(0))).rejects.toSatisfy(LoginFailed.is);
    await expect(attempt(customer.loginKey, minutes(1))).rejects.toSatisfy(LoginLocked.is);

    const codeDigest = keyedHash(config.LOGIN_KEY_PEPPER, `code:${campaign.id}:${customer.registrationCode}`);
    const codeRow = async () =>
      (await sql`select 1 from login_throttle where key = ${codeDigest}`.execute(deps.db)).rows[0];
    const sweepAt = (at: Date) => sweepLoginThrottle({ db: deps.db, config, now: () => at });

    expect(await sweepAt(minutes(20))).toEqual({ removed: 0 });
    await expect(attempt(customer.loginKey, minutes(25))).rejects.toSatisfy(LoginLocked.is);

    // The last attempt touched the client's and the code's rows at minute 25: both go 31 minutes on.
    expect(await sweepAt(minutes(25 + 30))).toEqual({ removed: 0 });
    expect(await codeRow()).toBeDefined();
    expect(await sweepAt(minutes(25 + 32))).toEqual({ removed: 2 });
    expect(await codeRow()).toBeUndefined();
    await expect(attempt(customer.loginKey, minutes(60))).resolves.toEqual({ customerId: customer.id });
  });
});
