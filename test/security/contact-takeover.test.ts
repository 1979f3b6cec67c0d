import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACTION_AUDIENCE } from '../../src/contact/contact-token.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import {
  act,
  auditActions,
  decide,
  downloadLetter,
  keyFromLetter,
  loginHash,
  lookUp,
  openRequest,
  requestsOf,
  useDataDir,
} from '../support/contact-flow.js';
import { buildCampaign, buildCustomer, buildEmoneyPool, redeem } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/**
 * Taking over a customer from the contact centre: a new login key for any customer id, without
 * looking them up, alone, or seeing the key. ASVS numbering: OWASP ASVS 5.0.0.
 */

let skewMs = 0;
const deps = useTestDeps({ now: () => new Date(Date.now() + skewMs) }, { DATA_DIR: useDataDir() });
const app = createApp(deps);

async function setup() {
  skewMs = 0;
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  const staff = await buildStaff(deps, 'clerk');
  const ops = await new OpsBrowser(app).signIn(staff);
  return { campaign, customer, staff, ops, hash: await loginHash(deps, customer.id) };
}

const refusals = async (staffId: string) =>
  (await auditActions(deps, staffId))
    .filter((e) => e.action === 'contact.action_refused')
    .map((e) => e.details as { refusedAction: string; why: string });

/** Nothing happened to the customer: same key, no request. */
async function expectUntouched(customerId: string, hash: Buffer) {
  expect((await loginHash(deps, customerId)).equals(hash)).toBe(true);
  expect(await requestsOf(deps, customerId)).toEqual([]);
}

const sign = (key: Parameters<SignJWT['sign']>[0], claims: { sub: string; cus: string }) =>
  new SignJWT({ cus: claims.cus })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('owabi')
    .setAudience(ACTION_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);

