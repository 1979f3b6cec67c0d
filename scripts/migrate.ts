import { createDb, createPool } from '../src/platform/db.js';
import { parseConfig } from '../src/platform/config.js';
import { migrateToLatest } from '../src/platform/migrate.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
const config = parseConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is not set. (`npm start` migrates its own local database by itself.)');
  process.exit(78);
}
const db = createDb(createPool(config.DATABASE_URL, 1));
try {
  const applied = await migrateToLatest(db as never);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.destroy();
}
