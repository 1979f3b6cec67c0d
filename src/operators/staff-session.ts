import { hkdfSync } from 'node:crypto';
import type { Db } from '../platform/database.js';
import { randomToken, sessionTokenHash } from './staff-crypto.js';
import {
  deleteExpiredSessionsOf,
  deleteSession,
  findSessionWithStaff,
  insertSession,
  touchSession,
} from './staff-session.repo.js';
import type { StaffRow } from './staff.table.js';

/**
 * Operators' sessions live in PostgreSQL (staff_sessions), so that signing out, disabling an
 * account or resetting its password ends them at once. The cookie carries a random 256-bit token;
 * the row is keyed by its HMAC (a key derived from STAFF_SESSION_SECRET). Timeouts, after NIST SP
 * 800-63B for a privileged console: 15 minutes idle, 8 hours at most; the half-signed-in state
 * (password checked, second factor pending) lasts 10 minutes at most.
 */
export const STAFF_IDLE_MINUTES = 15;
export const STAFF_ABSOLUTE_HOURS = 8;
export const STAFF_PENDING_MINUTES = 10;
/** last_seen_at is written at most this often, to save a write per request. */
export const STAFF_TOUCH_SECONDS = 60;

const MINUTE = 60_000;

export interface StaffSession {
  id: Buffer;
  staffId: string;
  /** The second factor was checked in this session. */
  mfa: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  /** When the cookie may be dropped by the browser: the absolute limit. */
  expiresAt: Date;
}

const lifetime = (mfa: boolean) => (mfa ? STAFF_ABSOLUTE_HOURS * 60 : STAFF_PENDING_MINUTES) * MINUTE;

export class StaffSessionCodec {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'owabi', 'owabi:staff:session-id:v1', 32));
  }

  idOf(token: string): Buffer {
    return sessionTokenHash(this.key, token);
  }

  /** A new session (a new token, never a reused one); also clears the account's dead sessions. */
  async issue(db: Db, staffId: string, mfa: boolean, now: Date) {
    const token = randomToken();
    const id = this.idOf(token);
    await deleteExpiredSessionsOf(
      db,
      staffId,
      new Date(now.getTime() - STAFF_IDLE_MINUTES * MINUTE),
      new Date(now.getTime() - STAFF_ABSOLUTE_HOURS * 60 * MINUTE),
    );
    await insertSession(db, { id, staff_id: staffId, mfa, created_at: now, last_seen_at: now });
    const session: StaffSession = {
      id,
      staffId,
      mfa,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetime(mfa)),
    };
    return { token, session };
  }

  /**
   * The live session a token stands for, with its account; an expired one is deleted. Idle time
   * slides: last_seen_at moves on at most once a minute.
   */
  async verify(
    db: Db,
    token: string,
    now: Date,
  ): Promise<{ session: StaffSession; staff: StaffRow } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const found = await findSessionWithStaff(db, this.idOf(token));
    if (!found) return undefined;
    const { session: row, staff } = found;
    const idle = now.getTime() - row.last_seen_at.getTime();
    const age = now.getTime() - row.created_at.getTime();
    if (idle > STAFF_IDLE_MINUTES * MINUTE || age > lifetime(row.mfa) || staff.disabled_at) {
      await deleteSession(db, row.id);
      return undefined;
    }
    if (idle >= STAFF_TOUCH_SECONDS * 1000)
      await touchSession(db, row.id, now, new Date(now.getTime() - STAFF_TOUCH_SECONDS * 1000));
    const session: StaffSession = {
      id: row.id,
      staffId: staff.id,
      mfa: row.mfa,
      createdAt: row.created_at,
      lastSeenAt: idle >= STAFF_TOUCH_SECONDS * 1000 ? now : row.last_seen_at,
      expiresAt: new Date(row.created_at.getTime() + lifetime(row.mfa)),
    };
    return { session, staff };
  }

  async revoke(db: Db, id: Buffer): Promise<void> {
    await deleteSession(db, id);
  }
}
