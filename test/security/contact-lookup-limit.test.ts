import { describe, expect, it } from 'vitest';
import { LOOKUPS_PER_HOUR } from '../../src/contact/contact.messages.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { auditActions, lookUp, REASON } from '../support/contact-flow.js';
import { buildCampaign, buildContactLookups, buildCustomer } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/** Reading customers out one look-up at a time. ASVS numbering: OWASP ASVS 5.0.0. */

const deps = useTestDeps();
const app = createApp(deps);

describe('contact centre: look-ups per staff member', () => {
  it(`ASVS 5.0 2.4.1, 16.3.3: when a staff member passes ${LOOKUPS_PER_HOUR} look-ups in an hour, then the next is refused with a Japanese message, audited, and shows nothing`, async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const staff = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(staff);
    await buildContactLookups(deps, staff.id, LOOKUPS_PER_HOUR - 1);
    expect((await lookUp(ops, customer.registrationCode)).res.status).toBe(200);

    const refused = await lookUp(ops, customer.registrationCode);
    expect(refused.res.status).toBe(429);
    expect(refused.res.text).toContain(`照会の回数が上限（1時間に${LOOKUPS_PER_HOUR}件）に達しました`);
    expect(refused.res.text).not.toContain('name="actionToken"');
    const actions = (await auditActions(deps, staff.id)).map((e) => e.action);
    expect(actions).toEqual(['contact.lookup', 'contact.lookup_limited']);

    // Another staff member is not affected; an hour-old look-up no longer counts.
    const other = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    expect((await lookUp(other, customer.registrationCode)).res.status).toBe(200);
    const later = await buildStaff(deps, 'clerk');
    await buildContactLookups(deps, later.id, LOOKUPS_PER_HOUR, 61);
    expect(
      (await lookUp(await new OpsBrowser(app).signIn(later), customer.registrationCode)).res.status,
    ).toBe(200);
  });

  it('ASVS 5.0 2.4.1: when ten look-ups race with five left under the limit, then no more than five are answered', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const staff = await buildStaff(deps, 'clerk');
    // One operator, ten tabs: the same session posts ten look-ups at once.
    const ops = await new OpsBrowser(app).signIn(staff);
    const _csrf = await ops.token('/ops');
    await buildContactLookups(deps, staff.id, LOOKUPS_PER_HOUR - 5);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        ops.agent
          .post('/ops/contact/lookup')
          .type('form')
          .send({ _csrf, registrationCode: customer.registrationCode, reason: REASON }),
      ),
    );
    // Record-then-count never lets more than the limit through; racing requests may see each other's
    // records first and refuse a little early, which is the safe side.
    const statuses = results.map((r) => r.status).sort();
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - answered);
  });
});
