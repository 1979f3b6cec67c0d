import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/operators/permissions.js';
import {
  hashRecoveryCodes,
  newRecoveryCodes,
  storeRecoveryCodes,
} from '../../src/operators/staff-recovery.service.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildStaff, OpsBrowser, totpNow } from '../support/ops.js';

/**
 * Attacks on the second factor of the operators' console (OWASP ASVS 5.0.0 numbering). The
 * attacker knows the password; the service's clock is held still so that every code is in reach.
 */
const clock = new Date();
const deps = useTestDeps({ now: () => clock });
const app = createApp(deps);
const browser = () => new OpsBrowser(app, () => clock);
const WRONG = 'ユーザー名またはパスワードが正しくありません';

/** A code of the right form that is not the account's (nor of the steps around it). */
const wrongCode = (secret: string) => {
  const near = [-1, 0, 1].map((d) => totpNow(secret, new Date(clock.getTime() + d * 30_000)));
  for (let n = 0; ; n++) {
    const code = String((Number(near[1]) + 123_457 * (n + 1)) % 1_000_000).padStart(6, '0');
    if (!near.includes(code)) return code;
  }
};

const staffRow = (id: string) =>
  deps.db
    .selectFrom('staff')
    .select(['failed_logins', 'locked_until'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('V6.3.3 a second factor for every role', () => {
  for (const role of ROLES) {
    it(`V6.3.3 when a ${role} gives only the right password, then no console page opens before the second factor`, async () => {
      const staff = await buildStaff(deps, role);
      const ops = browser();
      expect((await ops.password(staff.username, staff.password)).headers.location).toBe('/ops/login/totp');
      for (const path of ['/ops', '/ops/postcards', '/ops/account/password']) {
        const res = await ops.get(path);
        expect(res.status, path).toBe(303);
        expect(res.headers.location, path).toBe('/ops/login/totp');
      }
    });
  }
});

describe('V6.3.1 guessing the TOTP code', () => {
  it('V6.3.1 when an attacker with the password sends six wrong TOTP codes and then the right one, then the right one is refused', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const ops = browser();
    await ops.password(staff.username, staff.password);
    const _csrf = await ops.token('/ops/login/totp');
    const send = (code: string) => ops.agent.post('/ops/login/totp').type('form').send({ _csrf, code });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await send(wrongCode(staff.totpSecret!)));
    expect(answers.slice(0, 4).map((r) => r.status)).toEqual([401, 401, 401, 401]);
    // The fifth failure ends the half-signed-in session: what follows has no session at all (and
    // so its form token, bound to that session, is refused too).
    expect(answers[4]!.text).toContain('確認コードを続けて間違えたため');
    expect(answers[5]!.headers.location).not.toBe('/ops');
    const right = await send(totpNow(staff.totpSecret!, clock));
    expect(right.headers.location).not.toBe('/ops');
    expect((await ops.get('/ops')).headers.location).toBe('/ops/login');
    // The failures counted toward the account's lockout: the password does not open it now.
    expect((await staffRow(staff.id)).locked_until!.getTime()).toBeGreaterThan(clock.getTime());
    const again = await browser().password(staff.username, staff.password);
    expect(again.status).toBe(401);
    expect(again.text).toContain(WRONG);
  });

  it('V6.3.1 when 24 wrong codes are sent in parallel in one half-signed-in session, then at most five are checked and the right code is refused after them', async () => {
    const staff = await buildStaff(deps, 'auditor');
    const ops = browser();
    await ops.password(staff.username, staff.password);
    const _csrf = await ops.token('/ops/login/totp');
    const send = (code: string) => ops.agent.post('/ops/login/totp').type('form').send({ _csrf, code });
    await Promise.all(Array.from({ length: 24 }, () => send(wrongCode(staff.totpSecret!))));
    expect((await staffRow(staff.id)).failed_logins).toBe(5);
    expect((await send(totpNow(staff.totpSecret!, clock))).headers.location).not.toBe('/ops');
    expect((await ops.get('/ops')).headers.location).toBe('/ops/login');
  });
});

describe('V6.5.1 one-time use of TOTP codes and recovery codes', () => {
  it('V6.5.1 when the TOTP code that signed one session in is replayed for another sign-in within its 30 seconds, then it is refused', async () => {
    const staff = await buildStaff(deps, 'supervisor');
    const code = totpNow(staff.totpSecret!, clock);
    const first = browser();
    await first.password(staff.username, staff.password);
    expect((await first.secondFactor(code)).headers.location).toBe('/ops');

    const second = browser();
    await second.password(staff.username, staff.password);
    const replay = await second.secondFactor(code);
    expect(replay.status).toBe(401);
    expect(replay.text).toContain('確認コードが正しくありません');
    // The step before it is older than the one used: refused as well.
    const older = await second.secondFactor(totpNow(staff.totpSecret!, new Date(clock.getTime() - 30_000)));
    expect(older.status).toBe(401);
    expect((await second.get('/ops')).headers.location).toBe('/ops/login/totp');
  });

  it('V6.5.1 when two half-signed-in sessions send the same code at the same moment, then only one gets in', async () => {
    const staff = await buildStaff(deps, 'admin');
    const code = totpNow(staff.totpSecret!, clock);
    const sessions = [browser(), browser(), browser(), browser()];
    for (const s of sessions) await s.password(staff.username, staff.password);
    const answers = await Promise.all(sessions.map((s) => s.secondFactor(code)));
    expect(answers.filter((r) => r.headers.location === '/ops')).toHaveLength(1);
  });

  it('V6.5.1 when a recovery code is used a second time, then it is refused, while another unused one works', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const codes = newRecoveryCodes();
    await storeRecoveryCodes(deps.db, staff.id, await hashRecoveryCodes(codes), clock);
    const first = browser();
    await first.password(staff.username, staff.password);
    expect((await first.secondFactor(codes[0]!)).headers.location).toBe('/ops');

    const second = browser();
    await second.password(staff.username, staff.password);
    const reuse = await second.secondFactor(codes[0]!);
    expect(reuse.status).toBe(401);
    // Typed without hyphens and in capitals, another code still works.
    expect((await second.secondFactor(codes[1]!.replace(/-/g, '').toUpperCase())).headers.location).toBe(
      '/ops',
    );
    const used = await deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'staff.recovery_code_used')
      .orderBy('id')
      .execute();
    expect(used.map((u) => u.details)).toEqual([{ remaining: 9 }, { remaining: 8 }]);
  });
});
