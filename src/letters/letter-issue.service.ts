import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { replaceTokens } from './letter-token.repo.js';
import { letterTokenHash, letterUrl, newLetterToken } from './letter-token.js';

/**
 * A reissued letter's token, inside the reissue's transaction: the new letter gets a fresh token
 * and every earlier letter of the customer is marked replaced (its QR code then says so: its login
 * key no longer works). Returns the verification address to print; the token is kept nowhere else.
 */
export async function issueReissuedLetter(
  trx: Db,
  deps: Pick<AppDeps, 'config' | 'now'>,
  customer: { id: string; campaign_id: string },
): Promise<string> {
  const campaign = await findCampaignById(trx, customer.campaign_id);
  if (!campaign) throw new Error('the customer has no campaign');
  const token = newLetterToken();
  await replaceTokens(trx, {
    tokenHash: letterTokenHash(deps.config.LOGIN_KEY_PEPPER, token),
    campaignId: customer.campaign_id,
    customerId: customer.id,
    at: deps.now(),
  });
  return letterUrl(deps.config.PUBLIC_BASE_URL, campaign.slug, token);
}
