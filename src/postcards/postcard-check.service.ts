import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import { maskAddress, maskName } from '../customers/mask.js';
import type { Database, Db } from '../platform/database.js';
import { holderFacts, type Keyer } from './postcard-apply.service.js';
import { findHolderForCheck } from './postcard-card.repo.js';
import { codeStatusOf, duplicateReason, REASONS } from './postcard.rules.js';

/** The check step of keying a card: the code looked up, the holder shown masked to compare with the card. */

export interface CardCheck {
  code: string;
  status: 'malformed' | 'unknown' | 'known';
  maskedName: string | null;
  maskedAddress: string | null;
  /** Why the card will not be accepted whatever is ticked (already redeemed, erased, bad code). */
  warning: string | null;
}

/** The masked name and address for the operator to compare with the card; the view is audited. */
export async function checkCard(
  db: Kysely<Database>,
  campaign: Campaign,
  batchId: string,
  code: string,
  keyer: Keyer,
): Promise<CardCheck> {
  return db.transaction().execute((trx) => checkIn(trx, campaign, batchId, code, keyer));
}

async function checkIn(
  trx: Db,
  campaign: Campaign,
  batchId: string,
  code: string,
  keyer: Keyer,
): Promise<CardCheck> {
  if (codeStatusOf(code) === 'malformed')
    return { code, status: 'malformed', maskedName: null, maskedAddress: null, warning: REASONS.malformed };
  const row = await findHolderForCheck(trx, campaign.id, code);
  const facts = holderFacts(code, row);
  if (facts.status !== 'known' || !row)
    return { code, status: 'unknown', maskedName: null, maskedAddress: null, warning: REASONS.unknown };
  const check: CardCheck = {
    code,
    status: 'known',
    maskedName: row.full_name ? maskName(row.full_name) : null,
    maskedAddress: row.address ? maskAddress(row.address) : null,
    warning: facts.redemption ? duplicateReason(facts.redemption) : facts.erased ? REASONS.erased : null,
  };
  if (check.maskedName || check.maskedAddress)
    await recordAudit(
      trx,
      {
        staffId: keyer.staffId,
        action: 'postcard.lookup',
        targetType: 'customer',
        targetId: facts.customerId,
        campaignId: campaign.id,
        details: { batchId, registrationCode: code },
      },
      keyer.now,
    );
  return check;
}
