import { describe, expect, it } from 'vitest';
import { exportDonationLedger } from '../src/fulfilment/donation.export.js';
import { bookDonation } from '../src/fulfilment/donation.service.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildDonationRedemption, type TestRedemption } from './support/factories.js';
import { staffSessions } from './support/ops.js';

/**
 * The service's clock stands at 20:00 UTC — 05:00 the next day in Japan — so that a file name
 * dated in UTC and one dated in Japan differ. It runs forward from there, like a real clock.
 */
const realStart = Date.now();
const target = new Date(realStart);
target.setUTCHours(20, 0, 0, 0);
if (target.getTime() <= realStart) target.setUTCDate(target.getUTCDate() + 1);
const clock = () => new Date(Date.now() + (target.getTime() - realStart));
const deps = useTestDeps({ now: clock });
const app = createApp(deps);

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const jstYmd = () => ymd(new Date(clock().getTime() + 9 * 3_600_000));

const { signedIn, supervisor } = staffSessions(app, deps);

const exportsOf = (campaignId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['staff_id', 'action', 'target_type', 'target_id', 'details'])
    .where('campaign_id', '=', campaignId)
    .where('action', '=', 'export.donation_ledger')
    .execute();

async function campaignWithDonations(recipients: string[]) {
  const campaign = await buildCampaign(deps);
  const donations: TestRedemption[] = [];
  for (const recipient of recipients) {
    const d = await buildDonationRedemption(deps, campaign);
    await bookDonation(deps.db, { id: d.id, campaignId: campaign.id, amountYen: 500 }, recipient, clock());
    donations.push(d);
  }
  return { campaign, donations, ids: donations.map((d) => d.id) };
}

describe('the donation ledger as a CSV file for the recipient', () => {
  it('when a supervisor downloads it, then it is UTF-8 with a BOM, one line per donation, formulas guarded, nothing about donors, and audited', async () => {
    const { campaign, ids, donations } = await campaignWithDonations([
      'テスト基金',
      '=HYPERLINK("http://x")',
      '+1',
      '-1',
      '@SUM(A1)',
      '\tタブ',
      '\r改行',
    ]);
    const { staff, ops } = await supervisor();

    const page = await ops.get('/ops/fulfilment/donations');
    expect(page.text).toContain(`href="/ops/fulfilment/donations/${campaign.id}.csv"`);

    const res = await ops.get(`/ops/fulfilment/donations/${campaign.id}.csv`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename=donations-${campaign.slug}-${jstYmd()}.csv`,
    );
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('受付番号,計上日時（日本時間）,寄付先,金額（円）');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(ids.length + 2);
    const booked = await deps.db
      .selectFrom('donation_ledger')
      .select(['redemption_id', 'booked_at'])
      .where('campaign_id', '=', campaign.id)
      .orderBy('redemption_id')
      .execute();
    const jst = (d: Date) =>
      new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(lines[1]).toBe(`${booked[0]!.redemption_id},${jst(booked[0]!.booked_at)},テスト基金,500`);
    expect(res.text).toContain(`,"'=HYPERLINK(""http://x"")",500`);
    for (const guarded of ["'+1", "'-1", "'@SUM(A1)", "'\tタブ"])
      expect(res.text).toContain(`,${guarded},500`);
    expect(res.text).toMatch(/,"?'\r改行"?,500/);
    for (const d of donations) {
      expect(res.text).not.toContain(d.customer.fullName);
      expect(res.text).not.toContain(d.customer.registrationCode);
    }

    expect(await exportsOf(campaign.id)).toEqual([
      {
        staff_id: staff.id,
        action: 'export.donation_ledger',
        target_type: 'campaign',
        target_id: campaign.id,
        details: { rows: ids.length, totalYen: ids.length * 500 },
      },
    ]);
  });

  it('when a ledger is longer than one page, then every donation is in the file once, in receipt order', async () => {
    const { campaign, ids } = await campaignWithDonations(['一', '二', '三', '四', '五']);
    const file = await exportDonationLedger(deps, null, campaign.id, { pageSize: 2 });
    let text = '';
    for await (const chunk of file.chunks) text += chunk;
    const receipts = text
      .slice(1)
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(',')[0]);
    expect(receipts).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
  });

  it('when someone without the export permission asks for it, or for an unknown campaign, then nothing is exported', async () => {
    const { campaign } = await campaignWithDonations(['テスト基金']);
    for (const role of ['clerk', 'auditor'] as const) {
      const { ops } = await signedIn(role);
      const res = await ops.get(`/ops/fulfilment/donations/${campaign.id}.csv`);
      expect(res.status, role).toBe(403);
    }
    const { ops: admin } = await signedIn('admin');
    for (const id of ['0', 'abc', '999999999999'])
      expect((await admin.get(`/ops/fulfilment/donations/${id}.csv`)).status, id).toBe(404);
    expect(await exportsOf(campaign.id)).toEqual([]);
  });
});

describe('file names of the console exports', () => {
  it('when a report is exported at 05:00 in Japan (20:00 UTC the day before), then its file name carries the Japanese date', async () => {
    const campaign = await buildCampaign(deps);
    const { ops } = await signedIn('auditor');
    const res = await ops.get(`/ops/reports/${campaign.id}/by-option.csv`);
    expect(res.status).toBe(200);
    expect(jstYmd()).not.toBe(ymd(clock()));
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename=report-${campaign.slug}-by-option-${jstYmd()}.csv`,
    );
  });
});
