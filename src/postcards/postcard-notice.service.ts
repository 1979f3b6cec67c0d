import { recordAudit } from '../audit/audit.service.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import type { Keyer } from './postcard-apply.service.js';
import { findEntry } from './postcard-entry.repo.js';
import {
  countNotices,
  hasAddress,
  listNotices,
  markNoticeDone,
  type NoticeRow,
} from './postcard-notice.repo.js';
import { NOTICE_HOW, NOTICE_LETTERS, NOTICE_PAGE, type NoticeLetterFacts } from './postcard.messages.js';
import { NoticeDone } from './postcard.errors.js';
import { jstDay } from './postcard.rules.js';

/**
 * The notice queue: a card that came too late, or from a customer whose procedure already
 * stands, is not accepted, and its sender is told so by post. Every such card waits here, worded
 * for the letter, until an operator marks it done (audited). Cards of every path arrive: keyed by
 * hand, from an OCR file, or a resolved mismatch.
 */

export interface NoticeItem {
  id: string;
  batchId: string;
  batchLabel: string;
  seq: number;
  code: string;
  outcome: 'late' | 'duplicate';
  kindLabel: string;
  reason: string | null;
  /** False when the customer's personal data is erased: nothing can be posted. */
  canPost: boolean;
  how: string;
  /** What the letter says. */
  text: string;
}

const lettersFacts = (c: Campaign): NoticeLetterFacts => ({
  companyName: c.def.companyName,
  contact: c.def.contactCentre,
});

/** The letter's words for one card. */
export function noticeText(campaign: Campaign, row: NoticeRow): string {
  const facts = lettersFacts(campaign);
  if (row.outcome === 'late') return NOTICE_LETTERS.late({ ...facts, deadline: campaign.def.deadline });
  // A duplicate card's customer has a redemption (that is what made it one); it is never deleted.
  return NOTICE_LETTERS.duplicate({
    ...facts,
    channel: row.standing_channel ?? 'postcard',
    redeemedOn: jstDay(row.standing_redeemed_at ?? row.entered_at),
  });
}

const toItem = (campaign: Campaign, row: NoticeRow): NoticeItem => ({
  id: row.id,
  batchId: row.batch_id,
  batchLabel: row.batch_label,
  seq: row.seq,
  code: row.registration_code,
  outcome: row.outcome,
  kindLabel: NOTICE_PAGE.kinds[row.outcome],
  reason: row.reason,
  canPost: row.has_address,
  how: row.has_address ? NOTICE_HOW.post : NOTICE_HOW.noAddress,
  text: noticeText(campaign, row),
});

export async function getNoticeQueue(db: Db, campaign: Campaign, limit = 500) {
  const [rows, total] = await Promise.all([
    listNotices(db, campaign.id, limit),
    countNotices(db, campaign.id),
  ]);
  return { items: rows.map((r) => toItem(campaign, r)), total };
}

/** The customer has been told (or cannot be: erased): the card leaves the queue, audited. */
export async function markNoticeSent(
  db: Kysely<Database>,
  entryId: string,
  keyer: Keyer,
): Promise<{ campaignId: string }> {
  return db.transaction().execute((trx) => markSentIn(trx, entryId, keyer));
}

async function markSentIn(trx: Db, entryId: string, keyer: Keyer): Promise<{ campaignId: string }> {
  const entry = await findEntry(trx, entryId);
  if (!entry) throw notFound('はがき');
  if (entry.outcome !== 'late' && entry.outcome !== 'duplicate') throw NoticeDone();
  const posted = await hasAddress(trx, entry.campaign_id, entry.customer_id);
  if (!(await markNoticeDone(trx, { batchId: entry.batch_id, seq: entry.seq }, keyer.staffId, keyer.now)))
    throw NoticeDone();
  await recordAudit(
    trx,
    {
      staffId: keyer.staffId,
      action: 'postcard.notice_done',
      targetType: 'postcard_entry',
      targetId: entry.id,
      campaignId: entry.campaign_id,
      details: {
        batchId: entry.batch_id,
        seq: entry.seq,
        outcome: entry.outcome,
        method: posted ? 'post' : 'none',
      },
    },
    keyer.now,
  );
  return { campaignId: entry.campaign_id };
}
