import { sql, type Kysely, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listEntries } from '../../src/audit/audit.repo.js';
import { audit } from '../../src/audit/audit.service.js';
import type { Database } from '../../src/platform/database.js';
import { currentRole, rolePosture } from '../../src/platform/roles.repo.js';
import { useOwnerDb, useTestDeps } from '../support/context.js';

/**
 * ASVS 5.0.0 13.2.2 — "Verify that communications between backend application components, including
 * … data layers, are performed with accounts assigned the least necessary privileges", here so that
 * 16.4.2 holds ("logs … cannot be modified"): the service's own database role (DATABASE_URL) may
 * append to the audit log and read it, nothing more. Every attempt runs in a transaction that is
 * rolled back whatever happens, so a missing guard could not damage the shared test database.
 */
const deps = useTestDeps();
const owner = useOwnerDb();

class Rollback extends Error {}

const attempt = (db: Kysely<Database>, statement: RawBuilder<unknown>) =>
  db.transaction().execute(async (trx) => {
    await statement.execute(trx);
    throw new Rollback();
  });

describe("ASVS 5.0.0 13.2.2 / 16.4.2 the service's database role", () => {
  it('when it connects, then it is not the owner of the tables nor a superuser', async () => {
    expect(await currentRole(deps.db as never)).not.toBe(await currentRole(owner() as never));
    expect(await rolePosture(deps.db as never)).toMatchObject({ canRewriteAudit: false, canMigrate: false });
  });

  it('when it updates, deletes or truncates audit entries, then PostgreSQL refuses: permission denied', async () => {
    await audit(deps.db, { staffId: null, action: 'test.role' }, new Date());
    const [entry] = await listEntries(deps.db, { action: 'test.role' }, 1);
    for (const statement of [
      sql`update audit_log set reason = 'edited' where id = ${entry!.id}`,
      sql`delete from audit_log where id = ${entry!.id}`,
      sql`truncate audit_log`,
      sql`update audit_chain_marker set legacy_up_to_id = legacy_up_to_id + 1`,
      sql`delete from audit_chain_marker`,
    ]) {
      await expect(attempt(deps.db, statement)).rejects.toThrow(/permission denied/);
    }
    expect((await listEntries(deps.db, { action: 'test.role' }, 1))[0]).toEqual(entry);
  });

  it('when it tries to disable, drop or sidestep the append-only trigger, then PostgreSQL refuses', async () => {
    for (const [statement, refusal] of [
      [sql`alter table audit_log disable trigger audit_log_no_update`, /must be owner/],
      [sql`alter table audit_log disable trigger all`, /must be owner/],
      [sql`drop trigger audit_log_no_update on audit_log`, /must be owner/],
      [sql`alter table audit_log owner to current_user`, /must be owner/],
      [sql`set session_replication_role = replica`, /permission denied/],
      [
        sql`create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$ begin return old; end $$`,
        /must be owner|permission denied/,
      ],
    ] as const) {
      await expect(attempt(deps.db, statement)).rejects.toThrow(refusal);
    }
    const trigger = await sql<{ tgenabled: string }>`
      select tgenabled from pg_trigger where tgname = 'audit_log_no_update'`.execute(deps.db);
    expect(trigger.rows[0]!.tgenabled).toBe('O');
  });

  it('when it appends and reads audit entries, then it may', async () => {
    await audit(deps.db, { staffId: null, action: 'test.role_append' }, new Date());
    expect(await listEntries(deps.db, { action: 'test.role_append' }, 1)).toHaveLength(1);
  });

  it('when a later migration creates a table as the owner, then the service may use it (default privileges)', async () => {
    await expect(
      owner()
        .transaction()
        .execute(async (trx) => {
          await sql`create table security_test_future (id bigint generated always as identity primary key, v text)`.execute(
            trx,
          );
          const role = await currentRole(deps.db as never);
          const { rows } = await sql<{ dml: boolean; seq: boolean }>`
            select has_table_privilege(${role}, 'security_test_future', 'SELECT, INSERT, UPDATE, DELETE') as dml,
              has_sequence_privilege(${role}, pg_get_serial_sequence('security_test_future', 'id'), 'USAGE') as seq
          `.execute(trx);
          expect(rows[0]).toEqual({ dml: true, seq: true });
          throw new Rollback();
        }),
    ).rejects.toBeInstanceOf(Rollback);
  });
});
