import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import {
  buildStaff,
  enrolmentLinkIn,
  freshTotp,
  OpsBrowser,
  recoveryCodesIn,
  submitEnrolment,
  type TestStaff,
} from '../support/ops.js';

/** One-time enrolment links and resets (OWASP ASVS 5.0.0 numbering). */
let clock = new Date();
const deps = useTestDeps({ now: () => clock });
const app = createApp(deps);
const browser = () => new OpsBrowser(app, () => clock);
const PASSPHRASE = 'correct horse battery staple 2026';

async function adminCreates(role = 'clerk') {
  const admin = await browser().signIn(await buildStaff(deps, 'admin'));
  const username = `${role}-${randomUUID().slice(0, 8)}`;
  const res = await admin.post('/ops/staff', { username, displayName: '新人', role }, '/ops/staff');
  expect(res.status).toBe(200);
  return { admin, username, link: enrolmentLinkIn(res.text) };
}

/** What a new staff member types: a password twice and the code of the key shown. */
const newAccount = (username: string) => async (secret: string | null) => ({
  newPassword: PASSPHRASE,
  newPasswordAgain: PASSPHRASE,
  newCode: await freshTotp(asStaff(username, secret), () => clock),
});
const asStaff = (username: string, secret: string | null, id = username): TestStaff => ({
  id,
  username,
  password: PASSPHRASE,
  role: 'clerk',
  totpSecret: secret,
});

describe('V6.4.1 enrolment links work once and expire', () => {
  it('V6.4.1 when an enrolment link has been used, then it opens nothing a second time, and the account signs in with what was set', async () => {
    const { username, link } = await adminCreates();
    const { res, secret } = await submitEnrolment(browser(), link, newAccount(username));
    expect(res.status).toBe(200);
    expect(recoveryCodesIn(res.text)).toHaveLength(10);

    const again = await browser().get(link);
    expect(again.status).toBe(404);
    expect(again.text).toContain('このリンクは使えません');
    const { text } = await browser().get(link.replace('/ops/enrol?t=', '/ops/enrol?t=x'));
    expect(text).toContain('このリンクは使えません');

    const ops = await browser().signIn(asStaff(username, secret));
    expect((await ops.get('/ops')).status).toBe(200);
  });

  it('V6.4.1 when an enrolment link is more than 24 hours old, or a newer one was issued, then it opens nothing', async () => {
    const { admin, username, link } = await adminCreates();
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 60_000);
    expect((await browser().get(link)).status).toBe(404);
    clock = new Date(clock.getTime() - 24 * 3_600_000 - 60_000);
    expect((await browser().get(link)).status).toBe(200);
    const row = await deps.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    const reset = await admin.post(
      `/ops/staff/${row!.id}/reset-password`,
      { reason: '再発行' },
      '/ops/staff',
    );
    const reissued = enrolmentLinkIn(reset.text);
    expect((await browser().get(link)).status).toBe(404);
    expect((await browser().get(reissued)).status).toBe(200);
  });

  it('V6.4.1 when the same link is submitted twice at once, then only one enrolment happens', async () => {
    const { username, link } = await adminCreates();
    const [a, b] = [browser(), browser()];
    const forms = await Promise.all([a.get(link), b.get(link)]);
    const secret = /<code class="secret" translate="no">([A-Z2-7]+)<\/code>/.exec(forms[0].text)![1]!;
    const fields = await newAccount(username)(secret);
    const t = link.split('t=')[1]!;
    const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const answers = await Promise.all(
      [a, b].map((ops, i) =>
        ops.agent
          .post('/ops/enrol')
          .type('form')
          .send({ _csrf: csrf(forms[i]!.text), t, ...fields }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404]);
  });
});

describe('V6.4.3 a reset does not get around the second factor', () => {
  it('V6.4.3 when a password-reset link is opened, then setting a new password still needs the second factor the account kept', async () => {
    const admin = await browser().signIn(await buildStaff(deps, 'admin'));
    const clerk = await buildStaff(deps, 'clerk');
    const link = enrolmentLinkIn(
      (await admin.post(`/ops/staff/${clerk.id}/reset-password`, {}, '/ops/staff')).text,
    );
    const withoutCode = await submitEnrolment(browser(), link, () => ({
      newPassword: PASSPHRASE,
      newPasswordAgain: PASSPHRASE,
      currentCode: '000000',
    }));
    expect(withoutCode.secret).toBeNull(); // no new second factor is offered
    expect(withoutCode.res.status).toBe(401);
    expect(withoutCode.res.text).toContain('本人の確認ができませんでした');
    const withCode = await submitEnrolment(browser(), link, async () => ({
      newPassword: PASSPHRASE,
      newPasswordAgain: PASSPHRASE,
      currentCode: await freshTotp(clerk, () => clock),
    }));
    expect(withCode.res.status).toBe(200);
    expect(recoveryCodesIn(withCode.res.text)).toEqual([]);
    expect((await browser().password(clerk.username, clerk.password)).status).toBe(401);
    await browser().signIn({ ...clerk, password: PASSPHRASE });
  });
});
