import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { redemptionIdFromReference, referenceKey } from './receipt.js';
import { findRegistrationCodeOfRedemption } from './receipt.repo.js';

/**
 * The contact centre's look-up by reference number (受付番号): the registration code it stands for,
 * so that the look-up, its limit and its audit entry stay the ones by registration code. Null when
 * the input is not a well-formed reference or no redemption has it.
 */
export async function registrationCodeByReference(
  deps: { db: Db; config: Pick<Config, 'LOGIN_KEY_PEPPER'> },
  typed: string,
): Promise<string | null> {
  const id = redemptionIdFromReference(referenceKey(deps.config), typed);
  if (id === null) return null;
  return (await findRegistrationCodeOfRedemption(deps.db, id)) ?? null;
}
