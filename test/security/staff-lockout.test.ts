import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/** Attacks on the password step of the operators' console (OWASP ASVS 5.0.0 numbering). */
const deps = useTestDeps();
const app = createApp(deps);
const WRONG = 'ユーザー名またはパスワードが正しくありません';

const staffRow = (id: string) =>
  deps.db
    .selectFrom('staff')
    .select(['failed_logins', 'locked_until'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Several browsers, each with its sign-in form open, so their posts can leave at once. */
async function openForms(n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const ops = new OpsBrowser(app);
      return { ops, _csrf: await ops.token('/ops/login') };
    }),
  );
}

async function lock(username: string) {
  for (let i = 0; i < 5; i++) await new OpsBrowser(app).password(username, `wrong-${i}-password`);
}

/** The answer as a person sees it: status and page, without the form's random token. */
const seen = (res: { status: number; text: string; headers: Record<string, unknown> }) => ({
  status: res.status,
  page: res.text.replace(/name="_csrf" value="[^"]*"/g, ''),
  staffCookie:
    String(res.headers['set-cookie'] ?? '').includes('owabi_staff=') &&
    !/owabi_staff=;/.test(String(res.headers['set-cookie'])),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('V6.3.1 guessing passwords', () => {
  it('V6.3.1 when 24 wrong passwords for one account arrive in parallel, then only five are checked, the account is locked and the right password is refused', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const forms = await openForms(24);
    const answers = await Promise.all(
      forms.map(({ ops, _csrf }, i) =>
        ops.agent
          .post('/ops/login')
          .type('form')
          .send({ _csrf, username: staff.username, password: `guess-${i}-xxxxxxx` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(401));
    const row = await staffRow(staff.id);
    expect(row.failed_logins).toBe(5);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const right = await new OpsBrowser(app).password(staff.username, staff.password);
    expect(right.status).toBe(401);
    expect(right.headers.location).toBeUndefined();
  });

  it('V6.1.1 when an attacker locks an account by guessing its password, then its owner, already signed in, keeps working', async () => {
    const owner = await buildStaff(deps, 'supervisor');
    const ops = await new OpsBrowser(app).signIn(owner);
    await lock(owner.username);
    expect((await staffRow(owner.id)).locked_until).not.toBeNull();
    const home = await ops.get('/ops');
    expect(home.status).toBe(200);
    expect((await ops.get('/ops/campaigns')).status).toBe(200);
  });
});

describe('V6.3.8 no answer tells which usernames exist or are locked', () => {
  it('V6.3.8 when an unknown username, a locked one (even with its right password) and a wrong password are tried, then the answers are the same page, status and cookies, in similar time', async () => {
    const locked = await buildStaff(deps, 'admin');
    await lock(locked.username);
    const active = await Promise.all([0, 1, 2, 3].map(() => buildStaff(deps, 'clerk')));
    const tries = {
      unknown: () => ({ username: `nobody-${randomUUID().slice(0, 8)}`, password: 'a-password-123' }),
      locked: () => ({ username: locked.username, password: locked.password }),
      // A real, unlocked account and a wrong password: a real argon2 verification.
      wrong: (round: number) => ({ username: active[round]!.username, password: 'not-the-password-1' }),
    };
    const times: Record<string, number[]> = { unknown: [], locked: [], wrong: [] };
    const pages = new Map<string, ReturnType<typeof seen>>();
    for (let round = 0; round < 4; round++) {
      for (const [kind, form] of Object.entries(tries)) {
        const { ops, _csrf } = (await openForms(1))[0]!;
        const started = performance.now();
        const res = await ops.agent
          .post('/ops/login')
          .type('form')
          .send({ _csrf, ...form(round) });
        times[kind]!.push(performance.now() - started);
        pages.set(kind, seen(res));
      }
    }
    expect(pages.get('unknown')).toEqual(pages.get('locked'));
    expect(pages.get('wrong')).toEqual(pages.get('locked'));
    expect(pages.get('locked')).toMatchObject({ status: 401, staffCookie: false });
    expect(pages.get('locked')!.page).toContain(WRONG);
    // Every path verifies one argon2 hash (a dummy one when there is no usable account), so none
    // answers markedly faster than a wrong password for a real account.
    const wrong = median(times.wrong!);
    for (const kind of ['unknown', 'locked']) expect(median(times[kind]!) / wrong, kind).toBeGreaterThan(0.4);
  });
});

describe('V6.3.1 one client guessing across accounts', () => {
  const limited = useTestDeps({}, { CLIENT_FAILURES_PER_MINUTE: '5', TRUST_PROXY_HOPS: '1' });
  const limitedApp = createApp(limited);
  const from = (ip: string) => {
    const ops = new OpsBrowser(limitedApp);
    return async (username: string, password: string) => {
      const _csrf = csrfOf(await ops.agent.get('/ops/login').set('X-Forwarded-For', ip));
      return ops.agent
        .post('/ops/login')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf, username, password });
    };
  };
  const csrfOf = (res: { text: string }) => /name="_csrf" value="([^"]+)"/.exec(res.text)![1]!;

  it('V6.3.1 when one IPv6 /64 fails five sign-ins on different usernames, then its sixth attempt is refused whatever the address inside it, and other networks are not', async () => {
    const net = `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
    const staff = await buildStaff(limited, 'clerk');
    for (let i = 0; i < 5; i++) {
      const res = await from(`${net}::${i + 1}`)(`user-${randomUUID().slice(0, 6)}`, 'password-guess-1');
      expect(res.status).toBe(401);
    }
    const sixth = await from(`${net}:ffff:ffff:ffff:ffff`)(staff.username, staff.password);
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain('このネットワークからのログインの失敗が多すぎる');
    const elsewhere = await from(`2001:db8:ffff:${randomUUID().slice(0, 4)}::1`)(
      staff.username,
      staff.password,
    );
    expect(elsewhere.headers.location).toBe('/ops/login/totp');
  });
});
