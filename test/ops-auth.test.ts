import { describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/audit.service.js';
import { createApp } from '../src/platform/http/app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { buildStaff, OpsBrowser, totpNow } from './support/ops.js';
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

  it('when the password is wrong five times, then the account is locked even for the right password', async () => {
    const clerk = await buildStaff(deps, 'clerk');
    const ops = new OpsBrowser(app);
    for (let i = 0; i < 5; i++) {
      const t = await ops.token();
      const r = await ops.agent
        .post('/ops/login')
        .type('form')
        .send({ _csrf: t, username: clerk.username, password: 'wrong-password!' });
      expect(r.status).toBe(401);
      expect(r.text).toContain('ユーザー名またはパスワードが正しくありません');
    }
    const t = await ops.token();
    const locked = await ops.agent
      .post('/ops/login')
      .type('form')
      .send({ _csrf: t, username: clerk.username, password: clerk.password });
    expect(locked.status).toBe(423);
  });

  it('when a supervisor has passed only the password, then nothing but the second-factor page opens', async () => {
    const sup = await buildStaff(deps, 'supervisor');
    const ops = new OpsBrowser(app);
    const t = await ops.token();
    await ops.agent
      .post('/ops/login')
      .type('form')
      .send({ _csrf: t, username: sup.username, password: sup.password });
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

  it('when an admin has no second factor yet, then they must enrol one first', async () => {
    const admin = await buildStaff(deps, 'admin');
    await deps.db.updateTable('staff').set({ totp_secret: null }).where('id', '=', admin.id).execute();
    const ops = await new OpsBrowser(app).signIn({ ...admin, totpSecret: null });
    const res = await ops.get('/ops');
    expect(res.headers.location).toBe('/ops/account/totp');
    const page = await ops.get('/ops/account/totp');
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(page.text)![1]!;
    const enrol = await ops.agent
      .post('/ops/account/totp')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), secret, code: totpNow(secret) });
    expect(enrol.status).toBe(303);
    expect((await ops.get('/ops')).status).toBe(200);
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
