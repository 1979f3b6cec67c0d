import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import express from 'express';
import { sql } from 'kysely';
import supertest from 'supertest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runWorker } from '../../jobs/worker.js';
import { createApp } from '../../src/app/create-app.js';
import { errorHandler } from '../../src/platform/http/error-handler.js';
import { crashRecord, failAndExit } from '../../src/platform/lifecycle.js';
import { createLogger } from '../../src/platform/logger.js';
import { QUEUE } from '../../src/platform/queues.js';
import { buildCampaign, buildCustomer } from '../support/factories.js';
import { useIsolatedServices, waitFor } from '../support/isolated.js';
import { CustomerBrowser } from '../support/web.js';

/**
 * ASVS 5.0.0 16.2.5 — "Verify that when logging sensitive data, the application enforces logging
 * based on the data's protection level" (and 14.2.4, how sensitive data may be logged): personal
 * data never reaches a log. A canary value for every personal field goes through every way into
 * the logs — request logs, a worker's failed job, the unhandled-error handler, a crash, the
 * console — and none may come out. PostgreSQL errors are real: their messages quote the values.
 */
const CANARY = {
  full_name: '鳥居カナリア',
  kana: 'トリイカナリア',
  birth_date: '1903-07-19',
  household: 'カナリア世帯主',
  address: '北海道カナリア市九八七',
  postal_code: '0987654',
  phone: '0312398765',
  email: 'canary.torii@example.invalid',
  login_key: 'KNRY7H3PQWXT',
  registration_code: 'CNRYQ4X8TW9M',
  gift_code: 'GIFT-KNRY-5521-ZZ',
};
const VALUES = Object.values(CANARY);
const ALL = VALUES.join('|');

const scratch = mkdtempSync(path.join(os.tmpdir(), 'owabi-canary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const logFile = path.join(scratch, 'worker.log');
const iso = useIsolatedServices({ LOG_FILE: logFile, LOG_LEVEL: 'warn' });

const captured: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    captured.push(String(chunk));
    cb();
  },
});
const logger = createLogger('trace', sink);

function expectNoCanary(output: string, extra: string[] = []) {
  expect(output.length).toBeGreaterThan(0);
  for (const value of [...VALUES, ...extra]) expect(output, value).not.toContain(value);
}

/** A real PostgreSQL error quoting every canary value, with a `detail` as constraint errors have. */
async function databaseError(): Promise<Error> {
  const err = await sql`select ${ALL}::bigint`.execute(iso.deps.db).then(
    () => new Error('no error'),
    (e: Error) => e,
  );
  expect(err.message).toContain(CANARY.full_name);
  return Object.assign(err, { detail: `Key (address)=(${CANARY.address}) already exists.` });
}

describe('ASVS 5.0.0 16.2.5 / 14.2.4 the log canary', () => {
  it('when every personal field is logged nested at any depth, then none of it is written', () => {
    captured.length = 0;
    logger.child({ customer: { fullName: CANARY.full_name } }).info(
      {
        customer: { profile: { ...CANARY, full_name_kana: CANARY.kana, birthDate: CANARY.birth_date } },
        rows: [{ household: [{ name: CANARY.household, birthDate: CANARY.birth_date }] }],
        letter: { registrationCode: CANARY.registration_code, loginKey: CANARY.login_key },
        gift: { emoneyCode: CANARY.gift_code, code: CANARY.gift_code.length },
        shipping: { deliveryAddress: CANARY.address, zip: CANARY.postal_code, tel: CANARY.phone },
        err: new Error(ALL),
      },
      'nested',
    );
    expectNoCanary(captured.join(''));
  });

  it('when a customer logs in and sends personal data in forms, queries, cookies and the path, then the request log holds none of it', async () => {
    captured.length = 0;
    const deps = { ...iso.deps, logger };
    const app = createApp(deps);
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { fullName: CANARY.full_name });
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    expect((await browser.my()).text).toContain(CANARY.full_name);
    await browser.agent
      .post(`/c/${campaign.slug}/my/confirm`)
      .type('form')
      .send({ ...CANARY, postalCode: CANARY.postal_code, address: CANARY.address });
    await browser.agent
      .get(`/c/${encodeURIComponent(CANARY.full_name)}/${CANARY.registration_code}`)
      .query({ email: CANARY.email, key: CANARY.login_key })
      .set('Cookie', `note=${CANARY.gift_code}`)
      .set('X-Note', CANARY.phone);
    expectNoCanary(captured.join(''), [customer.registrationCode, customer.loginKey]);
    expect(captured.join('')).toContain('"path":"/c/…"');
  });

  it('when a request fails with a database error quoting personal data, then the error handler logs its type and code only', async () => {
    captured.length = 0;
    const err = await databaseError();
    const app = express();
    app.get('/boom', () => {
      throw err;
    });
    app.use(errorHandler(logger));
    const res = await supertest(app).get('/boom').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expectNoCanary(captured.join('') + res.text);
    expect(captured.join('')).toContain('"code":"22P02"');
  });

  it('when a worker job fails with a database error quoting personal data, then the worker log and the failed reason in Redis hold its type and code only', async () => {
    const stop = await runWorker(iso.config, { concurrency: 1 });
    const queue = new Queue(QUEUE.fulfilment, {
      connection: { port: iso.redisPort },
      prefix: iso.config.REDIS_PREFIX,
    });
    try {
      const job = await queue.add('fulfil', { redemptionId: ALL, campaignId: '1' }, { attempts: 1 });
      await waitFor(async () => (await job.getState()) === 'failed', 15_000, 'the job to fail');
      await waitFor(async () => readFileSync(logFile, 'utf8').includes('job failed'), 5_000, 'the log');
      const failed = await queue.getJob(job.id!);
      expectNoCanary(
        readFileSync(logFile, 'utf8') + failed!.failedReason + (failed!.stacktrace ?? []).join('\n'),
      );
      expect(failed!.failedReason).toMatch(/22P02/);
    } finally {
      await queue.close();
      await stop();
    }
  });

  it('when the process crashes on an error quoting personal data over several lines, then the crash log holds kind, type, code and frames only', async () => {
    captured.length = 0;
    const err = await databaseError();
    err.message = `${err.message}\n${ALL}\n    at fake (${CANARY.address})`;
    err.stack = `error: ${err.message}\n    at run (/app/x.js:1:1)`;
    logger.fatal(crashRecord('uncaughtException', err), 'process crashed');
    expectNoCanary(captured.join(''));
    expect(captured.join('')).toContain('at run (/app/x.js:1:1)');
  });

  it('when a tool stops on such an error, then the console says its type and code only', async () => {
    const err = await databaseError();
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      failAndExit('Owabi worker', err);
    } finally {
      spy.mockRestore();
      exit.mockRestore();
    }
    expectNoCanary(printed.join('\n'));
    expect(printed.join('\n')).toContain('22P02');
  });
});
