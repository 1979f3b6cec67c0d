import { configureAudit } from '../audit/audit.settings.js';
import { parseConfig, type Config } from '../platform/config.js';
import { parsedOrExit } from '../platform/lifecycle.js';

/**
 * The configuration of a command-line tool or the worker, from the environment, parsed once. On a
 * developer's machine `npm run …` first loads dev/quick-start-env.ts, which fills in the quick
 * start's URLs and secrets when DATABASE_URL is not set.
 */
export function loadCliConfig(): Config {
  const config = parsedOrExit(() => parseConfig());
  configureAudit(config);
  return config;
}
