import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SMALL_HEAP_FLAGS } from '../src/platform/heap-flags.js';

/**
 * What each process loads at start. A web process serves customers' pages: BullMQ (the console's
 * jobs page) and the AWS SDK (files) come on first use, and the primary never loads the app. Each
 * costs a process ~10 MB (README, bench:redeem's RSS per process).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'owabi-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function modulesLoadedBy(entry: string): Promise<string[]> {
  const file = path.join(dir, `${path.basename(entry)}.txt`);
  const script = `await import(${JSON.stringify(path.resolve(entry))});`;
  await promisify(execFile)(
    'node',
    ['--import', 'tsx', '--import', './test/fixtures/record-loads.mjs', '--input-type=module', '-e', script],
    { env: { ...process.env, LOADED_MODULES_FILE: file }, timeout: 60_000 },
  );
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const fromPackage = (urls: string[], name: string) =>
  urls.filter((u) => u.includes(`/node_modules/${name}/`));

describe('modules loaded at start', () => {
  it('a web process loads the app but neither BullMQ nor the AWS SDK', async () => {
    const urls = await modulesLoadedBy('src/app/start-web.ts');
    expect(fromPackage(urls, 'express').length).toBeGreaterThan(0);
    expect(urls.some((u) => u.endsWith('/src/app/create-app.ts'))).toBe(true);
    expect(fromPackage(urls, 'bullmq')).toEqual([]);
    expect(fromPackage(urls, '@aws-sdk')).toEqual([]);
  }, 90_000);

  it('the primary loads neither the app nor BullMQ', async () => {
    const urls = await modulesLoadedBy('src/app/start.ts');
    expect(urls.some((u) => u.endsWith('/src/app/primary.ts'))).toBe(true);
    expect(urls.filter((u) => u.endsWith('/src/app/create-app.ts'))).toEqual([]);
    expect(fromPackage(urls, 'express')).toEqual([]);
    expect(fromPackage(urls, 'bullmq')).toEqual([]);
  }, 90_000);

  it('a worker started on its own (npm run worker:prod, compose) has the heap flags the primary gives the ones it forks', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts['worker:prod']!.split(' ')).toEqual(expect.arrayContaining(SMALL_HEAP_FLAGS));
    // And the compose file's worker service.
    const compose = readFileSync('docker-compose.yml', 'utf8');
    const worker = /\n {2}worker:\n[\s\S]*?\n {4}command: (\[.*\])/.exec(compose)?.[1];
    expect(JSON.parse(worker!) as string[]).toEqual(expect.arrayContaining(SMALL_HEAP_FLAGS));
  });
});
