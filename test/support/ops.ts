import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { Secret, TOTP } from 'otpauth';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { updateStaff } from '../../src/operators/staff.repo.js';
import { createStaff, newTotpSecret } from '../../src/operators/staff.service.js';
import type { Role } from '../../src/operators/staff.table.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { csrfFrom } from './web.js';

export interface TestStaff {
  id: string;
  username: string;
  password: string;
  role: Role;
  totpSecret: string | null;
}

/** A staff account; admins and supervisors get a second factor, as they must. */
export async function buildStaff(deps: Pick<AppDeps, 'db' | 'now'>, role: Role): Promise<TestStaff> {
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const id = await createStaff(deps.db, { username, displayName: `${role} テスト`, role, password });
  const totpSecret = role === 'admin' || role === 'supervisor' ? newTotpSecret() : null;
  if (totpSecret) await updateStaff(deps.db, id, { totp_secret: totpSecret }, deps.now());
  return { id, username, password, role, totpSecret };
}

export const totpNow = (secret: string, at = new Date()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });

/** An operator's browser: signs in (with the second factor when set), keeps cookies, posts forms with their token. */
export class OpsBrowser {
  readonly agent: TestAgent;
  constructor(app: Express) {
    this.agent = supertest.agent(app);
  }

  async token(path = '/ops/login'): Promise<string> {
    return csrfFrom((await this.agent.get(path)).text);
  }

  async signIn(staff: TestStaff) {
    const _csrf = await this.token('/ops/login');
    const res = await this.agent
      .post('/ops/login')
      .type('form')
      .send({ _csrf, username: staff.username, password: staff.password });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    if (staff.totpSecret) {
      const t = await this.token('/ops/login/totp');
      const r2 = await this.agent
        .post('/ops/login/totp')
        .type('form')
        .send({ _csrf: t, code: totpNow(staff.totpSecret) });
      if (r2.status !== 303) throw new Error(`second factor failed: ${r2.status}`);
    }
    return this;
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** Posts a form with a CSRF token taken from `from` (default: the console's home page). */
  async post(path: string, form: Record<string, string> = {}, from = '/ops') {
    const _csrf = await this.token(from);
    return this.agent
      .post(path)
      .type('form')
      .send({ _csrf, ...form });
  }
}
