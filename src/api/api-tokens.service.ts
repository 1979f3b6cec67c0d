import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, recordAudit } from '../audit/audit.service.js';
import { can, type Permission } from '../operators/permissions.js';
import type { Database, Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import {
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  revokeApiTokenRow,
  touchApiToken,
  type ApiTokenListRow,
} from './api-tokens.repo.js';
import { TokenInvalid } from './api.errors.js';
import type { NewTokenForm } from './api-tokens.schema.js';

/**
 * Operators' API tokens. A token is `owabi_` + 32 random bytes (base64url): the prefix lets secret
 * scanners recognise a leaked one. Only its SHA-256 is stored (the token has 256 bits of entropy,
 * so a fast hash is enough); it is shown once, at creation. Every token expires, may be revoked,
 * acts with the permissions it was given (scopes) and only while its creator's account is enabled
 * and their role still has them. Creating and revoking are audited; so is every use (api.routes).
 */
export const TOKEN_PREFIX = 'owabi_';
const TOKEN_SHAPE = /^owabi_[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export interface IssuedApiToken {
  id: string;
  token: string;
  expiresAt: Date;
}

export async function createApiToken(
  db: Kysely<Database>,
  staffId: string,
  form: NewTokenForm,
  now: Date,
): Promise<IssuedApiToken> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + form.days * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, {
      name: form.name,
      scopes: form.scopes,
      token_hash: tokenHash(token),
      created_by: staffId,
      created_at: now,
      expires_at: expiresAt,
    });
    const details = { tokenId: id, scopes: form.scopes, expiresAt: expiresAt.toISOString() };
    await recordAudit(
      trx,
      { staffId, action: 'api.token_create', targetType: 'api_token', targetId: id, details },
      now,
    );
    return { id, token, expiresAt };
  });
}

export async function revokeApiToken(
  db: Kysely<Database>,
  staffId: string,
  id: string,
  now: Date,
): Promise<void> {
  if (!/^[1-9]\d{0,17}$/.test(id)) throw notFound('APIトークン');
  await db.transaction().execute(async (trx) => {
    if (!(await revokeApiTokenRow(trx, id, staffId, now))) throw notFound('APIトークン');
    const event = {
      staffId,
      action: 'api.token_revoke',
      targetType: 'api_token',
      targetId: id,
      details: { tokenId: id },
    };
    await recordAudit(trx, event, now);
  });
}

export const listTokens = (db: Db): Promise<ApiTokenListRow[]> => listApiTokens(db);

/** Who a request's token acts for. */
export interface ApiCaller {
  tokenId: string;
  staffId: string;
  scopes: Permission[];
}

/**
 * The caller of an operator token, or TokenInvalid for anything unknown, expired, revoked or whose
 * creator can no longer act. A refusal of a known token is audited (who it belonged to, why).
 */
export async function authenticateApiToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<ApiCaller> {
  if (!TOKEN_SHAPE.test(token)) throw TokenInvalid();
  const row = await findApiTokenByHash(db, tokenHash(token));
  if (!row) throw TokenInvalid();
  const why = row.revoked_at
    ? 'revoked'
    : row.expires_at.getTime() <= now.getTime()
      ? 'token_expired'
      : row.creator_disabled_at
        ? 'creator_disabled'
        : null;
  if (why) {
    const details = { tokenId: row.id, why };
    await audit(
      db,
      {
        staffId: row.created_by,
        action: 'api.token_refused',
        targetType: 'api_token',
        targetId: row.id,
        details,
      },
      now,
    );
    throw TokenInvalid();
  }
  await touchApiToken(db, row.id, now);
  // A scope the creator's role has lost (a changed role) no longer counts.
  const scopes = (row.scopes as Permission[]).filter((p) => can(row.creator_role, p));
  return { tokenId: row.id, staffId: row.created_by, scopes };
}
