import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildStaff, freshTotp, OpsBrowser, type TestStaff } from '../support/ops.js';

/**
 * Attacks on operators' sessions (OWASP ASVS 5.0.0 numbering). The service's clock is the test's:
 * it moves only when a test moves it.
 */
let clock = new Date();
const deps = useTestDeps({ now: () => clock });
const app = createApp(deps);
const minutes = (n: number) => {
  clock = new Date(clock.getTime() + n * 60_000);
};

const signIn = (staff: TestStaff) => new OpsBrowser(app, () => clock).signIn(staff);
const cookieOf = async (ops: OpsBrowser) =>
  (
    await ops.agent.jar.getCookie('owabi_staff', {
      path: '/ops',
      domain: '127.0.0.1',
      secure: false,
      script: false,
    })
  )?.value;
/** Another machine, presenting a copied cookie. */
const withCookie = (token: string, path = '/ops') =>
  new OpsBrowser(app).agent.get(path).set('Cookie', `owabi_staff=${token}`);
const sessionsOf = (staffId: string) =>
  deps.db
    .withTables<{ staff_sessions: { staff_id: string; mfa: boolean } }>()
    .selectFrom('staff_sessions')
    .select('mfa')
    .where('staff_id', '=', staffId)
    .execute();

describe('V7.4.1 session termination', () => {
  it('V7.4.1 when a cookie copied before logout is presented after it, then the console does not open', async () => {
    const staff = await buildStaff(deps, 'admin');
    const ops = await signIn(staff);
    const copied = (await cookieOf(ops))!;
    expect((await withCookie(copied)).status).toBe(200);
    const out = await ops.post('/ops/logout');
    expect(out.headers.location).toBe('/ops/login');
    const replay = await withCookie(copied, '/ops/staff');
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/ops/login');
    expect(await sessionsOf(staff.id)).toEqual([]);
  });

  it('V7.2.4 when the second factor is passed, then the half-signed-in cookie is replaced and worth nothing', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const ops = new OpsBrowser(app, () => clock);
    await ops.password(staff.username, staff.password);
    const half = (await cookieOf(ops))!;
    expect((await ops.secondFactor(await freshTotp(staff, () => clock))).headers.location).toBe('/ops');
    const full = (await cookieOf(ops))!;
    expect(full).not.toBe(half);
    expect((await withCookie(half)).headers.location).toBe('/ops/login');
    expect((await withCookie(full)).status).toBe(200);
  });
});

describe('V7.3 session timeouts', () => {
  it('V7.3.1 when a session is left idle for more than 15 minutes, then it ends, while use within 15 minutes keeps it alive', async () => {
    const ops = await signIn(await buildStaff(deps, 'clerk'));
    minutes(14);
    expect((await ops.get('/ops')).status).toBe(200);
    minutes(14);
    expect((await ops.get('/ops')).status).toBe(200);
    minutes(16);
    const idle = await ops.get('/ops');
    expect(idle.status).toBe(303);
    expect(idle.headers.location).toBe('/ops/login');
    minutes(-20); // back within the window: the session was deleted, not merely skipped
    expect((await ops.get('/ops')).headers.location).toBe('/ops/login');
    minutes(20);
  });

  it('V7.3.2 when a session is kept busy past 8 hours, then it ends anyway', async () => {
    const ops = await signIn(await buildStaff(deps, 'auditor'));
    for (let t = 10; t < 8 * 60; t += 10) {
      minutes(10);
      expect((await ops.get('/ops')).status, `${t} minutes`).toBe(200);
    }
    minutes(11);
    expect((await ops.get('/ops')).headers.location).toBe('/ops/login');
  });

  it('V7.3.2 when the second factor is not given within 10 minutes of the password, then the half-signed-in session ends', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const ops = new OpsBrowser(app, () => clock);
    await ops.password(staff.username, staff.password);
    minutes(11);
    expect((await ops.get('/ops/login/totp')).headers.location).toBe('/ops/login');
  });
});

describe('V7.4.2 / V7.4.3 sessions end with the account or its password', () => {
  it('V7.4.2 when an administrator disables an account, then its sessions are deleted at once', async () => {
    const admin = await signIn(await buildStaff(deps, 'admin'));
    const clerk = await buildStaff(deps, 'clerk');
    const copied = (await cookieOf(await signIn(clerk)))!;
    expect((await admin.post(`/ops/staff/${clerk.id}/disable`, { reason: '退職' })).status).toBe(303);
    expect(await sessionsOf(clerk.id)).toEqual([]);
    expect((await withCookie(copied)).headers.location).toBe('/ops/login');
  });

  it('V7.4.3 when an administrator resets a password, then every session of the account ends; when the owner changes it, the other sessions end and this one goes on', async () => {
    const admin = await signIn(await buildStaff(deps, 'admin'));
    const clerk = await buildStaff(deps, 'clerk');
    const stolen = (await cookieOf(await signIn(clerk)))!;
    const ops = await signIn(clerk);
    const changed = await ops.post(
      '/ops/account/password',
      {
        currentPassword: clerk.password,
        newPassword: 'a long new passphrase 4 me',
        newPasswordAgain: 'a long new passphrase 4 me',
      },
      '/ops/account/password',
    );
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('パスワードを変更しました');
    expect((await withCookie(stolen)).headers.location).toBe('/ops/login');
    expect((await ops.get('/ops')).status).toBe(200);

    expect(
      (await admin.post(`/ops/staff/${clerk.id}/reset-password`, { reason: '漏えいの疑い' })).status,
    ).toBe(200);
    expect((await ops.get('/ops')).headers.location).toBe('/ops/login');
    expect(await sessionsOf(clerk.id)).toEqual([]);
  });
});
