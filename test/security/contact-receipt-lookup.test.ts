import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/api-tokens.service.js';
import { createApp } from '../../src/app/create-app.js';
import { LOOKUPS_PER_HOUR } from '../../src/contact/contact.messages.js';
import { formatReference, referenceFor, referenceKey } from '../../src/redemption/receipt.js';
import { useTestDeps } from '../support/context.js';
import { auditActions, lookUp } from '../support/contact-flow.js';
import { buildCampaign, buildContactLookups, buildCustomer, redeem } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/**
 * A receipt's reference number (受付番号) opens a customer's record like their registration code:
 * it must not be a way around the look-up's hourly limit nor its audit. ASVS numbering: OWASP
 * ASVS 5.0.0.
 */

const deps = useTestDeps();
const app = createApp(deps);

async function referenceOfNewRedemption() {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  const id = await redeem(deps, campaign, customer.id, { option: 'donation', dataChoice: 'none' });
  return { customer, reference: formatReference(referenceFor(referenceKey(deps.config), id)) };
}

describe('contact centre: look-up by reference number', () => {
  it('ASVS 5.0 16.3.1, 14.2.4: a look-up by reference number is audited as a look-up of that customer; a made-up one as a miss', async () => {
    const { customer, reference } = await referenceOfNewRedemption();
    const staff = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(staff);
    expect((await lookUp(ops, reference)).res.status).toBe(200);
    const madeUp = formatReference(referenceFor(referenceKey(deps.config), '851234567890'));
    expect((await lookUp(ops, madeUp)).res.status).toBe(404);
    const entries = (await auditActions(deps, staff.id)).filter((e) => e.action === 'contact.lookup');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ target_id: customer.id, details: { found: true } });
    expect(entries[1]).toMatchObject({ target_id: null, details: { found: false } });
  });

  it('ASVS 5.0 2.4.1: reference numbers count against the same hourly limit as registration codes', async () => {
    const { reference } = await referenceOfNewRedemption();
    const staff = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(staff);
    await buildContactLookups(deps, staff.id, LOOKUPS_PER_HOUR);
    const refused = await lookUp(ops, reference);
    expect(refused.res.status).toBe(429);
    expect(refused.res.text).not.toContain('name="actionToken"');
  });

  it('ASVS 5.0 16.3.1: the API look-up takes a reference number as the console does, within the same limit and audit', async () => {
    const { customer, reference } = await referenceOfNewRedemption();
    const staff = await buildStaff(deps, 'admin');
    const issued = await createApiToken(
      deps.db,
      staff.id,
      { name: 'cc', scopes: ['contact'], days: 1 },
      new Date(),
    );
    const res = await supertest(app)
      .post('/api/v1/ops/customers/lookup')
      .set('Authorization', `Bearer ${issued.token}`)
      .send({ registrationCode: reference, reason: '着信 12345' });
    expect(res.status).toBe(200);
    expect(res.body.registrationCode).toBe(customer.registrationCode);
    const entries = (await auditActions(deps, staff.id)).filter((e) => e.action === 'contact.lookup');
    expect(entries).toMatchObject([{ target_id: customer.id, details: { found: true } }]);
  });
});
