import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { STAGING_COPY_COLUMNS } from './import.encoding.js';
import { retryOnLockConflict } from '../platform/pg-retry.js';

/**
 * SQL of the customer import. No statement relies on a session's state from an earlier
 * transaction (the service may reach PostgreSQL through PgBouncer in transaction pooling mode):
 * the campaign's lock is a lease row, and each batch stages its rows in a temporary table of its
 * own transaction.
 */

type Queryable = pg.Pool | pg.PoolClient;

export interface LeaseHolding {
  campaignId: string;
  holder: string;
}

/** Takes the campaign's import lease if it is free or expired; false when another holder has it. */
export async function takeImportLease(db: Queryable, lease: LeaseHolding, seconds: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into import_leases as l (campaign_id, holder, expires_at)
     values ($1, $2, clock_timestamp() + make_interval(secs => $3))
     on conflict (campaign_id) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where l.expires_at < clock_timestamp()`,
    [lease.campaignId, lease.holder, seconds],
  );
  return rowCount === 1;
}

/** Extends the lease (locking its row until the transaction ends); false when it is no longer ours. */
export async function renewImportLease(
  db: Queryable,
  lease: LeaseHolding,
  seconds: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update import_leases set expires_at = clock_timestamp() + make_interval(secs => $3)
      where campaign_id = $1 and holder = $2`,
    [lease.campaignId, lease.holder, seconds],
  );
  return rowCount === 1;
}

export async function releaseImportLease(db: Queryable, lease: LeaseHolding): Promise<void> {
  await db.query('delete from import_leases where campaign_id = $1 and holder = $2', [
    lease.campaignId,
    lease.holder,
  ]);
}

/** The campaign's partitions of customers, personal rows and letter tokens (made once, when first needed). */
export async function ensureCampaignPartitions(db: Queryable, campaignId: string): Promise<void> {
  await retryOnLockConflict(() => db.query('select create_campaign_partitions($1)', [campaignId]));
}

/** The campaign's slug (its letters' verification address names it). */
export async function campaignSlug(db: Queryable, campaignId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ slug: string }>('select slug from campaigns where id = $1', [campaignId]);
  return rows[0]?.slug;
}

/** The sequence behind customers.id: the staging table draws its ids from it. */
export async function customerIdSequence(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ seq: string }>(`select pg_get_serial_sequence('customers', 'id') as seq`);
  return rows[0]!.seq;
}

/**
 * The batch's staging table, dropped at its commit. customer_id is drawn from the customers
 * identity sequence as each row is copied in, so customer_personal can be joined to the customers
 * row without a second lookup.
 */
export async function createStagingTable(client: pg.PoolClient, sequence: string): Promise<void> {
  await client.query(`
    create temporary table import_stage (
      line integer not null,
      customer_id bigint not null default nextval(${client.escapeLiteral(sequence)}::regclass),
      registration_code text not null,
      login_key_hash bytea not null,
      source_ref_hash bytea not null,
      person_digest bytea not null,
      lost_letter_digest bytea,
      leaked_items text[] not null,
      erasure_requested_before boolean not null,
      full_name text not null,
      full_name_kana text,
      birth_date date,
      postal_code text not null,
      address text not null,
      phone text,
      email text,
      household jsonb not null,
      customer_ref text not null
    ) on commit drop`);
}

/** Highest customer id of the campaign before this run: anything above it was added by this run. */
export async function maxCustomerId(db: Queryable, campaignId: string): Promise<bigint> {
  const { rows } = await db.query<{ max: string | null }>(
    'select max(id)::text as max from customers where campaign_id = $1',
    [campaignId],
  );
  return BigInt(rows[0]!.max ?? 0);
}

export async function clearStaging(client: pg.PoolClient): Promise<void> {
  await client.query('truncate import_stage');
}

/** COPY the given lines (COPY text format) into the staging table, respecting backpressure. */
export async function copyIntoStaging(client: pg.PoolClient, lines: Iterable<string>): Promise<void> {
  const copy = client.query(
    copyStreams.from(`copy import_stage (${STAGING_COPY_COLUMNS.join(', ')}) from stdin`),
  );
  await pipeline(Readable.from(lines, { objectMode: false }), copy);
}

/**
 * Inserts the staged rows that are new: not already imported (same customer reference), not a
 * person already present in the campaign, and only the first line of each person in the batch.
 * Registration-code collisions are skipped by ON CONFLICT and come back as "not inserted".
 * Returns the line numbers that were inserted.
 */
export async function insertFromStaging(client: pg.PoolClient, campaignId: string): Promise<number[]> {
  const { rows } = await client.query<{ line: number }>(
    `with candidates as (
       select distinct on (s.person_digest) s.*
       from import_stage s
       where not exists (
         select 1 from customers c where c.campaign_id = $1 and c.source_ref_hash = s.source_ref_hash)
       order by s.person_digest, s.line
     ), inserted as (
       insert into customers (id, campaign_id, registration_code, login_key_hash, source_ref_hash,
                              leaked_items, erasure_requested_before)
       overriding system value
       select c.customer_id, $1, c.registration_code, c.login_key_hash, c.source_ref_hash,
              c.leaked_items, c.erasure_requested_before
       from candidates c
       where not exists (
         select 1 from customer_personal p where p.campaign_id = $1 and p.person_digest = c.person_digest)
       order by c.line
       on conflict do nothing
       returning id
     ), personal as (
       insert into customer_personal (customer_id, campaign_id, full_name, full_name_kana, birth_date,
                                      postal_code, address, phone, email, household, person_digest,
                                      customer_ref, lost_letter_digest)
       select s.customer_id, $1, s.full_name, s.full_name_kana, s.birth_date,
              s.postal_code, s.address, s.phone, s.email, s.household, s.person_digest,
              s.customer_ref, s.lost_letter_digest
       from import_stage s join inserted i on i.id = s.customer_id
     )
     select s.line from import_stage s join inserted i on i.id = s.customer_id`,
    [campaignId],
  );
  return rows.map((r) => r.line);
}

export interface NotInsertedRow {
  line: number;
  /** The campaign's customer with the same customer reference, if any. */
  refCustomerId: string | null;
  /** Registration code of the earliest customer of the campaign who is the same person, if any. */
  samePersonCode: string | null;
}

/** Why staged lines were not inserted: looked up after the insert, so it sees this batch too. */
export async function explainNotInserted(
  client: pg.PoolClient,
  campaignId: string,
  lines: number[],
): Promise<NotInsertedRow[]> {
  const { rows } = await client.query<NotInsertedRow>(
    `select s.line,
            c.id as "refCustomerId",
            (select cu.registration_code
               from customer_personal p join customers cu on cu.campaign_id = $1 and cu.id = p.customer_id
              where p.campaign_id = $1 and p.person_digest = s.person_digest
              order by p.customer_id limit 1) as "samePersonCode"
       from import_stage s
       left join customers c on c.campaign_id = $1 and c.source_ref_hash = s.source_ref_hash
      where s.line = any($2::int[])`,
    [campaignId, lines],
  );
  return rows;
}
