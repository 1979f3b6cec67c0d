import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

/**
 * Statements on the customers' hot path, marked by this comment at their start, are kept prepared
 * on each connection (when DB_PREPARED_STATEMENTS=true): PostgreSQL then parses and plans them once
 * per connection instead of on every page (planning was most of the database's time per page).
 * Only marked statements, so a connection holds a handful, never one per distinct SQL text.
 * Named statements live on one server connection: off behind PgBouncer < 1.21 in transaction mode.
 */
const MARK = '/* prepared */';
export const preparedStatement = sql.raw(`${MARK} `);

type Query = (...args: unknown[]) => unknown;

// One name per marked text, computed once: the texts are a handful, the calls one per page.
const names = new Map<string, string>();
function nameOf(text: string): string {
  const known = names.get(text);
  if (known) return known;
  const name = `owabi_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
  names.set(text, name);
  return name;
}

/** Makes the client run marked statements as named prepared statements (the name: a digest of the text). */
export function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (config, values, callback) => {
    if (typeof config === 'string' && config.startsWith(MARK)) {
      return query({ name: nameOf(config), text: config, values }, callback);
    }
    return query(config, values, callback);
  };
}
