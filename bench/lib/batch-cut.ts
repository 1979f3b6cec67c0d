import { randomBytes } from 'node:crypto';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import { cutShippingBatches } from '../../src/fulfilment/shipping.service.js';
import type { JobDeps } from '../../src/platform/job-deps.js';
import { retryOnLockConflict } from '../../src/platform/pg-retry.js';

/**
 * Seeds `lines` book-card redemptions with personal data into a fresh campaign (set-based: three
 * INSERT … SELECT over generate_series; every tenth customer corrected their shipping address).
 */
async function seedBookCards(deps: Pick<JobDeps, 'pool'>, campaignId: string, tag: string, lines: number) {
  const q = (text: string, values: unknown[] = []) => deps.pool.query(text, values);
  await retryOnLockConflict(() => q('select create_campaign_partitions($1)', [campaignId]), 100);
  await q(
    `insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash)
     select $1, $2 || lpad(i::text, 8, '0'), decode(md5('key' || $2 || i), 'hex'), decode(md5('ref' || $2 || i), 'hex')
       from generate_series(1, $3::int) as i`,
    [campaignId, `BC${tag}`, lines],
  );
  await q(
    `insert into customer_personal (customer_id, campaign_id, full_name, postal_code, address, person_digest,
                                    ship_postal_code, ship_address)
     select id, campaign_id, '試験 太郎' || id, '1000004', '東京都千代田区大手町1-1-' || id, decode(md5('p' || id), 'hex'),
            case when id % 10 = 0 then '5300001' end, case when id % 10 = 0 then '大阪府大阪市北区梅田1-' || id end
       from customers where campaign_id = $1`,
    [campaignId],
  );
  await q(
    `insert into redemptions (customer_id, campaign_id, channel, option, amount_yen, data_choice, address_confirmed)
     select id, campaign_id, 'web', 'book_card', 500, 'none', true from customers where campaign_id = $1 order by id`,
    [campaignId],
  );
  // Real redemptions arrive over days and autovacuum analyzes them; a bulk seed must do it itself.
  await q('analyze customers, customer_personal, redemptions, shipping_lines');
}

/**
 * Times cutting `lines` book cards into batches, manifests included. The manifests are deleted
 * afterwards: they are only fake personal data, but they are large.
 */
export async function benchBatchCut(deps: JobDeps, lines: number): Promise<{ batch_cut_s: number }> {
  const tag = randomBytes(4).toString('hex');
  const campaign = await saveCampaignDefinition(
    deps.db,
    demoCampaignDefinition(deps.now(), `bench-cut-${tag}`),
  );
  await seedBookCards(deps, campaign.id, tag, lines);

  const t0 = performance.now();
  const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
  const seconds = (performance.now() - t0) / 1000;

  const cut = batches.reduce((n, b) => n + b.lines, 0);
  await Promise.all(batches.map((b) => (b.manifestFile ? deps.store.delete(b.manifestFile) : undefined)));
  if (cut !== lines) throw new Error(`batch cut: ${cut} of ${lines} lines cut`);
  return { batch_cut_s: Math.round(seconds * 100) / 100 };
}
