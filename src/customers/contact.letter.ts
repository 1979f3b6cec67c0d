import { recordAudit } from '../audit/audit.service.js';
import { LETTER_HEADER, toLetterTail } from '../campaigns/import/import.encoding.js';
import type { AppDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { jstStamp } from '../reports/reports.csv.js';
import { formatForPrint, generateLoginKey, keyedHash } from './codes.js';
import { customerEvent, ERASED, lockedCustomer, type Actor } from './contact.service.js';
import { findPersonal, replaceLoginKeyHash } from './customer.repo.js';

/**
 * A lost letter, reissued: a new login key whose keyed hash replaces the old one (the old key is
 * dead the moment this commits) and a print file of one letter, in the import's letter format, for
 * the print vendor. The key exists in plain text only in that file: never stored, logged or shown.
 */

export interface ReissuedLetter {
  filename: string;
  /** The letter print file (CSV, CRLF, same header as the import's). Holds the new login key. */
  body: string;
}

export async function reissueLetter(
  deps: Pick<AppDeps, 'db' | 'now' | 'config'>,
  actor: Actor,
  customerId: string,
): Promise<ReissuedLetter> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await lockedCustomer(trx, customerId);
    if (c.erased_at) throw new AppError('conflict', ERASED);
    const personal = await findPersonal(trx, c.id);
    if (!personal)
      throw new AppError('conflict', 'このお客様の宛先は残っていないため、お知らせを再発行できません。');
    const loginKey = generateLoginKey();
    await replaceLoginKeyHash(trx, c.id, keyedHash(deps.config.LOGIN_KEY_PEPPER, loginKey));
    // An export of personal data (and the only copy of the new key): audited with the change.
    await recordAudit(trx, customerEvent(c, actor, 'export.letter_reissue', { letters: 1 }), deps.now());
    const tail = toLetterTail(
      {
        customer_ref: personal.customer_ref ?? '',
        full_name: personal.full_name,
        full_name_kana: personal.full_name_kana,
        birth_date: personal.birth_date,
        postal_code: personal.postal_code,
        address: personal.address,
        phone: personal.phone,
        email: personal.email,
        household: personal.household,
        leaked_items: c.leaked_items,
        erasure_requested_before: c.erasure_requested_before,
      },
      loginKey,
    );
    return {
      // Dated in Japan (the day the operator sees), not in UTC.
      filename: `letter-reissue-${c.id}-${jstStamp(deps.now())}.csv`,
      body: `${LETTER_HEADER}${formatForPrint(c.registration_code)},${tail}`,
    };
  });
}
