import { audit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { countLookups, forgetLookup, insertNote, recordLookup } from './contact-controls.repo.js';
import { findPersonalData, nameCandidates } from './contact-screen.js';
import { LookupLimited, NoteRefused } from './contact.errors.js';
import type { ContactActionTokens } from './contact-token.js';
import { CONTACT_TEXT, LOOKUPS_PER_HOUR } from './contact.messages.js';
import { findPersonal } from '../customers/customer.repo.js';

/**
 * The contact centre's controls around a customer: a limit on look-ups per staff member, the
 * look-up token every action must carry, and the screening of what staff type.
 */

type Deps = Pick<AppDeps, 'db' | 'now'>;

const HOUR_MS = 3_600_000;

/**
 * At most LOOKUPS_PER_HOUR look-ups (by code, or of a request) per staff member in any hour,
 * counted in PostgreSQL (record, then count). The refusal is audited and says so in Japanese.
 */
export async function enforceLookupLimit(deps: Deps, staffId: string): Promise<void> {
  const now = deps.now();
  const windowStart = new Date(now.getTime() - HOUR_MS);
  const id = await recordLookup(deps.db, staffId, now, windowStart);
  if ((await countLookups(deps.db, staffId, windowStart)) <= LOOKUPS_PER_HOUR) return;
  await forgetLookup(deps.db, id);
  await audit(
    deps.db,
    { staffId, action: 'contact.lookup_limited', details: { limit: LOOKUPS_PER_HOUR } },
    now,
  );
  throw LookupLimited();
}

/**
 * Whether the action carries this staff member's unexpired token for this customer. A refusal is
 * audited (who, which customer id, which action, why) before the caller answers 403; the customer
 * id is not looked up, so a refusal tells nothing about it.
 */
export async function checkActionToken(
  deps: Deps,
  tokens: ContactActionTokens,
  input: { staffId: string; customerId: string; action: string; token: unknown },
): Promise<boolean> {
  const result = await tokens.check(input.token, input.staffId, input.customerId, deps.now());
  if (result.ok) return true;
  await auditRefusal(deps, { ...input, why: result.why });
  return false;
}

/** An action refused on a customer: who, which customer id, which action, why. */
export async function auditRefusal(
  deps: Deps,
  input: { staffId: string; customerId: string; action: string; why: string },
): Promise<void> {
  await audit(
    deps.db,
    {
      staffId: input.staffId,
      action: 'contact.action_refused',
      targetType: 'customer',
      targetId: input.customerId,
      details: { refusedAction: input.action, why: input.why },
    },
    deps.now(),
  );
}

/** The customer's own names (and their household's), for screening typed text. */
export async function namesOf(db: Db, customerId: string): Promise<string[]> {
  const p = await findPersonal(db, customerId);
  if (!p) return [];
  const household = Array.isArray(p.household) ? p.household.map((h) => h.name) : [];
  return nameCandidates(p.full_name, p.full_name_kana, ...household);
}

/** The Japanese refusal for text that looks like personal data, or null when it may be stored. */
export function screenText(text: string, names: string[]): string | null {
  const kind = findPersonalData(text, names);
  return kind ? CONTACT_TEXT.personalData(kind) : null;
}

/**
 * Stores what staff typed, screened against the customer's names, and returns its id for the audit
 * entry (which never holds the text: the note is deleted with the campaign's purge, the log stays).
 */
export async function storeNote(
  trx: Db,
  input: { campaignId: string; customerId: string; staffId: string; body: string; at: Date },
): Promise<string> {
  const refusal = screenText(input.body, await namesOf(trx, input.customerId));
  if (refusal) throw NoteRefused(refusal);
  return insertNote(trx, {
    campaign_id: input.campaignId,
    customer_id: input.customerId,
    staff_id: input.staffId,
    at: input.at,
    body: input.body,
  });
}
