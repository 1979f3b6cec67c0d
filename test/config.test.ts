import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, ConfigError, parseConfig, SECRET_NAMES } from '../src/platform/config.js';
import { TEST_SECRETS } from './support/context.js';

const run = promisify(execFile);

const external = {
  DATABASE_URL: 'postgres://u:p@db.example:5432/owabi',
  REDIS_URL: 'redis://redis.example:6379',
};

describe('configuration', () => {
  it('when every secret is given, then the defaults apply and the demo is off', () => {
    const c = parseConfig({ ...external, ...TEST_SECRETS });
    expect(c.PORT).toBe(3000);
    expect(c.SEED_DEMO).toBe(false);
    expect(c.STAFF_SESSION_SECRET).not.toBe(c.SESSION_SECRET);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('when %j is given, then the error names %s', (env, name) => {
    const all = { ...external, ...TEST_SECRETS, ...env };
    expect(() => parseConfig(all)).toThrow(ConfigError);
    expect(() => parseConfig(all)).toThrow(new RegExp(`${name}:`));
  });

  it.each(['development', 'test', 'production'])(
    'when NODE_ENV=%s and a secret is missing with an external database, then each is named and none is made up',
    (nodeEnv) => {
      const err = (() => {
        try {
          parseConfig({ ...external, NODE_ENV: nodeEnv, SECURE_COOKIES: 'true' });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      for (const name of SECRET_NAMES) expect(err!.message).toContain(`${name}: is required`);
    },
  );

  it('when production is asked for plain-HTTP cookies or the demo campaign, then it refuses both', () => {
    const prod = { ...external, ...TEST_SECRETS, NODE_ENV: 'production' };
    expect(() => parseConfig(prod)).toThrow(/SECURE_COOKIES: must be true/);
    expect(() => parseConfig({ ...prod, SECURE_COOKIES: 'true', SEED_DEMO: 'true' })).toThrow(/SEED_DEMO: /);
    expect(() => parseConfig({ ...prod, SECURE_COOKIES: 'true' })).toThrow(/PUBLIC_BASE_URL: must be/);
    expect(() =>
      parseConfig({ ...prod, SECURE_COOKIES: 'true', PUBLIC_BASE_URL: 'http://owabi.example.jp' }),
    ).toThrow(/PUBLIC_BASE_URL: must be/);
    const ok = parseConfig({ ...prod, SECURE_COOKIES: 'true', PUBLIC_BASE_URL: 'https://owabi.example.jp/' });
    expect(ok.SEED_DEMO).toBe(false);
    expect(ok.PUBLIC_BASE_URL).toBe('https://owabi.example.jp');
  });

  it('when a variable is read by the service, then .env.example lists and explains it', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const name of CONFIG_VARIABLES) expect(example).toMatch(new RegExp(`^# .*\\n${name}=`, 'm'));
  });

  it('when the server is started with a bad value, then it stops at once with a message naming it', async () => {
    const err = await run('node', ['--import', 'tsx', 'src/app/main.ts'], {
      env: { ...process.env, ...external, ...TEST_SECRETS, PORT: 'abc' },
      timeout: 20_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(78);
    expect((err as { stderr: string }).stderr).toContain('PORT:');
    expect((err as { stderr: string }).stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('when the server is started in production without a database, then it names DATABASE_URL', async () => {
    const err = await run('node', ['--import', 'tsx', 'src/app/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', REDIS_URL: '' },
      timeout: 20_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(78);
    expect((err as { stderr: string }).stderr).toContain('DATABASE_URL');
  });
});
