import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

/**
 * SQL of the bulk import (a campaign without customers): plain load tables, COPY streams into them,
 * indexes built after the load, the repeats sorted out on the full values, and the attach. The DDL
 * runs in the owner's functions of migration 2026_12_01_014 (the service's role has no DDL rights).
 */
type Queryable = pg.Pool | pg.PoolClient;

export type LoadPart = 'customers' | 'customer_personal' | 'letter_tokens';
export const LOAD_PARTS: readonly LoadPart[] = ['customers', 'customer_personal', 'letter_tokens'];
const loadTable = (part: LoadPart, campaignId: string) => `${part}_c${BigInt(campaignId)}_load`;

export async function beginLoad(db: Queryable, campaignId: string): Promise<void> {
  await db.query('select bulk_load_begin($1)', [campaignId]);
}

/** Drops the load tables (a failed or abandoned run). */
export async function discardLoad(db: Queryable, campaignId: string): Promise<void> {
  await db.query('select bulk_load_discard($1)', [campaignId]);
}

export async function indexLoad(db: Queryable, campaignId: string, part: LoadPart): Promise<void> {
  await db.query('select bulk_load_index($1, $2)', [campaignId, part]);
}

/** Partitions the campaign has but left empty go (a statement of its own: parents locked briefly). */
export async function clearEmptyPartitions(db: Queryable, campaignId: string): Promise<void> {
  await db.query('select bulk_load_clear_empty($1)', [campaignId]);
}

export async function attachLoad(client: pg.PoolClient, campaignId: string): Promise<void> {
  await client.query('select bulk_load_attach($1)', [campaignId]);
}

/** A COPY into one load table, fed chunk by chunk; end() resolves when PostgreSQL has it all. */
export function openLoadStream(client: pg.PoolClient, campaignId: string, part: LoadPart, columns: string) {
  return client.query(copyStreams.from(`copy ${loadTable(part, campaignId)} (${columns}) from stdin`));
}

/** Customer ids for the next rows, in increasing order, from the customers' identity sequence. */
export async function nextCustomerIds(db: Queryable, sequence: string, n: number): Promise<number[]> {
  const { rows } = await db.query<{ ids: string[] }>(
    'select array(select nextval($1::regclass) from generate_series(1, $2)) as ids',
    [sequence, n],
  );
  return rows[0]!.ids.map(Number);
}

/** Gives a customer of the load a fresh registration code (one that repeated another in the file). */
export async function recodeLoaded(
  db: Queryable,
  campaignId: string,
  id: number,
  code: string,
): Promise<void> {
  await db.query(`update ${loadTable('customers', campaignId)} set registration_code = $2 where id = $1`, [
    id,
    code,
  ]);
}

/** Loaded rows repeating an earlier row's customer reference (same hash); only among candidates. */
export async function repeatedRefs(db: Queryable, campaignId: string, prefixes: Buffer[]): Promise<number[]> {
  if (prefixes.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `select id from (
       select id, row_number() over (partition by source_ref_hash order by id) as n
         from ${loadTable('customers', campaignId)}
        where substring(source_ref_hash from 1 for 8) = any($1::bytea[])) r
      where n > 1`,
    [prefixes],
  );
  return rows.map((r) => Number(r.id));
}

/** Loaded people already loaded earlier in the file (same person digest): id and the first one's code. */
export async function repeatedPersons(
  db: Queryable,
  campaignId: string,
  prefixes: Buffer[],
  except: number[],
): Promise<{ id: number; code: string }[]> {
  if (prefixes.length === 0) return [];
  const { rows } = await db.query<{ id: string; code: string }>(
    `select r.id, c.registration_code as code from (
       select customer_id as id, first_value(customer_id) over (partition by person_digest order by customer_id) as first
         from ${loadTable('customer_personal', campaignId)}
        where substring(person_digest from 1 for 8) = any($1::bytea[]) and customer_id <> all($2::bigint[])) r
       join ${loadTable('customers', campaignId)} c on c.id = r.first
      where r.id <> r.first`,
    [prefixes, except],
  );
  return rows.map((r) => ({ id: Number(r.id), code: r.code }));
}

/** Takes rows out of the load (repeats): their customer, personal row and token. */
export async function dropLoaded(db: Queryable, campaignId: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  for (const [part, column] of [
    ['letter_tokens', 'customer_id'],
    ['customer_personal', 'customer_id'],
    ['customers', 'id'],
  ] as const) {
    await db.query(`delete from ${loadTable(part, campaignId)} where ${column} = any($1::bigint[])`, [ids]);
  }
}

/**
 * The letters' data of the load in id order, as COPY text lines: id, code, name, postal code,
 * address, household count. Streamed, never held whole.
 */
export function letterRowsOfLoad(client: pg.PoolClient, campaignId: string): Readable {
  return client.query(
    copyStreams.to(
      `copy (select c.id, c.registration_code, p.full_name, p.postal_code, p.address, jsonb_array_length(p.household)
               from ${loadTable('customers', campaignId)} c
               join ${loadTable('customer_personal', campaignId)} p on p.customer_id = c.id
              order by c.id) to stdout`,
    ),
  );
}

/** Feeds text chunks into a COPY stream, respecting backpressure. */
export async function feed(
  stream: Writable,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  await pipeline(Readable.from(chunks), stream);
}
