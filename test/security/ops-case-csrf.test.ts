import type { Request } from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { listEntries } from '../../src/audit/audit.repo.js';
import { createApp } from '../../src/app/create-app.js';
import { isOpsPath } from '../../src/platform/http/security.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';
import { csrfFrom } from '../support/web.js';

/**
 * ASVS 5.0.0 3.5.1 — requests to sensitive functionality "are validated to ensure they originate
 * from the application itself … by using and validating anti-forgery tokens". The console's CSRF
 * tokens are bound to the operator's session; Express routes `/OPS/…` to the console as well (its
 * routing ignores case), and the binding used to look at the path case-sensitively: `/OPS/…`
 * accepted a token bound to no session at all (one anybody gets from a customer page).
 */
const deps = useTestDeps();
const app = createApp(deps);

type Jar = { getCookies(access: object): { toValueString(): string } };
/** The browser's cookies for the console (its session and the CSRF cookie), as a header. */
const cookiesOf = (ops: OpsBrowser) =>
  (ops.agent as unknown as { jar: Jar }).jar
    .getCookies({ domain: '127.0.0.1', path: '/ops', secure: false, script: false })
    .toValueString();

const verifications = async (staffId: string) =>
  (await listEntries(deps.db, { staffId, action: 'audit.verify' }, 10)).length;

describe('ASVS 5.0.0 3.5.1 the console under another spelling', () => {
  it('when a signed-in operator posts to /OPS/… with a token bound to no session, then it is refused and nothing is done', async () => {
    const campaign = await buildCampaign(deps);
    const staff = await buildStaff(deps, 'auditor');
    const ops = await new OpsBrowser(app).signIn(staff);
    // A token from a customer page: bound to no session, its cookie now in the operator's browser.
    const unbound = csrfFrom((await ops.agent.get(`/c/${campaign.slug}/login`)).text);
    const cookies = cookiesOf(ops);
    expect(cookies).toMatch(/owabi_staff=/);

    for (const path of ['/OPS/audit/verify', '/Ops/audit/verify', '/oPs/audit/verify']) {
      const res = await supertest(app)
        .post(path)
        .set('Cookie', cookies)
        .type('form')
        .send({ _csrf: unbound });
      expect(res.status, path).toBe(404);
    }
    // The same token on the console's own spelling: bound to the wrong session.
    const res = await supertest(app)
      .post('/ops/audit/verify')
      .set('Cookie', cookies)
      .type('form')
      .send({ _csrf: unbound });
    expect(res.status).toBe(403);
    expect(await verifications(staff.id)).toBe(0);

    // With a token of the operator's own session it works, on /ops only.
    expect((await ops.post('/ops/audit/verify', {}, '/ops/audit')).status).toBe(200);
    expect(await verifications(staff.id)).toBe(1);
  });

  it('when a page of the console is asked for under another spelling, then 404: the console has one spelling', async () => {
    const staff = await buildStaff(deps, 'auditor');
    const ops = await new OpsBrowser(app).signIn(staff);
    const cookies = cookiesOf(ops);
    expect((await supertest(app).get('/ops/audit').set('Cookie', cookies)).status).toBe(200);
    expect((await supertest(app).get('/OPS/audit').set('Cookie', cookies)).status).toBe(404);
  });

  it('when the CSRF binding decides whose session a request belongs to, then any case of /ops is the console', () => {
    const req = (originalUrl: string) => ({ originalUrl }) as Request;
    for (const url of ['/ops', '/ops/audit', '/OPS/audit?x=1', '/Ops/'])
      expect(isOpsPath(req(url)), url).toBe(true);
    for (const url of ['/opsx', '/c/ops/login', '/', '/%6Fps/audit'])
      expect(isOpsPath(req(url)), url).toBe(false);
  });
});
