import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { checkCsrfAfterUpload, isUploadRequest } from '../../src/platform/http/security.js';
import { useTestDeps } from '../support/context.js';

/**
 * ASVS 5.0.0 15.2.2 — "Verify that the application has implemented defenses against loss of
 * availability due to functionality which is time-consuming or resource-demanding": a client that
 * trickles its request to an ordinary route is cut off after the short limit; only file uploads to
 * the routes that take them get the long one. (Node's own requestTimeout is one figure for every
 * route, an hour for the customer CSV.) The limits are shortened here; the service's are 30 s and 1 h.
 */
const deps = useTestDeps();
let server: Server;
let port: number;

beforeAll(async () => {
  const app = createApp(deps, { requestLimits: { timeoutMs: 400, uploadTimeoutMs: 60 * 60_000 } });
  server = createServer(app);
  server.requestTimeout = 60 * 60_000; // as the service's: Node itself would wait an hour
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends the head of a request and then one byte of its body every 100 ms; what the server says, and when it closed. */
function trickle(head: string, maxMs: number): Promise<{ response: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    const drip = setInterval(() => socket.writable && socket.write('a'), 100);
    const finish = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ response, closedAfterMs: closed ? Date.now() - started : null });
    };
    const giveUp = setTimeout(() => finish(false), maxMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (response += d));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(head);
  });
}

const post = (path: string, type: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n`;

describe('ASVS 5.0.0 15.2.2 request limits', () => {
  it('when a client trickles the body of an ordinary form, then the request is cut with 408 after the short limit', async () => {
    const { response, closedAfterMs } = await trickle(
      post('/c/any-campaign/login', 'application/x-www-form-urlencoded', 10_000),
      5_000,
    );
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(3_000);
  });

  it('when an ordinary route is sent a declared body above its size limit, then it is refused before being read', async () => {
    const { response, closedAfterMs } = await trickle(
      post('/c/any-campaign/login', 'application/x-www-form-urlencoded', 10 * 1024 * 1024),
      5_000,
    );
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(closedAfterMs!).toBeLessThan(1_000);
  });

  it('when a file is uploaded to a route that takes uploads, then it gets the long limit', () => {
    checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/imports\/?$/);
    const req = (method: string, url: string, type: string) =>
      ({ method, originalUrl: url, headers: { 'content-type': type } }) as unknown as Request;
    const multipart = 'multipart/form-data; boundary=x';
    expect(isUploadRequest(req('POST', '/ops/campaigns/7/imports', multipart))).toBe(true);
    expect(
      isUploadRequest(req('POST', '/ops/campaigns/7/imports', 'application/x-www-form-urlencoded')),
    ).toBe(false);
    expect(isUploadRequest(req('POST', '/c/demo/login', multipart))).toBe(false);
    expect(isUploadRequest(req('GET', '/ops/campaigns/7/imports', multipart))).toBe(false);
  });
});
