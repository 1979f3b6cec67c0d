import { loadCliConfig } from '../src/app/cli-config.js';
import { createLogger } from '../src/platform/logger.js';
import { migrateAndGrant } from '../src/platform/migrate.js';

/**
 * `npm run migrate`: applies pending migrations as the owner (MIGRATION_DATABASE_URL, or
 * DATABASE_URL when unset), then grants the service's role (DATABASE_URL) what it needs.
 */
const config = loadCliConfig();
const { applied } = await migrateAndGrant(config, createLogger('warn'));
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
