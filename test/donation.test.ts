import { describe, expect, it } from 'vitest';
import { bookDonation, donationReport } from '../src/fulfilment/donation.service.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildDonationRedemption, buildRedemption } from './support/factories.js';

const deps = useTestDeps();

describe('donation ledger', () => {
  it('when a donation is booked twice, then the ledger holds it once', async () => {
    const campaign = await buildCampaign(deps);
    const r = await buildDonationRedemption(deps, campaign);
    const redemption = { id: r.id, campaignId: campaign.id, amountYen: 500 };
    const at = new Date('2026-12-01T00:00:00Z');

    const first = await deps.db
      .transaction()
      .execute((trx) => bookDonation(trx, redemption, 'デモこども基金', at));
    const second = await bookDonation(deps.db, redemption, 'デモこども基金', new Date());

    expect([first, second]).toEqual([true, false]);
    const rows = await deps.db
      .selectFrom('donation_ledger')
      .selectAll()
      .where('redemption_id', '=', r.id)
      .execute();
    expect(rows).toEqual([
      {
        redemption_id: r.id,
        campaign_id: campaign.id,
        recipient: 'デモこども基金',
        amount_yen: 500,
        booked_at: at,
        option: 'donation',
      },
    ]);
  });

  it('when donations are booked concurrently, then each redemption is booked once', async () => {
    const campaign = await buildCampaign(deps);
    const r = await buildDonationRedemption(deps, campaign);
    const redemption = { id: r.id, campaignId: campaign.id, amountYen: 500 };

    const booked = await Promise.all(
      Array.from({ length: 5 }, () => bookDonation(deps.db, redemption, 'fund', new Date())),
    );

    expect(booked.filter(Boolean)).toHaveLength(1);
    expect(await donationReport(deps.db, campaign.id)).toEqual({ count: 1, totalYen: 500 });
  });

  it('when a campaign has donations, then the report gives their count and total in yen for that campaign only', async () => {
    const campaign = await buildCampaign(deps);
    const other = await buildCampaign(deps);
    const amounts = [500, 500, 1000];
    for (const amountYen of amounts) {
      const r = await buildDonationRedemption(deps, campaign);
      await bookDonation(deps.db, { id: r.id, campaignId: campaign.id, amountYen }, 'fund', new Date());
    }
    const o = await buildDonationRedemption(deps, other);
    await bookDonation(deps.db, { id: o.id, campaignId: other.id, amountYen: 500 }, 'fund', new Date());

    expect(await donationReport(deps.db, campaign.id)).toEqual({ count: 3, totalYen: 2000 });
    expect(await donationReport(deps.db, other.id)).toEqual({ count: 1, totalYen: 500 });
  });

  it('when a campaign has no donations, then the report says zero', async () => {
    const campaign = await buildCampaign(deps);
    expect(await donationReport(deps.db, campaign.id)).toEqual({ count: 0, totalYen: 0 });
  });
});

describe('the donation ledger’s key (what the purge’s guard counts on)', () => {
  const book = (redemptionId: string, campaignId: string) =>
    deps.db
      .insertInto('donation_ledger')
      .values({
        redemption_id: redemptionId,
        campaign_id: campaignId,
        recipient: 'デモこども基金',
        amount_yen: 500,
        booked_at: new Date(),
      })
      .execute();

  it('when a ledger row names a book card, or a donation under another campaign, then it is refused and nothing is booked', async () => {
    const campaign = await buildCampaign(deps);
    const other = await buildCampaign(deps);
    const bookCard = await buildRedemption(deps, { campaign, option: 'book_card' });
    const donation = await buildDonationRedemption(deps, campaign);
    await expect(book(bookCard.id, campaign.id)).rejects.toMatchObject({ code: '23503' });
    await expect(book(donation.id, other.id)).rejects.toMatchObject({ code: '23503' });
    const rows = await deps.db
      .selectFrom('donation_ledger')
      .select('redemption_id')
      .where('redemption_id', 'in', [bookCard.id, donation.id])
      .execute();
    expect(rows).toEqual([]);
  });

  it('when a booked donation’s option is changed in the table, then the change is refused', async () => {
    const campaign = await buildCampaign(deps);
    const donation = await buildDonationRedemption(deps, campaign);
    await book(donation.id, campaign.id);
    await expect(
      deps.db.updateTable('redemptions').set({ option: 'book_card' }).where('id', '=', donation.id).execute(),
    ).rejects.toMatchObject({ code: '23503' });
  });
});
