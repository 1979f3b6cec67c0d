import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { cutShippingBatches } from '../src/fulfilment/shipping.service.js';
import { useTestDeps } from './support/context.js';
import { buildAlert, buildBookCardRedemption, buildCampaign, resolveAlerts } from './support/factories.js';
import { staffSessions } from './support/ops.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-fulfilment-notices-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const app = createApp(deps);

const { supervisor } = staffSessions(app, deps);

describe('what the fulfilment pages announce', () => {
  it('when the shipping page is opened with a made-up notice, then only what really happened is announced', async () => {
    const campaign = await buildCampaign(deps);
    await buildBookCardRedemption(deps, campaign);
    const { ops } = await supervisor();
    const [batch] = (await cutShippingBatches(deps, { campaignId: campaign.id })).batches;
    const page = `/ops/fulfilment/campaigns/${campaign.id}`;
    const unshipped = await ops.get(`${page}?done=shipped&batch=${batch!.id}&delivered=1`);
    expect(unshipped.status).toBe(200);
    expect(unshipped.text).not.toContain('を発送済みにしました');
    const junk = await ops.get(`${page}?done=shipped&batch=abc&delivered=-1`);
    expect(junk.status).toBe(200);
    expect(junk.text).not.toContain('role="status"');
  });

  it('when alerts of every kind are open, then each kind is named in Japanese and no key is shown', async () => {
    const kinds = {
      low_stock: 'ギフトコードの在庫不足',
      purge_failed: '個人情報の消去の失敗',
      unfulfilled_emoney: '未発行の電子マネーギフト',
      unbooked_donations: '未計上の寄付',
      pending_erasures: '未実施の個人情報消去',
      unexported_optouts: '未連携の案内停止の依頼',
      some_future_kind: 'その他の警告',
    };
    const campaign = await buildCampaign(deps);
    for (const kind of Object.keys(kinds)) await buildAlert(deps, campaign, kind);
    try {
      const { ops } = await supervisor();
      const res = await ops.get('/ops/fulfilment/alerts');
      for (const [kind, label] of Object.entries(kinds)) {
        expect(res.text).toContain(`<td>${label}</td>`);
        expect(res.text).not.toContain(kind);
      }
      expect(res.text).toContain(`<a href="/ops/campaigns/${campaign.id}/pools">`);
    } finally {
      await resolveAlerts(deps, campaign);
    }
  });
});
