import type { Db } from '../platform/database.js';
import { insertDonation, sumDonations } from './donation.repo.js';

export interface DonationRedemption {
  id: string;
  campaignId: string;
  amountYen: number;
}

/**
 * Books a donation in the ledger, once: calling it again for the same redemption changes nothing
 * and returns false. Runs in the caller's transaction, next to marking the redemption fulfilled.
 */
export async function bookDonation(
  trx: Db,
  redemption: DonationRedemption,
  recipient: string,
  at: Date,
): Promise<boolean> {
  return insertDonation(trx, {
    redemption_id: redemption.id,
    campaign_id: redemption.campaignId,
    recipient,
    amount_yen: redemption.amountYen,
    booked_at: at,
  });
}

/** What the campaign owes its donation recipient: donations booked and their sum in yen. */
export async function donationReport(
  db: Db,
  campaignId: string,
): Promise<{ count: number; totalYen: number }> {
  return sumDonations(db, campaignId);
}
