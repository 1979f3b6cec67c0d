import { buffer } from 'node:stream/consumers';
import { recordAudit } from '../audit/audit.service.js';
import { LETTER_HEADER, toLetterTail } from '../imports/import.encoding.js';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { jstStamp } from '../platform/jst.js';
import { campaignObjectKey, type ObjectStore } from '../platform/storage/storage.js';
import { formatForPrint, generateLoginKey, keyedHash } from '../customers/codes.js';
import { auditRefusal } from './contact-guard.service.js';
import { claimPrintFile, decideRequest, type RequestRow } from './contact-requests.repo.js';
import { LetterAlreadyDownloaded, LetterByRequester, LetterUnavailable } from './contact.errors.js';
import { assertReissuable, customerEvent, lockedCustomer } from './contact.service.js';
import { findCustomer, findPersonal, replaceLoginKeyHash } from '../customers/customer.repo.js';
import { issueReissuedLetter } from '../letters/letter-issue.service.js';

/**
 * A lost letter, reissued once a second person approved: a new login key whose keyed hash replaces
 * the old one (the old key and every session of the customer end when this commits) and a print
 * file of one letter, in the import's letter format, for the print vendor. The key exists in plain
 * text only in that file (encrypted in the object store, under its campaign), which one person with
 * the export permission — not the requester — downloads once; it is deleted then. Never stored
 * elsewhere, logged, or shown on a page.
 */

type Deps = Pick<AppDeps, 'db' | 'now' | 'config' | 'store'>;

/** Where a reissued letter's print file lives until it is downloaded (or the campaign is purged). */
export const printKey = (r: Pick<RequestRow, 'campaign_id'>, file: string) =>
  campaignObjectKey(r.campaign_id, 'letters', file);

/**
 * Inside the approval's transaction (request and customer locked). Hands over the key of the file
 * it stores, so the caller removes it if the transaction does not commit.
 */
export async function approveReissue(
  trx: Db,
  deps: Deps,
  r: RequestRow,
  approverId: string,
  noteId: string,
  written: (file: string) => void,
): Promise<void> {
  const c = await lockedCustomer(trx, r.customer_id);
  await assertReissuable(trx, c);
  const personal = (await findPersonal(trx, c.id))!;
  const loginKey = generateLoginKey();
  await replaceLoginKeyHash(trx, c.id, keyedHash(deps.config.LOGIN_KEY_PEPPER, loginKey));
  // A fresh verification token; the customer's earlier letters now say they were replaced.
  const verificationUrl = await issueReissuedLetter(trx, deps, c);
  const tail = toLetterTail(
    {
      full_name: personal.full_name,
      postal_code: personal.postal_code,
      address: personal.address,
      household: personal.household,
    },
    loginKey,
    verificationUrl,
  );
  const file = `reissue-${r.id}.csv`;
  const target = printKey(r, file);
  written(target);
  const letter = `${LETTER_HEADER}${formatForPrint(c.registration_code)},${tail}`;
  await deps.store.put(target, letter, { sensitive: true });
  const at = deps.now();
  await decideRequest(trx, r.id, {
    status: 'approved',
    decided_by: approverId,
    decided_at: at,
    decision_note_id: noteId,
    outcome: { kind: 'reissued' },
    print_file: file,
  });
  const details = { requestId: r.id, requestedBy: r.requested_by, noteId };
  await recordAudit(trx, customerEvent(c, approverId, 'contact.reissue_approved', details), at);
}

export async function removePrintFile(store: ObjectStore, key: string): Promise<void> {
  await store.delete(key);
}

export interface ReissuedLetter {
  filename: string;
  /** The letter print file (CSV, CRLF, same header as the import's). Holds the new login key. */
  body: Buffer;
}

/**
 * The one download of a reissued letter: claimed and audited (an export of personal data) in one
 * transaction, then the file is deleted. Not by the requester: two people stand between a phone
 * call and a new key.
 */
export async function downloadLetter(deps: Deps, r: RequestRow, staffId: string): Promise<ReissuedLetter> {
  if (r.kind !== 'reissue' || r.status !== 'approved') throw LetterUnavailable();
  if (r.requested_by === staffId) {
    await auditRefusal(deps, { staffId, customerId: r.customer_id, action: 'letter', why: 'own_request' });
    throw LetterByRequester();
  }
  if (r.downloaded_at) throw LetterAlreadyDownloaded();
  if (!r.print_file) throw LetterUnavailable();
  const file = printKey(r, r.print_file);
  const body = await deps.store
    .get(file, { sensitive: true })
    .then(buffer)
    .catch(() => {
      throw LetterUnavailable();
    });
  const at = deps.now();
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const claim = await claimPrintFile(trx, r.id, staffId, at);
    if (!claim) return undefined;
    const c = (await findCustomer(trx, claim.customer_id))!;
    const details = { requestId: r.id, letters: 1 };
    await recordAudit(trx, customerEvent(c, staffId, 'export.letter_reissue', details), at);
    return c;
  });
  if (!claimed) throw LetterAlreadyDownloaded();
  await removePrintFile(deps.store, file);
  // Dated in Japan (the day the operator sees), not in UTC.
  return { filename: `letter-reissue-${claimed.id}-${jstStamp(at)}.csv`, body };
}
