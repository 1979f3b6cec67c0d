import { audit, recordAudit } from '../audit/audit.service.js';
import { findCampaignBySlug } from '../campaigns/campaign.repo.js';
import { keyedHash } from '../customers/codes.js';
import { lostLetterDigestInput } from '../customers/lost-letter.js';
import type { AppDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { nameCandidates } from './contact-screen.js';
import { namesOf, screenText, storeNote } from './contact-guard.service.js';
import type { ContactActionTokens } from './contact-token.js';
import { viewCustomer, type ContactView } from './contact-view.service.js';
import { NoteRefused } from './contact.errors.js';
import type { Actor } from './contact.service.js';
import { countSearches, findByLostLetterDigest, forgetSearch, recordSearch } from './lost-letter.repo.js';
import type { LostLetterForm } from './lost-letter.schema.js';
import { LOST_LETTER_TEXT as T, LOST_LETTERS_PER_HOUR } from './lost-letter.text.js';

/**
 * Lost letters: the contact centre finds a customer without the letter, by kana name, birth date
 * and postal code together (one probe of a keyed digest of the three: all three match or nothing
 * does). Within an hourly limit per staff member, audited with the reason (a note) and without any
 * of the three values. One match opens the masked record with the look-up's token, exactly as a
 * look-up by code does — so a reissue goes through the same request and second-person approval.
 */

type Deps = Pick<AppDeps, 'db' | 'now' | 'config'>;

export type LostLetterOutcome =
  | { kind: 'one'; view: ContactView; token: string }
  | { kind: 'none' }
  /** Two or more people share the three values: nobody is shown. */
  | { kind: 'several'; atLeast: number };

const HOUR_MS = 3_600_000;

export const LostLetterLimited = () => new AppError('throttled', () => T.limited);
const UnknownCampaign = () =>
  new AppError('validation', () => T.unknownCampaign, { fields: { campaign: T.unknownCampaign } });

async function enforceSearchLimit(deps: Deps, staffId: string): Promise<void> {
  const now = deps.now();
  const windowStart = new Date(now.getTime() - HOUR_MS);
  const id = await recordSearch(deps.db, staffId, now, windowStart);
  if ((await countSearches(deps.db, staffId, windowStart)) <= LOST_LETTERS_PER_HOUR) return;
  await forgetSearch(deps.db, id);
  await audit(
    deps.db,
    { staffId, action: 'contact.lost_letter_limited', details: { limit: LOST_LETTERS_PER_HOUR } },
    now,
  );
  throw LostLetterLimited();
}

export async function searchLostLetter(
  deps: Deps,
  tokens: ContactActionTokens,
  actor: Actor,
  form: LostLetterForm,
): Promise<LostLetterOutcome> {
  await enforceSearchLimit(deps, actor.staffId);
  const campaign = await findCampaignBySlug(deps.db, form.campaign);
  if (!campaign || (campaign.state !== 'open' && campaign.state !== 'closed')) throw UnknownCampaign();
  const entry = (matches: number, details: Record<string, unknown> = {}, customerId?: string) => ({
    staffId: actor.staffId,
    action: 'contact.lost_letter_search',
    targetType: 'customer',
    targetId: customerId,
    campaignId: campaign.id,
    details: { matches, ...details },
  });
  // The caller's kana name typed as the reason is personal data: refused before anything is kept.
  const refusal = screenText(actor.reason, nameCandidates(form.kanaName));
  if (refusal) {
    await audit(deps.db, entry(-1, { reasonRefused: true }), deps.now());
    throw NoteRefused(refusal);
  }
  const digest = keyedHash(deps.config.LOGIN_KEY_PEPPER, lostLetterDigestInput(form));
  const ids = await findByLostLetterDigest(deps.db, campaign.id, digest, 2);
  const view = ids.length === 1 ? await viewCustomer(deps.db, ids[0]!) : undefined;
  if (!view) {
    await audit(deps.db, entry(ids.length), deps.now());
    return ids.length > 1 ? { kind: 'several', atLeast: ids.length } : { kind: 'none' };
  }
  const ownNames = screenText(actor.reason, await namesOf(deps.db, view.customerId));
  if (ownNames) {
    await audit(deps.db, entry(1, { reasonRefused: true }, view.customerId), deps.now());
    throw NoteRefused(ownNames);
  }
  const at = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const noteId = await storeNote(trx, {
      campaignId: campaign.id,
      customerId: view.customerId,
      staffId: actor.staffId,
      body: actor.reason,
      at,
    });
    await recordAudit(trx, entry(1, { noteId }, view.customerId), at);
  });
  return { kind: 'one', view, token: await tokens.issue(actor.staffId, view.customerId, at) };
}
