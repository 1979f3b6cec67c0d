import { parseStartupConfig } from '../src/platform/config.js';
import { failAndExit } from '../src/platform/lifecycle.js';
import { cliEnvironment } from './local/environment.js';

/**
 * Loaded with `--import` before a command-line tool on a developer's machine: without DATABASE_URL,
 * the environment of the PostgreSQL and Redis that `npm start` runs here, with its secrets. The tool
 * then parses its configuration once, as in production.
 */
try {
  for (const [name, value] of Object.entries(cliEnvironment(parseStartupConfig()))) {
    if (!process.env[name]) process.env[name] = value;
  }
} catch (err) {
  failAndExit('Owabi', err);
}
