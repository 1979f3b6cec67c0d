import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import type pg from 'pg';
import { generateSecrets } from '../../dev/local/environment.js';
import { createApp } from '../../src/app/create-app.js';
import { totpBoxFor } from '../../src/operators/staff-crypto.js';
import { newTotpSecret } from '../../src/operators/staff-totp.js';
import { storeTotpSecret } from '../../src/operators/staff-totp.service.js';
import { createStaff } from '../../src/operators/staff.service.js';
import { parseConfig, type Config } from '../../src/platform/config.js';
import type { createDb } from '../../src/platform/db.js';
import { createLogger } from '../../src/platform/logger.js';
import { createObjectStore } from '../../src/platform/storage/storage.config.js';
import { OpsClient } from './postcards-client.js';

/** The service in this process for the postcard bench, and clerks signed in to its console. */

type Db = ReturnType<typeof createDb>;

export interface InProcessServer {
  config: Config;
  baseUrl: string;
  close(): Promise<void>;
}

/** createApp with NODE_ENV=test (view cache on), listening on 127.0.0.1. */
export async function startPostcardsServer(
  postgresUrl: string,
  pool: pg.Pool,
  db: Db,
): Promise<InProcessServer> {
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: postgresUrl,
    REDIS_URL: 'redis://127.0.0.1:1', // not used by the web pages measured here
    ...generateSecrets(),
    LOG_LEVEL: 'silent',
  });
  const store = createObjectStore(config);
  const app = createApp({ config, pool, db, logger: createLogger('silent'), store, now: () => new Date() });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { config, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

/** `count` clerks, each signed in with both factors in a browser of their own. */
export async function signInClerks(db: Db, server: InProcessServer, count: number): Promise<OpsClient[]> {
  const secret = () => randomBytes(32).toString('hex');
  const clients: OpsClient[] = [];
  for (let i = 0; i < count; i++) {
    const username = `bench-clerk-${i}`;
    const password = `pw-${secret()}`;
    const id = await createStaff(db, { username, displayName: `bench ${i}`, role: 'clerk', password });
    const totpSecret = newTotpSecret();
    const box = totpBoxFor(server.config.TOTP_ENCRYPTION_KEY);
    await storeTotpSecret(db, box, id, totpSecret, null, new Date());
    const c = new OpsClient(server.baseUrl);
    const code = new TOTP({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30 }).generate();
    await c.signIn(username, password, code);
    clients.push(c);
  }
  return clients;
}
