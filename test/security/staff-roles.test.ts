import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildStaff, enrolmentLinkIn, OpsBrowser } from '../support/ops.js';

/** A supervisor reaching past their role on the staff page (OWASP ASVS 5.0.0 numbering). */
const deps = useTestDeps();
const app = createApp(deps);

const rowOf = (username: string) =>
  deps.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
const newName = (role: string) => `${role}-${randomUUID().slice(0, 8)}`;

describe('V8.2.1 only administrators give the supervisor, auditor and administrator roles', () => {
  it('V8.2.1 when a supervisor creates an auditor, a supervisor or an administrator, then 403 and no account exists', async () => {
    const sup = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    for (const role of ['auditor', 'supervisor', 'admin']) {
      const username = newName(role);
      const res = await sup.post('/ops/staff', { username, displayName: '侵入', role }, '/ops/staff');
      expect(res.status, role).toBe(403);
      expect(await rowOf(username), role).toBeUndefined();
    }
    // What a supervisor may do: a clerk, who gets an enrolment link.
    const clerk = newName('clerk');
    const ok = await sup.post(
      '/ops/staff',
      { username: clerk, displayName: '新人', role: 'clerk' },
      '/ops/staff',
    );
    expect(ok.status).toBe(200);
    expect(enrolmentLinkIn(ok.text)).toMatch(/^\/ops\/enrol\?t=/);
    expect((await rowOf(clerk))?.role).toBe('clerk');
  });

  it('V8.2.1 when a supervisor promotes a clerk, or changes, disables or enables anyone but a clerk, then 403 and nothing changes', async () => {
    const sup = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const clerk = await buildStaff(deps, 'clerk');
    for (const role of ['auditor', 'supervisor', 'admin']) {
      const res = await sup.post(`/ops/staff/${clerk.id}/role`, { role, reason: '昇格' }, '/ops/staff');
      expect(res.status, role).toBe(403);
    }
    expect((await rowOf(clerk.username))!.role).toBe('clerk');
    for (const target of ['auditor', 'supervisor', 'admin'] as const) {
      const other = await buildStaff(deps, target);
      expect((await sup.post(`/ops/staff/${other.id}/role`, { role: 'clerk', reason: '降格' })).status).toBe(
        403,
      );
      expect((await sup.post(`/ops/staff/${other.id}/disable`, { reason: '退職' })).status).toBe(403);
      const row = (await rowOf(other.username))!;
      expect([row.role, row.disabled_at]).toEqual([target, null]);
    }
  });
});

describe('V6.4.6 nobody chooses another person’s password', () => {
  it('V6.4.6 when a supervisor sends a password with a new account, then it is ignored and the account has none until its owner sets one', async () => {
    const sup = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const username = newName('clerk');
    const password = 'chosen-by-the-supervisor-1';
    const res = await sup.post(
      '/ops/staff',
      { username, displayName: '新人', role: 'clerk', password },
      '/ops/staff',
    );
    expect(res.status).toBe(200);
    expect((await rowOf(username))!.password_hash).toBeNull();
    const attempt = await new OpsBrowser(app).password(username, password);
    expect(attempt.status).toBe(401);
  });

  it('V6.4.6 when a supervisor tries to reset a password or second factor or to unlock an account, then 403 and the account is unchanged', async () => {
    const sup = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const clerk = await buildStaff(deps, 'clerk');
    const before = await rowOf(clerk.username);
    for (const action of ['reset-password', 'reset-totp', 'unlock']) {
      const res = await sup.post(`/ops/staff/${clerk.id}/${action}`, { reason: '依頼' });
      expect(res.status, action).toBe(403);
      expect(res.text, action).not.toMatch(/\/ops\/enrol\?t=/);
    }
    expect(await rowOf(clerk.username)).toEqual(before);
  });
});
