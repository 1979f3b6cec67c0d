import { createDb, createPool } from '../src/platform/db.js';
import { loadCliConfig } from '../src/platform/lifecycle.js';
import { migrateToLatest } from '../src/platform/migrate.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
const config = loadCliConfig();
const db = createDb(createPool(config.DATABASE_URL, 1));
try {
  const applied = await migrateToLatest(db as never);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.destroy();
}
