import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { ImportAbortedError, importCustomers } from '../src/imports/import.service.js';
import { ImportLeaseLost, withImportLease, type ImportLease } from '../src/imports/import.lease.js';
import { ImportAlreadyRunning } from '../src/imports/imports.errors.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign } from './support/factories.js';

// One import per campaign at a time, as a lease row: it must hold through PgBouncer in transaction
// pooling mode too (vitest.pgbouncer.config.ts runs this file), where no session lock would.
const deps = useTestDeps();
const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';
const csv = (...refs: string[]) =>
  [
    HEADER,
    ...refs.map((r) => `${r},見本 ${r},ミホン,1980-04-01,100-0004,東京都千代田区1-${r},,,,address,0`),
  ].join('\n');

const importInto = (campaign: Campaign, text: string, lease?: ImportLease) =>
  importCustomers(
    { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from([text]),
      letters: new Writable({ write: (_c, _e, cb) => cb() }),
      ...(lease ? { lease } : {}),
    },
  );

const customerCount = async (campaign: Campaign) =>
  Number(
    (await deps.pool.query('select count(*) from customers where campaign_id = $1', [campaign.id])).rows[0]
      .count,
  );
const leasesOf = async (campaign: Campaign) =>
  (await deps.pool.query('select holder from import_leases where campaign_id = $1', [campaign.id])).rows;

/** What a worker that died while importing leaves behind: its lease, expired `secondsAgo` or not yet. */
const leftLease = (campaign: Campaign, expiresInSeconds: number) =>
  deps.pool.query(
    `insert into import_leases (campaign_id, holder, expires_at)
     values ($1, $2, clock_timestamp() + make_interval(secs => $3))`,
    [campaign.id, randomUUID(), expiresInSeconds],
  );

describe("a campaign's import lease", () => {
  it('when another import holds it, then the import is refused and nothing is imported', async () => {
    const campaign = await buildCampaign(deps);
    const err = await withImportLease(deps.pool, campaign.id, 'refuse', () =>
      importInto(campaign, csv('L1')).catch((e: unknown) => e),
    );
    expect(ImportAlreadyRunning.is(err)).toBe(true);
    expect(await customerCount(campaign)).toBe(0);
    expect(await leasesOf(campaign)).toEqual([]);
    expect((await importInto(campaign, csv('L1'))).imported).toBe(1);
  });

  it('when the import ends, then its lease is gone, whether it succeeded or failed', async () => {
    const campaign = await buildCampaign(deps);
    await importInto(campaign, csv('E1', 'E2'));
    expect(await leasesOf(campaign)).toEqual([]);
    await expect(importInto(campaign, 'not,a,header\n1,2,3')).rejects.toBeInstanceOf(ImportAbortedError);
    expect(await leasesOf(campaign)).toEqual([]);
  });

  it('when a crashed holder left an unexpired lease, then it is respected; once expired, it is taken over', async () => {
    const live = await buildCampaign(deps);
    await leftLease(live, 60);
    await expect(importInto(live, csv('T1'))).rejects.toSatisfy((e) => ImportAlreadyRunning.is(e));
    const crashed = await buildCampaign(deps);
    await leftLease(crashed, -1);
    expect((await importInto(crashed, csv('T1', 'T2'))).imported).toBe(2);
    expect(await leasesOf(crashed)).toEqual([]);
  });

  it('when the lease was taken over from a holder, then its next batch does not commit', async () => {
    const campaign = await buildCampaign(deps);
    const lost: ImportLease = { campaignId: campaign.id, holder: randomUUID() }; // not (any longer) in the table
    const err = await importInto(campaign, csv('X1', 'X2'), lost).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportAbortedError);
    expect((err as ImportAbortedError).cause).toBeInstanceOf(ImportLeaseLost);
    expect(await customerCount(campaign)).toBe(0);
  });

  it('when runs of one campaign overlap, then the second waits for the first to end', async () => {
    const campaign = await buildCampaign(deps);
    const order: string[] = [];
    let endFirst!: () => void;
    const first = withImportLease(deps.pool, campaign.id, 'wait', async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => (endFirst = resolve));
      order.push('first ends');
    });
    await expect.poll(() => order).toEqual(['first starts']);
    const second = withImportLease(
      deps.pool,
      campaign.id,
      'wait',
      async () => void order.push('second starts'),
    );
    await new Promise((r) => setTimeout(r, 1_200));
    expect(order).toEqual(['first starts']);
    endFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
  });
});
