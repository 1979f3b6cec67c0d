import { sql } from 'kysely';
import type { AppDeps } from '../../../src/platform/deps.js';

/** `count` customer look-ups already made by the staff member, `minutesAgo` ago. */
export async function buildContactLookups(
  deps: Pick<AppDeps, 'db'>,
  staffId: string,
  count: number,
  minutesAgo = 5,
): Promise<void> {
  await sql`
    insert into contact_lookups (staff_id, at)
    select ${staffId}, now() - make_interval(mins => ${minutesAgo}) from generate_series(1, ${count})`.execute(
    deps.db,
  );
}
