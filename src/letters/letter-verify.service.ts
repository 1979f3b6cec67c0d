import { keyedHash } from '../customers/codes.js';
import type { AppDeps } from '../platform/deps.js';
import { clientKey } from '../platform/http/client-key.js';
import { countCheckFailures, findLetter, recordCheckFailure } from './letter-token.repo.js';
import { codeTail, isWellFormedLetterToken, letterTokenHash } from './letter-token.js';
import { LetterCheckThrottled } from './letters.errors.js';

/**
 * What a letter's token says. Genuine: this service printed it for this campaign and it is the
 * customer's current letter. Replaced: printed here, but a reissued letter took its place (its
 * login key no longer works; saying "not ours" would be false and alarming, saying "genuine, log
 * in" would send the holder to a key that fails). Unknown: not printed here — for this campaign.
 */
export type LetterCheck =
  | { kind: 'genuine'; issuedAt: Date; codeTail: string }
  | { kind: 'replaced'; issuedAt: Date; replacedAt: Date }
  | { kind: 'unknown' };

type Deps = Pick<AppDeps, 'db' | 'config' | 'now'>;

interface CheckInput {
  /** The campaign of the address; null when the address names none (then every token is unknown). */
  campaignId: string | null;
  token: string;
  clientIp: string;
}

const clientDigest = (deps: Deps, ip: string) =>
  keyedHash(deps.config.LOGIN_KEY_PEPPER, `letter-client:${clientKey(ip)}`);

/**
 * A client that showed more than CLIENT_FAILURES_PER_MINUTE wrong tokens in the last minute is
 * refused (LetterCheckThrottled) before its token is even looked at. A wrong token is recorded.
 */
async function lookUp(deps: Deps, input: CheckInput) {
  const digest = clientDigest(deps, input.clientIp);
  const now = deps.now();
  const windowStart = new Date(now.getTime() - 60_000);
  const failures = await countCheckFailures(deps.db, digest, windowStart);
  if (failures >= deps.config.CLIENT_FAILURES_PER_MINUTE) throw LetterCheckThrottled();
  const letter =
    input.campaignId !== null && isWellFormedLetterToken(input.token)
      ? await findLetter(
          deps.db,
          input.campaignId,
          letterTokenHash(deps.config.LOGIN_KEY_PEPPER, input.token),
        )
      : undefined;
  if (letter && letter.campaignId === input.campaignId) return letter;
  await recordCheckFailure(deps.db, {
    clientDigest: digest,
    campaignId: input.campaignId,
    at: now,
    windowStart,
  });
  return undefined;
}

/** The verification page's answer. No personal data: the issue date and the code's last 4 characters. */
export async function checkLetter(deps: Deps, input: CheckInput): Promise<LetterCheck> {
  const letter = await lookUp(deps, input);
  if (!letter) return { kind: 'unknown' };
  if (letter.replacedAt)
    return { kind: 'replaced', issuedAt: letter.issuedAt, replacedAt: letter.replacedAt };
  return { kind: 'genuine', issuedAt: letter.issuedAt, codeTail: codeTail(letter.registrationCode) };
}

/**
 * The login page's pre-filled registration code, from a current letter's token (never a replaced
 * one: its key no longer works). The code is put into the form on the server and never appears in
 * an address; the token alone logs nobody in. Undefined for a wrong token or a throttled client.
 */
export async function registrationCodeForLetter(deps: Deps, input: CheckInput): Promise<string | undefined> {
  const letter = await lookUp(deps, input).catch((err: unknown) => {
    if (LetterCheckThrottled.is(err)) return undefined;
    throw err;
  });
  return letter && !letter.replacedAt ? letter.registrationCode : undefined;
}
