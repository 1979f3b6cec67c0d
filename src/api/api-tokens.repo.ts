import type { Db } from '../platform/database.js';
import type { ApiTokenRow } from './api.table.js';

/** SQL of the operators' API tokens. */

export interface NewApiToken {
  name: string;
  scopes: string[];
  token_hash: Buffer;
  created_by: string;
  created_at: Date;
  expires_at: Date;
}

export async function insertApiToken(db: Db, row: NewApiToken): Promise<string> {
  const { id } = await db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export interface ApiTokenListRow extends Omit<ApiTokenRow, 'token_hash'> {
  creator: string;
}

export async function listApiTokens(db: Db): Promise<ApiTokenListRow[]> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('staff as s', 's.id', 't.created_by')
    .select([
      't.id',
      't.name',
      't.scopes',
      't.created_by',
      't.created_at',
      't.expires_at',
      't.revoked_at',
      't.revoked_by',
      't.last_used_at',
      's.username as creator',
    ])
    .orderBy('t.id', 'desc')
    .limit(500)
    .execute();
}

/** The token with this hash and its creator's standing (role, disabled). */
export async function findApiTokenByHash(db: Db, hash: Buffer) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('staff as s', 's.id', 't.created_by')
    .select([
      't.id',
      't.scopes',
      't.created_by',
      't.expires_at',
      't.revoked_at',
      's.role as creator_role',
      's.disabled_at as creator_disabled_at',
    ])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
}

/** Marks a use; at most once a minute per token, so that busy integrations do not rewrite the row. */
export async function touchApiToken(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(at.getTime() - 60_000))]),
    )
    .execute();
}

/** Revokes a live token; false when it was unknown or already revoked. */
export async function revokeApiTokenRow(db: Db, id: string, by: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
