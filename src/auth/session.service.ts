import { createHash } from 'node:crypto';
import type { Db } from '../platform/database.js';
import { deleteSession, insertSession, isSessionLive, type SessionOnSuccess } from './auth.repo.js';
import type { CustomerSession, SessionCodec } from './session.js';

/**
 * Customer sessions are revocable: the signed token in the cookie carries a random session id, and
 * a row keyed by its digest must exist for the token to count. Logout deletes the row; a new login
 * key or an erasure deletes all of the customer's rows (a trigger on `customers`, see migration
 * 2026_11_22_007); the row expires with the token (SESSION_MINUTES).
 */
const digest = (sid: string) => createHash('sha256').update(sid, 'utf8').digest();

/** A session for a customer already logged in by other means (the JSON API's login: its own row). */
export async function startSession(
  db: Db,
  codec: SessionCodec,
  customerId: string,
  campaignId: string,
  now: Date,
): Promise<{ token: string; session: CustomerSession }> {
  const issued = await codec.issue(customerId, campaignId, now);
  await insertSession(db, {
    id: digest(issued.session.sid),
    customer_id: customerId,
    campaign_id: campaignId,
    created_at: now,
    expires_at: issued.session.expiresAt,
  });
  return issued;
}

/**
 * The session a login opens if it succeeds: its row goes in with the login's judging statement
 * (see judgeAttempt), replacing the browser's previous session; the token is signed afterwards.
 */
export function sessionToOpen(
  codec: SessionCodec,
  campaignId: string,
  now: Date,
  previous: CustomerSession | undefined,
): { sid: string; opening: SessionOnSuccess } {
  const sid = codec.newSid();
  return {
    sid,
    opening: {
      row: { id: digest(sid), campaign_id: campaignId, created_at: now, expires_at: codec.expiryOf(now) },
      replaces: previous ? digest(previous.sid) : null,
    },
  };
}

/** The key of the session's row: for a page that checks the session within its own query. */
export const sessionKey = (session: CustomerSession): Buffer => digest(session.sid);

export function sessionIsLive(db: Db, session: CustomerSession, now: Date): Promise<boolean> {
  return isSessionLive(db, digest(session.sid), session.customerId, now);
}

export async function endSession(db: Db, session: CustomerSession): Promise<void> {
  await deleteSession(db, digest(session.sid));
}