describe('contact centre: taking over a customer', () => {
  it('ASVS 5.0 8.2.2, 2.3.1: when a clerk posts an action on a customer id without a look-up token, then 403, audited as refused, and nothing changes', async () => {
    const { customer, staff, ops, hash } = await setup();
    for (const action of ['reissue', 'erasure', 'opt-out'] as const) {
      const res = await act(ops, customer.id, action, { confirm: 'yes' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('ご自身がこのお客様を照会してから10分以内に限り');
    }
    await expectUntouched(customer.id, hash);
    expect(
      (
        await deps.db
          .selectFrom('customers')
          .select('erased_at')
          .where('id', '=', customer.id)
          .executeTakeFirst()
      )?.erased_at,
    ).toBeNull();
    expect(await refusals(staff.id)).toEqual([
      { refusedAction: 'reissue', why: 'missing' },
      { refusedAction: 'erasure', why: 'missing' },
      { refusedAction: 'opt_out', why: 'missing' },
    ]);
  });

  it("ASVS 5.0 8.2.2: when a clerk uses another clerk's look-up token, or a token for the customer with the next id, then 403 and nothing changes", async () => {
    const { campaign, customer, staff, ops, hash } = await setup();
    const other = await buildStaff(deps, 'clerk');
    const { token: othersToken } = await lookUp(
      await new OpsBrowser(app).signIn(other),
      customer.registrationCode,
    );
    expect(
      (await act(ops, customer.id, 'reissue', { actionToken: othersToken, confirm: 'yes' })).status,
    ).toBe(403);

    const neighbour = await buildCustomer(deps, campaign);
    expect(Number(neighbour.id)).toBeGreaterThan(Number(customer.id));
    const { token: mine } = await lookUp(ops, customer.registrationCode);
    const neighbourHash = await loginHash(deps, neighbour.id);
    expect((await act(ops, neighbour.id, 'reissue', { actionToken: mine, confirm: 'yes' })).status).toBe(403);

    await expectUntouched(customer.id, hash);
    await expectUntouched(neighbour.id, neighbourHash);
    expect(await refusals(staff.id)).toEqual([
      { refusedAction: 'reissue', why: 'other_staff' },
      { refusedAction: 'reissue', why: 'other_customer' },
    ]);
  });

  it('ASVS 5.0 9.2.1: when the look-up token is more than 10 minutes old, then 403 (expired) and a new look-up is needed', async () => {
    const { customer, staff, ops, hash } = await setup();
    const { token } = await lookUp(ops, customer.registrationCode);
    skewMs = 10 * 60_000 + 1_000;
    expect((await act(ops, customer.id, 'reissue', { actionToken: token, confirm: 'yes' })).status).toBe(403);
    await expectUntouched(customer.id, hash);
    expect(await refusals(staff.id)).toEqual([{ refusedAction: 'reissue', why: 'expired' }]);
    const { token: fresh } = await lookUp(ops, customer.registrationCode);
    expect((await act(ops, customer.id, 'reissue', { actionToken: fresh, confirm: 'yes' })).status).toBe(200);
  });

  it('ASVS 5.0 9.1.1, 9.1.2, 9.2.3: when a token is forged (signed with the staff session secret itself, shaped as a staff session, alg none, an edited payload), then 403 (invalid)', async () => {
    const { customer, staff, ops, hash } = await setup();
    const claims = { sub: staff.id, cus: customer.id };
    const rawSecret = createSecretKey(Buffer.from(deps.config.STAFF_SESSION_SECRET, 'utf8'));
    const { token: real } = await lookUp(ops, customer.registrationCode);
    const [h, p, s] = real.split('.') as [string, string, string];
    const edited = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = [
      await sign(rawSecret, claims),
      // What a staff session token is: the raw secret, the staff audience.
      await new SignJWT({ sid: 'x', mfa: true })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(staff.id)
        .setIssuer('owabi')
        .setAudience('owabi:staff')
        .setExpirationTime('10m')
        .sign(rawSecret),
      `${b64({ alg: 'none' })}.${b64({ ...edited })}.`,
      `${h}.${b64({ ...edited, exp: Number(edited.exp) + 3600 })}.${s}`,
    ];
    for (const actionToken of forged)
      expect((await act(ops, customer.id, 'reissue', { actionToken, confirm: 'yes' })).status).toBe(403);
    await expectUntouched(customer.id, hash);
    expect((await refusals(staff.id)).every((r) => r.why === 'invalid')).toBe(true);
    expect(await refusals(staff.id)).toHaveLength(forged.length);
  });

  it('ASVS 5.0 2.3.5: when a supervisor approves their own reissue request, or a clerk approves anyone’s, then 403, audited, and the key is unchanged', async () => {
    const { customer, hash } = await setup();
    const supervisor = await buildStaff(deps, 'supervisor');
    const sv = await new OpsBrowser(app).signIn(supervisor);
    const { token } = await lookUp(sv, customer.registrationCode);
    expect((await act(sv, customer.id, 'reissue', { actionToken: token, confirm: 'yes' })).status).toBe(200);
    const [request] = await requestsOf(deps, customer.id);

    const self = await openRequest(sv, request!.id);
    expect(self.res.text).not.toContain('/approve"');
    const own = await decide(sv, request!.id, 'approve', self.token);
    expect(own.status).toBe(403);
    expect(own.text).toContain('依頼した本人以外のスーパーバイザーまたは管理者');

    const clerk = await buildStaff(deps, 'clerk');
    const cl = await new OpsBrowser(app).signIn(clerk);
    expect((await openRequest(cl, request!.id)).res.status).toBe(403);
    const { token: clerkToken } = await lookUp(cl, customer.registrationCode);
    expect((await decide(cl, request!.id, 'approve', clerkToken)).status).toBe(403);

    expect((await loginHash(deps, customer.id)).equals(hash)).toBe(true);
    expect((await requestsOf(deps, customer.id))[0]!.status).toBe('pending');
    expect(await refusals(supervisor.id)).toEqual([{ refusedAction: 'approve', why: 'own_request' }]);
    expect(await refusals(clerk.id)).toEqual([{ refusedAction: 'approve', why: 'not_approver' }]);
  });

  it('ASVS 5.0 6.4.6: when a reissue goes through, then the new key never reaches the clerk or the approver; the one download (not by the requester) holds it', async () => {
    const { customer, ops } = await setup();
    const pages: string[] = [];
    const { res: looked, token } = await lookUp(ops, customer.registrationCode);
    pages.push(looked.text);
    const asked = await act(ops, customer.id, 'reissue', { actionToken: token, confirm: 'yes' });
    expect(asked.headers['content-type']).toMatch(/^text\/html/);
    pages.push(asked.text);
    const [request] = await requestsOf(deps, customer.id);

    const approver = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const review = await openRequest(approver, request!.id);
    pages.push(review.res.text);
    const approved = await decide(approver, request!.id, 'approve', review.token);
    expect(approved.status).toBe(200);
    pages.push(approved.text, (await ops.get('/ops/contact/requests')).text);

    // The clerk may not download it (no export permission), even with a fresh look at the request.
    const clerkView = await openRequest(ops, request!.id);
    pages.push(clerkView.res.text);
    expect((await downloadLetter(ops, request!.id, token)).status).toBe(403);

    const letter = await downloadLetter(approver, request!.id);
    expect(letter.status).toBe(200);
    const newKey = keyFromLetter(letter.text);
    expect(newKey).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    for (const page of pages) {
      expect(page).not.toContain(newKey);
      expect(page).not.toContain(newKey.match(/.{4}/g)!.join('-'));
    }
  });

  it('ASVS 5.0 2.3.5: when the supervisor who asked for a reissue tries to download its letter, then 403 and the file stays for someone else', async () => {
    const { customer } = await setup();
    const asker = await buildStaff(deps, 'supervisor');
    const sv = await new OpsBrowser(app).signIn(asker);
    const { token } = await lookUp(sv, customer.registrationCode);
    await act(sv, customer.id, 'reissue', { actionToken: token, confirm: 'yes' });
    const [request] = await requestsOf(deps, customer.id);
    const admin = await new OpsBrowser(app).signIn(await buildStaff(deps, 'admin'));
    expect((await decide(admin, request!.id, 'approve')).status).toBe(200);

    const own = await openRequest(sv, request!.id);
    expect(own.res.text).not.toContain('/letter"');
    // Even with a valid token of their own for the customer (a fresh look-up).
    const { token: fresh } = await lookUp(sv, customer.registrationCode);
    expect((await downloadLetter(sv, request!.id, fresh)).status).toBe(403);
    expect(await refusals(asker.id)).toEqual([{ refusedAction: 'letter', why: 'own_request' }]);
    expect((await downloadLetter(admin, request!.id)).status).toBe(200);
  });

  it('ASVS 5.0 2.3.1: when the customer has chosen e-money (its code is shown on their page), then a reissue is refused when asked and when approved', async () => {
    const { campaign, customer, ops, hash } = await setup();
    await buildEmoneyPool(deps, campaign, 1);
    await redeem(deps, campaign, customer.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' });
    const { res, token } = await lookUp(ops, customer.registrationCode);
    expect(res.text).not.toContain('/reissue"');
    const refused = await act(ops, customer.id, 'reissue', { actionToken: token, confirm: 'yes' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('電子マネーギフトのコードがお客様の画面にすでに表示されている');
    await expectUntouched(customer.id, hash);

    // Asked before the redemption, approved after it: still refused.
    const later = await buildCustomer(deps, campaign);
    const laterHash = await loginHash(deps, later.id);
    const { token: t2 } = await lookUp(ops, later.registrationCode);
    expect((await act(ops, later.id, 'reissue', { actionToken: t2, confirm: 'yes' })).status).toBe(200);
    await buildEmoneyPool(deps, campaign, 1);
    await redeem(deps, campaign, later.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' });
    const [request] = await requestsOf(deps, later.id);
    const sv = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    expect((await decide(sv, request!.id, 'approve')).status).toBe(409);
    expect((await loginHash(deps, later.id)).equals(laterHash)).toBe(true);
  });
});
