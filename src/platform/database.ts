import type { Kysely, Transaction } from 'kysely';

/**
 * The database as kysely sees it. Empty here on purpose: each domain adds the tables it owns from its
 * own `*.table.ts` (`declare module '…/platform/database.js'`), so platform names no domain and every
 * table has one declared owner.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

/** Repositories accept either the pool-backed handle or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
