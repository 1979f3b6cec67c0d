import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/platform/config.js';

const run = promisify(execFile);

describe('configuration', () => {
  it('when nothing is set, then development defaults apply', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.SEED_DEMO).toBe(true);
    expect(c.LOGIN_KEY_PEPPER.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('when %j is given, then the error names %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('when production lacks its secrets, then every missing one is named and no default is used', () => {
    try {
      parseConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ['LOGIN_KEY_PEPPER', 'SESSION_SECRET', 'CSRF_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
        expect(msg).toContain(`${name}: is required in production`);
      }
      expect(parseConfig({ NODE_ENV: 'production', SEED_DEMO: 'true', ...prodSecrets() }).SEED_DEMO).toBe(
        true,
      );
    }
  });

  it('when the server is started with a bad value, then it stops at once with a message naming it', async () => {
    const err = await run('node', ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'abc' },
      timeout: 20_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(78);
    expect((err as { stderr: string }).stderr).toContain('PORT:');
  });
});

function prodSecrets() {
  return {
    LOGIN_KEY_PEPPER: 'p'.repeat(40),
    SESSION_SECRET: 's'.repeat(40),
    CSRF_SECRET: 'c'.repeat(40),
    DATABASE_URL: 'postgres://u:p@localhost/db',
    REDIS_URL: 'redis://localhost:6379',
  };
}
