import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/api-tokens.service.js';
import { createApp } from '../../src/app/create-app.js';
import { ApiClient } from '../support/api.js';
import { useTestDeps } from '../support/context.js';
import { addToSuppressionList } from '../../src/erasure/suppression.repo.js';
import { buildCampaign, buildCustomer, buildStaff } from '../support/factories.js';

/**
 * The suppression feed's cursor is the caller's input: a forged one is refused as a bad request
 * (400 problem), never reaches PostgreSQL as something it cannot read (a 500 and an error in the
 * log). ASVS numbering: OWASP ASVS 5.0.0.
 */

const deps = useTestDeps();
const api = new ApiClient(createApp(deps, { api: { suppressionSettleSeconds: 0 } }));

async function feedToken() {
  const staff = await buildStaff(deps, 'admin');
  const name = `feed ${randomUUID().slice(0, 6)}`;
  return (await createApiToken(deps.db, staff.id, { name, scopes: ['exports'], days: 1 }, new Date())).token;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('API: the suppression feed cursor', () => {
  it.each([
    ['a bare number JavaScript reads as a year', ['1', '1']],
    ['a day no month has', ['2024-02-30T00:00:00Z', '1']],
    ['a date far outside any campaign', ['+275760-09-13T00:00:00.000Z', '1']],
    ['a customer id beyond bigint', ['2024-01-01T00:00:00Z', '99999999999999999999']],
  ])(
    'ASVS 5.0 1.2.5, 2.2.1, 16.5.1: when the cursor is forged (%s), then 400 bad_cursor, not a 500',
    async (_label, value) => {
      const token = await feedToken();
      const res = await api.get(`/api/v1/ops/suppression?cursor=${cursorOf(value)}`, { token });
      expect(res.status).toBe(400);
      expect(res.json.detail).not.toMatch(/timestamp|syntax|bigint|postgres/i);
    },
  );

  it('ASVS 5.0 2.2.1: a cursor the feed handed out is still accepted', async () => {
    const token = await feedToken();
    const campaign = await buildCampaign(deps);
    const customers = [await buildCustomer(deps, campaign), await buildCustomer(deps, campaign)];
    await addToSuppressionList(
      deps.db,
      campaign.id,
      customers.map((c) => c.id),
      new Date(Date.now() - 5000),
    );
    const first = await api.get(`/api/v1/ops/suppression?limit=1&campaign=${campaign.slug}`, { token });
    expect(first.status).toBe(200);
    const next = await api.get(
      `/api/v1/ops/suppression?limit=1&campaign=${campaign.slug}&cursor=${first.json.nextCursor}`,
      { token },
    );
    expect(next.status).toBe(200);
  });
});
