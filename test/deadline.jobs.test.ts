import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listOpenAlerts } from '../src/alerts/alert.service.js';
import { checkDeadlines, closeDueCampaigns } from '../src/purge/deadline.service.js';
import { countUndeliveredGifts } from '../src/purge/purge-gifts.repo.js';
import { createLogger } from '../src/platform/logger.js';
import { purgeRiskItems } from '../src/platform/metrics.js';
import { useTestDeps } from './support/context.js';
import {
  bookInLedger,
  buildCampaign,
  buildCustomer,
  buildRedemption,
  giveEmoneyCode,
  markFulfilled,
} from './support/factories.js';

// Dates in 1999: closeDueCampaigns looks at every campaign, and those of other test files (running
// in parallel on the same database) must never be closed here.
let clock = new Date('1999-01-01T00:00:00Z');
const lines: string[] = [];
const logger = createLogger(
  'info',
  new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  }),
);
const deps = useTestDeps({ now: () => clock, logger }, { PURGE_ALERT_DAYS: '14' });
const DAY = 86_400_000;

const oldCampaign = (deadline: string, purgeDeadline: string) =>
  buildCampaign(deps, { deadline, purgeDeadline });
const stateOf = (id: string) =>
  deps.db
    .selectFrom('campaigns')
    .select(['state', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const gauge = async (slug: string, kind: string) =>
  (await purgeRiskItems.get()).values.find((v) => v.labels.campaign === slug && v.labels.kind === kind)
    ?.value;

describe('the procedure deadline job', () => {
  it('when the procedure deadline has passed, then the campaign closes, once, and one still running stays open', async () => {
    const ended = await oldCampaign('1999-01-10', '1999-07-10');
    const running = await oldCampaign('1999-01-11', '1999-07-10');
    clock = new Date('1999-01-10T15:00:00Z'); // just after 1999-01-10 23:59:59.999 JST

    const { closed } = await closeDueCampaigns(deps);
    expect(closed).toContain(ended.id);
    expect(closed).not.toContain(running.id);
    expect(await stateOf(ended.id)).toEqual({ state: 'closed', closed_at: clock });
    expect((await stateOf(running.id)).state).toBe('open');

    clock = new Date(clock.getTime() + 60_000);
    expect((await closeDueCampaigns(deps)).closed).not.toContain(ended.id);
    expect((await stateOf(ended.id)).closed_at).toEqual(new Date('1999-01-10T15:00:00Z'));
  });
});

describe('the purge deadline check', () => {
  it('when a book card is still unshipped days before the purge deadline, then an alert is raised (banner, log, metric) and resolved once it ships', async () => {
    clock = new Date('1999-01-01T00:00:00Z');
    const campaign = await oldCampaign('1999-02-01', '1999-06-30');
    const customer = await buildCustomer(deps, campaign, { fullName: '警告 出さ子' });
    const { id: redemptionId } = await buildRedemption(deps, { customer, option: 'book_card' });
    const purgeAt = campaign.purgeDeadlineAt.getTime();

    clock = new Date(purgeAt - 20 * DAY);
    expect(await checkDeadlines(deps, { campaignId: campaign.id })).toEqual([]);
    expect((await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id)).toEqual([]);

    clock = new Date(purgeAt - 10 * DAY);
    expect(await checkDeadlines(deps, { campaignId: campaign.id })).toEqual([
      { campaignId: campaign.id, kind: 'unshipped_book_cards', count: 1 },
    ]);
    const banner = (await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id);
    expect(banner).toHaveLength(1);
    expect(banner[0]).toMatchObject({
      kind: 'unshipped_book_cards',
      campaignSlug: campaign.slug,
      raisedAt: clock,
    });
    expect(banner[0]!.message).toContain('未発送の図書カードが 1 件');
    expect(banner[0]!.message).toContain('1999-06-30');
    expect(await gauge(campaign.slug, 'unshipped_book_cards')).toBe(1);
    const warning = lines.find((l) => l.includes('purge deadline at risk') && l.includes(campaign.slug));
    expect(warning).toBeDefined();
    expect(warning).not.toContain('警告 出さ子');

    // A second check the next day keeps the one alert open, not a second one.
    clock = new Date(clock.getTime() + DAY);
    await checkDeadlines(deps, { campaignId: campaign.id });
    expect((await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id)).toHaveLength(1);

    await markFulfilled(deps, redemptionId, clock);
    expect(await checkDeadlines(deps, { campaignId: campaign.id })).toEqual([]);
    expect((await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id)).toEqual([]);
    const rows = await deps.db
      .selectFrom('alerts')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.resolved_at).toEqual(clock);
    expect(await gauge(campaign.slug, 'unshipped_book_cards')).toBe(0);
  });

  it('when e-money, donations and erasures are pending near the purge deadline, then each kind is counted', async () => {
    clock = new Date('1999-01-01T00:00:00Z');
    const campaign = await oldCampaign('1999-02-01', '1999-06-30');
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => buildCustomer(deps, campaign)));
    await buildRedemption(deps, { customer: a!, option: 'emoney' });
    await buildRedemption(deps, { customer: b!, option: 'donation' });
    const booked = [
      await buildRedemption(deps, {
        customer: c!,
        option: 'donation',
        dataChoice: 'erasure',
        fulfilledAt: clock,
      }),
      await buildRedemption(deps, {
        customer: d!,
        option: 'donation',
        dataChoice: 'none',
        fulfilledAt: clock,
      }),
    ];
    for (const { id } of booked) await bookInLedger(deps, campaign, id, clock);

    clock = new Date(campaign.purgeDeadlineAt.getTime() - 3 * DAY);
    const risks = await checkDeadlines(deps, { campaignId: campaign.id });
    expect(risks).toEqual([
      { campaignId: campaign.id, kind: 'unfulfilled_emoney', count: 1 },
      { campaignId: campaign.id, kind: 'unbooked_donations', count: 1 },
      { campaignId: campaign.id, kind: 'pending_erasures', count: 1 },
    ]);
  });

  it('when gifts look delivered by one column but not by the other, then the alert counts them as the purge guard does', async () => {
    clock = new Date('1999-01-01T00:00:00Z');
    const campaign = await oldCampaign('1999-02-01', '1999-06-30');
    const [a, b] = await Promise.all([1, 2].map(() => buildCustomer(deps, campaign)));
    // A donation marked fulfilled but never booked in the ledger: the recipient would never be paid.
    await buildRedemption(deps, { customer: a!, option: 'donation', fulfilledAt: clock });
    // E-money whose pool code is already the customer's: delivered, even before the job marks it.
    const { id: emoney } = await buildRedemption(deps, { customer: b!, option: 'emoney' });
    await giveEmoneyCode(deps, campaign, emoney, clock);

    clock = new Date(campaign.purgeDeadlineAt.getTime() - 3 * DAY);
    const risks = await checkDeadlines(deps, { campaignId: campaign.id });
    expect(risks).toEqual([{ campaignId: campaign.id, kind: 'unbooked_donations', count: 1 }]);
    expect(await countUndeliveredGifts(deps.db, campaign.id)).toEqual({
      book_card: 0,
      donation: 1,
      emoney: 0,
    });
  });
});
