import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseCustomerNow } from '../src/erasure/erasure.service.js';
import {
  exportSuppressionList,
  JWT_AUDIENCE,
  JWT_ISSUER,
  suppressionWebhookKey,
  type OptOutEntry,
} from '../src/erasure/suppression.service.js';
import { addToSuppressionList } from '../src/erasure/suppression.repo.js';
import { unguardCell } from '../src/platform/csv.js';
import { useScratchDir, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';
import { storedBytes, storedText } from './support/stored.js';

let clock = new Date('2026-12-01T03:04:05.678Z');
const dataDir = useScratchDir();
const deps = useTestDeps({ now: () => clock }, { DATA_DIR: dataDir });

/** The company's system at the other end: verifies the signature as it would, keeps what it accepted. */
const received: { entries: OptOutEntry[]; claims: string[] }[] = [];
let answer = 200;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', async () => {
    try {
      expect(req.headers['content-type']).toBe('application/jwt');
      expect(decodeProtectedHeader(body).alg).toBe('HS256');
      const { payload } = await jwtVerify(body, suppressionWebhookKey(deps.config), {
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        algorithms: ['HS256'],
        currentDate: clock,
      });
      received.push({ entries: payload.entries as OptOutEntry[], claims: Object.keys(payload).sort() });
      res.writeHead(answer).end();
    } catch {
      res.writeHead(401).end();
    }
  });
});
let webhookUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/suppression`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function optedOutCustomers(n: number) {
  const campaign = await buildCampaign(deps);
  const people = [];
  for (let i = 0; i < n; i++) {
    const customer = await buildCustomer(deps, campaign);
    const details = await givePersonalDetails(deps, customer);
    await addToSuppressionList(deps.db, campaign.id, [customer.id], new Date(`2026-11-2${i}T00:00:00Z`));
    people.push({ customer, details });
  }
  return { campaign, people };
}

const exportedAt = (customerId: string) =>
  deps.db
    .selectFrom('suppression_list')
    .select(['exported_at', 'customer_ref'])
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();

describe('the suppression list export', () => {
  it('when no webhook is configured, then opt-outs go to an encrypted CSV with the customer number, campaign and date only, once', async () => {
    const { campaign, people } = await optedOutCustomers(2);
    const result = await exportSuppressionList(deps, { campaignId: campaign.id });
    expect(result.exported).toBe(2);
    expect(result.webhook).toBeUndefined();
    expect(result.file).toBe(`campaigns/${campaign.id}/suppression/${campaign.slug}-20261201T030405Z.csv`);
    const text = await storedText(deps.store, result.file!, true);
    expect(text.trimEnd().split('\r\n')).toEqual([
      '\uFEFFcustomer_ref,campaign,requested_at',
      `${people[0]!.details.customerRef},${campaign.slug},2026-11-20T00:00:00.000Z`,
      `${people[1]!.details.customerRef},${campaign.slug},2026-11-21T00:00:00.000Z`,
    ]);
    for (const { customer } of people) expect((await exportedAt(customer.id)).exported_at).toEqual(clock);

    const again = await exportSuppressionList(deps, { campaignId: campaign.id });
    expect(again).toMatchObject({ exported: 0, files: [] });
  });

  it('when a customer number looks like a formula, then the file (UTF-8 with BOM) shows it as text and unguardCell gives the number back', async () => {
    const { campaign, people } = await optedOutCustomers(1);
    const ref = '=HYPERLINK("http://evil.example/","CR")';
    await deps.db
      .updateTable('suppression_list')
      .set({ customer_ref: ref })
      .where('customer_id', '=', people[0]!.customer.id)
      .execute();
    clock = new Date(clock.getTime() + 1000);

    const result = await exportSuppressionList(deps, { campaignId: campaign.id });

    const bytes = await storedBytes(deps.store, result.file!, true);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows).toEqual([
      ['customer_ref', 'campaign', 'requested_at'],
      [`'${ref}`, campaign.slug, '2026-11-20T00:00:00.000Z'],
    ]);
    expect(unguardCell(rows[1]![0]!)).toBe(ref);
  });

  it('when a webhook is configured, then the opt-outs are posted as an HS256 JWT the receiver verifies, holding only customer number, campaign and date', async () => {
    const { campaign, people } = await optedOutCustomers(2);
    const webhookDeps = { ...deps, config: { ...deps.config, SUPPRESSION_WEBHOOK_URL: webhookUrl } };
    received.length = 0;

    const result = await exportSuppressionList(webhookDeps, { campaignId: campaign.id });
    expect(result).toMatchObject({ exported: 2, webhook: true, files: [] });
    expect(received).toHaveLength(1);
    expect(received[0]!.claims).toEqual(['aud', 'entries', 'exp', 'iat', 'iss', 'jti']);
    expect(received[0]!.entries).toEqual(
      people.map((p, i) => ({
        customer_ref: p.details.customerRef,
        campaign: campaign.slug,
        requested_at: `2026-11-2${i}T00:00:00.000Z`,
      })),
    );
    for (const { customer } of people) expect((await exportedAt(customer.id)).exported_at).toEqual(clock);
  });

  it('when the webhook refuses, then nothing is marked exported and the next run sends it again', async () => {
    const { campaign, people } = await optedOutCustomers(1);
    const webhookDeps = { ...deps, config: { ...deps.config, SUPPRESSION_WEBHOOK_URL: webhookUrl } };
    answer = 503;
    try {
      await expect(exportSuppressionList(webhookDeps, { campaignId: campaign.id })).rejects.toThrow(/503/);
    } finally {
      answer = 200;
    }
    expect((await exportedAt(people[0]!.customer.id)).exported_at).toBeNull();
    expect((await exportSuppressionList(webhookDeps, { campaignId: campaign.id })).exported).toBe(1);
  });

  it('when an opted-out customer is erased before the export, then the opt-out still reaches the other systems and the customer number is dropped afterwards', async () => {
    const { campaign, people } = await optedOutCustomers(1);
    const { customer, details } = people[0]!;
    await eraseCustomerNow({ ...deps }, customer.id);
    clock = new Date(clock.getTime() + 1000);
    const result = await exportSuppressionList(deps, { campaignId: campaign.id });
    expect(await storedText(deps.store, result.file!, true)).toContain(details.customerRef);
    expect(await exportedAt(customer.id)).toEqual({ exported_at: clock, customer_ref: null });
  });
});
