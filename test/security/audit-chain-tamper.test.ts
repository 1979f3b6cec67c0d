import { sql, type Kysely, type Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import { GENESIS, legacyHash } from '../../src/audit/audit.chain.js';
import { entriesAfter } from '../../src/audit/audit.repo.js';
import {
  audit,
  exportAuditHead,
  verifyChain,
  type ChainVerification,
} from '../../src/audit/audit.service.js';
import type { Database } from '../../src/platform/database.js';
import { createDb, createPool } from '../../src/platform/db.js';
import { useOwnerDb } from '../support/context.js';
import { useIsolatedServices } from '../support/isolated.js';

/**
 * ASVS 5.0.0 16.4.2 — "Verify that logs are protected from unauthorized access and cannot be
 * modified." The attacker here is whoever holds the tables' owner role (a leaked migration
 * password, a DBA): they bypass the append-only trigger and rewrite, truncate or re-chain the log.
 * They do not have AUDIT_HMAC_KEY nor write access to the head file. Each attack runs in an owner
 * transaction that is rolled back after verifying inside it, on a database of this file's own.
 */
const iso = useIsolatedServices();
const owner = useOwnerDb(() => iso.ownerUrl);

class Rollback extends Error {}

/** Runs `attack` as the owner with every trigger off, verifies inside, then rolls it all back. */
async function afterAttack(
  attack: (trx: Transaction<Database>) => Promise<void>,
): Promise<ChainVerification> {
  let result: ChainVerification | undefined;
  await expect(
    owner()
      .transaction()
      .execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await attack(trx);
        result = await verifyChain(trx);
        throw new Rollback();
      }),
  ).rejects.toBeInstanceOf(Rollback);
  return result!;
}

async function allEntries(db: Kysely<Database>) {
  return entriesAfter(db, '0', 100_000);
}

/** What an attacker without the key can do: recompute every hash after `fromId` with plain SHA-256. */
async function rechainUnkeyed(trx: Transaction<Database>, fromId: bigint) {
  let prev = GENESIS;
  for (const e of await allEntries(trx)) {
    if (BigInt(e.id) >= fromId) {
      const hash = legacyHash(prev, e);
      await sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where id = ${e.id}`.execute(trx);
      prev = hash;
    } else prev = e.hash;
  }
}

const append = (n: number, action = 'test.tamper') =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      audit(iso.deps.db, { staffId: null, action, details: { n: i } }, new Date()),
    ),
  );

describe('ASVS 5.0.0 16.4.2 an audit log migrated with entries of the unkeyed chain', () => {
  it('when entries up to the recorded boundary are unkeyed and later ones keyed, then the one chain verifies', async () => {
    // As a database upgraded by migration 008 would be: two old entries, the boundary after them.
    await owner()
      .transaction()
      .execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        let prev = GENESIS;
        for (const action of ['legacy.one', 'legacy.two']) {
          const entry = { at: new Date(), staff_id: null, action, target_type: null, target_id: null };
          const row = { ...entry, campaign_id: null, reason: null, details: {} };
          const hash = legacyHash(prev, row);
          await trx
            .insertInto('audit_log')
            .values({ ...row, details: '{}' as never, prev_hash: prev, hash })
            .execute();
          prev = hash;
        }
        await sql`update audit_chain_marker set legacy_up_to_id = (select max(id) from audit_log)`.execute(
          trx,
        );
      });
    await append(3);
    await exportAuditHead(iso.deps.db);
    expect(await verifyChain(iso.deps.db)).toMatchObject({ valid: true, entries: 5, headsChecked: 1 });
  });
});

describe('ASVS 5.0.0 16.4.2 a tampered audit chain', () => {
  it('when the owner rewrites one entry behind the trigger, then verification names it', async () => {
    await append(4);
    await exportAuditHead(iso.deps.db);
    const entries = await allEntries(iso.deps.db);
    const target = entries.at(-2)!;
    const result = await afterAttack(async (trx) => {
      await sql`update audit_log set details = '{"n": 99}' where id = ${target.id}`.execute(trx);
    });
    expect(result).toMatchObject({ valid: false, brokenAt: target.id, problem: 'hash' });
  });

  it('when the owner rewrites an entry and recomputes the chain after it without the key, then verification still fails', async () => {
    const entries = await allEntries(iso.deps.db);
    const target = entries.at(-3)!;
    const result = await afterAttack(async (trx) => {
      await sql`update audit_log set action = 'staff.sign_in' where id = ${target.id}`.execute(trx);
      await rechainUnkeyed(trx, BigInt(target.id));
    });
    expect(result).toMatchObject({ valid: false, brokenAt: target.id, problem: 'hash' });
  });

  it('when the owner also moves the boundary of the unkeyed entries and recomputes the whole chain, then the exported heads catch it', async () => {
    const result = await afterAttack(async (trx) => {
      await sql`update audit_log set reason = 'rewritten' where id = (select max(id) from audit_log)`.execute(
        trx,
      );
      await sql`update audit_chain_marker set legacy_up_to_id = (select max(id) from audit_log)`.execute(trx);
      await rechainUnkeyed(trx, 0n);
    });
    expect(result.valid).toBe(false);
    expect(['head_mismatch', 'boundary']).toContain(result.problem);
  });

  it('when the owner deletes the newest entries (the tail), then the missing exported head is reported', async () => {
    await append(2);
    const { id: head } = await exportAuditHead(iso.deps.db);
    const result = await afterAttack(async (trx) => {
      await sql`delete from audit_log where id > ${BigInt(head!) - 2n}`.execute(trx);
    });
    expect(result).toMatchObject({ valid: false, brokenAt: head, problem: 'head_missing' });
  });

  it('when the owner truncates the whole log, then verification fails instead of finding nothing wrong', async () => {
    const result = await afterAttack(async (trx) => {
      await sql`truncate audit_log`.execute(trx);
    });
    expect(result).toMatchObject({ valid: false, entries: 0, problem: 'head_missing' });
  });

  // Last: this attack is committed (the service appends after it), so the chain stays broken.
  it('when the tail is deleted and the sequence reset so that new keyed entries reuse the ids, then the exported head no longer matches', async () => {
    await append(2);
    const { id: head } = await exportAuditHead(iso.deps.db);
    // A second connection as the service, so the new entries are chained with the key as usual.
    let result: ChainVerification | undefined;
    const service = createDb(createPool(iso.config.DATABASE_URL, 1));
    try {
      await owner()
        .transaction()
        .execute(async (trx) => {
          await sql`set local session_replication_role = replica`.execute(trx);
          await sql`delete from audit_log where id >= ${head}`.execute(trx);
          await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), ${BigInt(head!) - 1n})`.execute(
            trx,
          );
        });
      await audit(service, { staffId: null, action: 'test.refill' }, new Date());
      result = await verifyChain(service);
    } finally {
      await service.destroy();
    }
    expect(result).toMatchObject({ valid: false, brokenAt: head, problem: 'head_mismatch' });
  });
});
