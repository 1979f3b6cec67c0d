import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';

/**
 * The language switch (`?lang=`) redirects to "the same address without it": it must never send
 * the reader to another site, whatever the request line says. ASVS numbering: OWASP ASVS 5.0.0.
 */

const deps = useTestDeps();
const app = createApp(deps);
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends the request line exactly as given (a proxy's absolute form, odd slashes) and returns the Location. */
function locationOf(target: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'GET', path: target, headers: { host: `127.0.0.1:${port}` } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Where a browser goes from a Location header (resolved against the page it asked for). */
const hostOf = (location: string) => new URL(location, `https://owabi.example/c/demo/login`).host;

describe('language switch: no open redirect', () => {
  it.each([
    '//evil.example/?lang=en',
    '/\\evil.example/?lang=en',
    '/\\/evil.example/?lang=en',
    '///evil.example/?lang=en',
    '/%2F%2Fevil.example/?lang=en',
    '/%5C%5Cevil.example/?lang=en',
    '/c/demo/login?lang=en&next=//evil.example',
  ])('ASVS 5.0 3.7.2 (open redirect): %s stays on this site', async (target) => {
    const res = await supertest(app).get(target);
    if (res.status === 303) expect(hostOf(res.headers.location!)).toBe('owabi.example');
  });

  // A request line in absolute form (RFC 9112 3.2.2: what a client sends to a proxy) reaches
  // Express with `req.originalUrl` = "http://evil.example/…"; the switch must not redirect there.
  it('ASVS 5.0 3.7.2: a request line in absolute form (http://evil.example/?lang=en) is not redirected off-site', async () => {
    const res = await locationOf('http://evil.example/c/demo/login?lang=en');
    expect(res.status).toBe(303);
    expect(hostOf(res.location!)).toBe('owabi.example');
  });

  it('ASVS 5.0 3.3.1: the language cookie holds only an offered language and is HttpOnly, SameSite', async () => {
    const bad = await supertest(app).get('/?lang=en%0d%0aSet-Cookie:%20x=1');
    expect(bad.status).toBe(303);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const good = await supertest(app).get('/?lang=en');
    expect(good.headers['set-cookie']?.[0]).toMatch(/^lang=en;.*HttpOnly; SameSite=Lax$/);
  });
});
