import { describe, expect, it } from 'vitest';
import { formatForPrint } from '../../src/customers/codes.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { act, auditActions, decide, lookUp, NOTE, openRequest, requestsOf } from '../support/contact-flow.js';
import { buildCampaign, buildCustomer } from '../support/factories.js';
import { staffSessions } from '../support/ops.js';

/** Erasing a customer by phone, alone and at once, cannot be undone. ASVS numbering: OWASP ASVS 5.0.0. */

const deps = useTestDeps();
const app = createApp(deps);

const erased = async (customerId: string) =>
  (
    await deps.db
      .selectFrom('customers')
      .select('erased_at')
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow()
  ).erased_at;
const personal = (customerId: string) =>
  deps.db
    .selectFrom('customer_personal')
    .select('customer_id')
    .where('customer_id', '=', customerId)
    .executeTakeFirst();

const { signedIn } = staffSessions(app, deps);

describe('contact centre: erasure needs a second person', () => {
  it('ASVS 5.0 2.3.5: when a supervisor confirms an immediate erasure, then nothing is erased until another supervisor or admin approves, and the requester cannot approve it', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff: asker, ops } = await signedIn('supervisor');
    const { token } = await lookUp(ops, customer.registrationCode);
    const asked = await act(ops, customer.id, 'erasure', { actionToken: token, confirm: 'yes' });
    expect(asked.status).toBe(200);
    expect(await erased(customer.id)).toBeNull();
    expect(await personal(customer.id)).toBeDefined();
    const [request] = await requestsOf(deps, customer.id);

    const own = await decide(
      ops,
      request!.id,
      'approve',
      (await openRequest(ops, request!.id)).token || token,
    );
    expect(own.status).toBe(403);
    expect(await erased(customer.id)).toBeNull();
    expect(await personal(customer.id)).toBeDefined();

    // Asking again while one waits: refused, still one request.
    const again = await act(ops, customer.id, 'erasure', { actionToken: token, confirm: 'yes' });
    expect(again.status).toBe(409);
    expect(await requestsOf(deps, customer.id)).toHaveLength(1);

    // The approval, too, needs the approver's own look at the request.
    const { staff: adminStaff, ops: admin } = await signedIn('admin');
    expect((await admin.post(`/ops/contact/requests/${request!.id}/approve`, { note: NOTE })).status).toBe(
      403,
    );
    expect(await erased(customer.id)).toBeNull();
    expect((await auditActions(deps, adminStaff.id)).map((e) => e.details)).toEqual([
      { refusedAction: 'approve', why: 'missing' },
    ]);
    expect((await decide(admin, request!.id, 'approve')).status).toBe(200);
    expect(await erased(customer.id)).not.toBeNull();
    expect(await personal(customer.id)).toBeUndefined();
    expect((await auditActions(deps, asker.id)).map((e) => e.action)).toEqual([
      'contact.lookup',
      'contact.erasure_requested',
      'contact.request_review',
      'contact.action_refused',
    ]);
  });

  it('ASVS 5.0 2.3.5: when a request is rejected, then nothing is erased and it cannot be approved afterwards', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { ops } = await signedIn('clerk');
    const { token } = await lookUp(ops, customer.registrationCode);
    await act(ops, customer.id, 'erasure', { actionToken: token, confirm: 'yes' });
    const [request] = await requestsOf(deps, customer.id);
    const { ops: sv } = await signedIn('supervisor');
    const { token: review } = await openRequest(sv, request!.id);
    expect((await decide(sv, request!.id, 'reject', review)).status).toBe(200);
    expect((await decide(sv, request!.id, 'approve', review)).status).toBe(409);
    expect(await erased(customer.id)).toBeNull();
    expect(await personal(customer.id)).toBeDefined();
  });

  it('ASVS 5.0 8.2.2, 14.2.6: when the unconfirmed erasure step is posted without a look-up token, then 403; with one, the page shows no registration code', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { staff, ops } = await signedIn('clerk');
    const blind = await act(ops, customer.id, 'erasure', {});
    expect(blind.status).toBe(403);
    expect(blind.text).not.toContain(formatForPrint(customer.registrationCode));
    expect(blind.text).not.toContain(customer.registrationCode);
    expect((await auditActions(deps, staff.id)).map((e) => e.action)).toEqual(['contact.action_refused']);

    const { token } = await lookUp(ops, customer.registrationCode);
    const step = await act(ops, customer.id, 'erasure', { actionToken: token });
    expect(step.status).toBe(200);
    expect(step.text).not.toContain(formatForPrint(customer.registrationCode));
    expect(step.text).not.toContain(customer.registrationCode);
    expect(await erased(customer.id)).toBeNull();
  });
});
