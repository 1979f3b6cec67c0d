import { describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/audit.service.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { buildStaff, freshTotp, OpsBrowser, totpNow } from './support/ops.js';
import { CustomerBrowser, csrfFrom } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_id', 'details'])
    .where('staff_id', '=', staffId)
    .orderBy('id')
    .execute();

describe("operators' sign-in", () => {
  it('when a clerk signs in with the right password, then the console opens and the sign-in is audited', async () => {
    const clerk = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(clerk);
    const home = await ops.get('/ops');
    expect(home.status).toBe(200);
    expect(home.text).toContain('はがき入力');
    expect(home.text).not.toContain('監査ログ');
    expect((await auditOf(clerk.id)).map((a) => a.action)).toContain('staff.sign_in');
  });

  it('when the password is wrong five times, then the right password gets the same refusal and opens nothing', async () => {
    const clerk = await buildStaff(deps, 'clerk');
    const ops = new OpsBrowser(app);
    for (let i = 0; i < 5; i++) {
      const r = await ops.password(clerk.username, 'wrong-password!');
      expect(r.status).toBe(401);
      expect(r.text).toContain('ユーザー名またはパスワードが正しくありません');
    }
    const locked = await ops.password(clerk.username, clerk.password);
    expect(locked.status).toBe(401);
    expect(locked.text).toContain('ユーザー名またはパスワードが正しくありません');
    expect((await ops.get('/ops/login/totp')).headers.location).toBe('/ops/login');
    const row = await deps.db
      .selectFrom('staff')
      .select('locked_until')
      .where('id', '=', clerk.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());
  });

  it('when a supervisor has passed only the password, then nothing but the second-factor page opens', async () => {
    const sup = await buildStaff(deps, 'supervisor');
    const ops = new OpsBrowser(app);
    await ops.password(sup.username, sup.password);
    const home = await ops.get('/ops/staff');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/ops/login/totp');
    const t2 = await ops.token('/ops/login/totp');
    const bad = await ops.agent.post('/ops/login/totp').type('form').send({ _csrf: t2, code: '000000' });
    expect(bad.status).toBe(401);
    const t3 = await ops.token('/ops/login/totp');
    const good = await ops.agent
      .post('/ops/login/totp')
      .type('form')
      .send({ _csrf: t3, code: totpNow(sup.totpSecret!) });
    expect(good.status).toBe(303);
    expect((await ops.get('/ops/staff')).status).toBe(200);
  });

  it('when an account has no second factor, then its password alone opens nothing, and its owner enrols one through a one-time link', async () => {
    const admin = await buildStaff(deps, 'admin');
    const clerk = await buildStaff(deps, 'clerk');
    const adminOps = await new OpsBrowser(app).signIn(admin);
    const reset = await adminOps.post(
      `/ops/staff/${clerk.id}/reset-totp`,
      { reason: '端末の紛失' },
      '/ops/staff',
    );
    expect(reset.status).toBe(200);
    const link = /\/ops\/enrol\?t=([A-Za-z0-9_-]{43})/.exec(reset.text)![0];

    const refused = await new OpsBrowser(app).password(clerk.username, clerk.password);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('二要素認証（TOTP）が設定されていない');

    const ops = new OpsBrowser(app);
    const page = await ops.get(link);
    expect(page.status).toBe(200);
    const secret = /<code class="secret" translate="no">([A-Z2-7]+)<\/code>/.exec(page.text)![1]!;
    const enrolled = { ...clerk, totpSecret: secret };
    const t = /name="t" value="([^"]+)"/.exec(page.text)![1]!;
    const enrol = await ops.agent
      .post('/ops/enrol')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        t,
        currentPassword: clerk.password,
        newCode: await freshTotp(enrolled),
      });
    expect(enrol.status).toBe(200);
    expect(enrol.text).toContain('登録が完了しました');
    expect(
      enrol.text.match(/<li><code class="secret">[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}<\/code><\/li>/g),
    ).toHaveLength(10);

    const signedIn = await new OpsBrowser(app).signIn(enrolled);
    expect((await signedIn.get('/ops')).status).toBe(200);
    const actions = (await auditOf(admin.id)).map((a) => a.action);
    expect(actions).toContain('staff.totp_reset');
    expect((await auditOf(clerk.id)).map((a) => a.action)).toContain('staff.totp_enrolled');
  });

  it('when an administrator unlocks a locked account, then its owner signs in again, and the staff page says what state each account is in', async () => {
    const admin = await buildStaff(deps, 'admin');
    const clerk = await buildStaff(deps, 'clerk');
    for (let i = 0; i < 5; i++) await new OpsBrowser(app).password(clerk.username, `wrong-${i}-password`);
    const adminOps = await new OpsBrowser(app).signIn(admin);
    const list = await adminOps.get('/ops/staff');
    expect(list.text).toContain(`action="/ops/staff/${clerk.id}/unlock"`);
    expect(list.text).toContain('ロック中');
    const unlock = await adminOps.post(
      `/ops/staff/${clerk.id}/unlock`,
      { reason: '本人確認済み' },
      '/ops/staff',
    );
    expect(unlock.status).toBe(303);
    expect((await (await new OpsBrowser(app).signIn(clerk)).get('/ops')).status).toBe(200);
    expect((await auditOf(admin.id)).map((a) => a.action)).toContain('staff.unlock');
  });

  it('when an account is disabled or its role changed, then that takes effect on its next request', async () => {
    const admin = await buildStaff(deps, 'admin');
    const clerk = await buildStaff(deps, 'clerk');
    const adminOps = await new OpsBrowser(app).signIn(admin);
    const clerkOps = await new OpsBrowser(app).signIn(clerk);
    expect((await clerkOps.get('/ops/staff')).status).toBe(403);

    const promote = await adminOps.post(`/ops/staff/${clerk.id}/role`, {
      role: 'auditor',
      reason: '配置換え',
    });
    expect(promote.status).toBe(303);
    expect((await clerkOps.get('/ops')).text).toContain('監査ログ');

    const disable = await adminOps.post(`/ops/staff/${clerk.id}/disable`, { reason: '退職' });
    expect(disable.status).toBe(303);
    const after = await clerkOps.get('/ops');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/ops/login');
    const actions = (await auditOf(admin.id)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.role_change', 'staff.disable']));
    expect((await verifyChain(deps.db)).valid).toBe(true);
  });

  it('when a customer session is presented to the console, or a staff session to the customer pages, then neither is accepted', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    const customerCookie = (
      await browser.agent.jar.getCookie('owabi_session', {
        path: '/',
        domain: '127.0.0.1',
        secure: false,
        script: false,
      })
    )?.value;
    expect(customerCookie).toBeTruthy();
    const asStaff = await new OpsBrowser(app).agent
      .get('/ops')
      .set('Cookie', `owabi_staff=${customerCookie}`);
    expect(asStaff.status).toBe(303);
    expect(asStaff.headers.location).toBe('/ops/login');

    const clerk = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(clerk);
    const staffCookie = (
      await ops.agent.jar.getCookie('owabi_staff', {
        path: '/ops',
        domain: '127.0.0.1',
        secure: false,
        script: false,
      })
    )?.value;
    expect(staffCookie).toBeTruthy();
    const asCustomer = await new CustomerBrowser(app, campaign.slug).agent
      .get(`/c/${campaign.slug}/my`)
      .set('Cookie', `owabi_session=${staffCookie}`);
    expect(asCustomer.status).toBe(303);
    expect(asCustomer.headers.location).toBe(`/c/${campaign.slug}/login`);
  });
});
