import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../platform/database.js';
import './letter-token.table.js';

/** SQL of the letter tokens and of the throttle of wrong ones. */

/**
 * The import's tokens of one batch, in its transaction: each registration code (just inserted into
 * the campaign) with the hash of its letter's token. One statement per batch.
 */
export async function insertImportedTokens(
  client: pg.PoolClient,
  campaignId: string,
  tokens: { registrationCode: string; hashHex: string }[],
): Promise<void> {
  if (tokens.length === 0) return;
  await client.query(
    `insert into letter_tokens (token_hash, campaign_id, customer_id, issued_at)
     select decode(t.hash, 'hex'), $1, c.id, now()
       from unnest($2::text[], $3::text[]) as t(code, hash)
       join customers c on c.campaign_id = $1 and c.registration_code = t.code`,
    [campaignId, tokens.map((t) => t.registrationCode), tokens.map((t) => t.hashHex)],
  );
}

/** A reissued letter's token: the customer's earlier letters are marked replaced at the same time. */
export async function replaceTokens(
  trx: Db,
  row: { tokenHash: Buffer; campaignId: string; customerId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('letter_tokens')
    .set({ replaced_at: row.at })
    .where('campaign_id', '=', row.campaignId)
    .where('customer_id', '=', row.customerId)
    .where('replaced_at', 'is', null)
    .execute();
  await trx
    .insertInto('letter_tokens')
    .values({
      token_hash: row.tokenHash,
      campaign_id: row.campaignId,
      customer_id: row.customerId,
      issued_at: row.at,
    })
    .execute();
}

export interface FoundLetter {
  campaignId: string;
  customerId: string;
  issuedAt: Date;
  replacedAt: Date | null;
  registrationCode: string;
}

/** Within the campaign whose page was opened: its partitions alone are read. */
export async function findLetter(
  db: Db,
  campaignId: string,
  tokenHash: Buffer,
): Promise<FoundLetter | undefined> {
  return db
    .selectFrom('letter_tokens as t')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.campaign_id', '=', 't.campaign_id').onRef('c.id', '=', 't.customer_id'),
    )
    .select([
      't.campaign_id as campaignId',
      't.customer_id as customerId',
      't.issued_at as issuedAt',
      't.replaced_at as replacedAt',
      'c.registration_code as registrationCode',
    ])
    .where('t.campaign_id', '=', campaignId)
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Records a wrong token; this client's records older than the window are cleared on the way. */
export async function recordCheckFailure(
  db: Db,
  row: { clientDigest: Buffer; campaignId: string | null; at: Date; windowStart: Date },
): Promise<void> {
  await sql`
    with old as (
      delete from letter_check_failures where client_digest = ${row.clientDigest} and at <= ${row.windowStart}
    )
    insert into letter_check_failures (client_digest, campaign_id, at)
    values (${row.clientDigest}, ${row.campaignId}, ${row.at})`.execute(db);
}

export async function countCheckFailures(db: Db, clientDigest: Buffer, since: Date): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from letter_check_failures where client_digest = ${clientDigest} and at > ${since}`.execute(
    db,
  );
  return Number(rows[0]!.n);
}

/**
 * The campaign's tokens and wrong-token records (the purge), 50,000 rows a statement so that no
 * delete holds its locks long. Returns how many tokens went.
 */
export async function deleteCampaignLetterTraces(db: Db, campaignId: string): Promise<number> {
  await db.deleteFrom('letter_check_failures').where('campaign_id', '=', campaignId).execute();
  let total = 0;
  for (;;) {
    const r = await sql`
      delete from letter_tokens where ctid = any(array(
        select ctid from letter_tokens where campaign_id = ${campaignId} limit 50000))`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    total += n;
    if (n === 0) return total;
  }
}
