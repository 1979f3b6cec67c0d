import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the gift-card vendor's API, over real HTTP, for tests, benchmarks and the demo.
 * It honours Idempotency-Key like a real issuer, and can be told to misbehave.
 */
export interface SandboxFaults {
  /** Answer 503 to this share of requests (0..1). */
  failRate?: number;
  /** Delay every answer (ms), to provoke client timeouts. */
  delayMs?: number;
  /** Issue the code but drop the connection before answering (this share of requests). */
  dropAfterIssueRate?: number;
  /** Ignore the idempotency key: a buggy vendor that issues a fresh code every time. */
  ignoreIdempotency?: boolean;
}

export interface SandboxVendor {
  url: string;
  faults: SandboxFaults;
  /** Codes issued per idempotency key (more than one only when idempotency is ignored). */
  issued: Map<string, string[]>;
  requests: number;
  /** Requests per idempotency key: more than one means a client retried. */
  requestsPerKey: Map<string, number>;
  close(): Promise<void>;
}

export async function startSandboxVendor(port = 0, faults: SandboxFaults = {}): Promise<SandboxVendor> {
  const state: SandboxVendor = {
    url: '',
    faults,
    issued: new Map(),
    requests: 0,
    requestsPerKey: new Map(),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
      const answer = () => handle(state, req, res, body);
      if (state.faults.delayMs) setTimeout(answer, state.faults.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function handle(state: SandboxVendor, req: http.IncomingMessage, res: http.ServerResponse, body: string) {
  if (req.method !== 'POST' || req.url !== '/v1/gift-codes') return send(res, 404, { error: 'not found' });
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length < 8) return send(res, 400, { error: 'Idempotency-Key required' });
  let parsed: { brand?: unknown; amountYen?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return send(res, 400, { error: 'invalid json' });
  }
  if (typeof parsed.brand !== 'string' || typeof parsed.amountYen !== 'number') {
    return send(res, 400, { error: 'brand and amountYen required' });
  }
  state.requestsPerKey.set(key, (state.requestsPerKey.get(key) ?? 0) + 1);
  if (Math.random() < (state.faults.failRate ?? 0)) return send(res, 503, { error: 'try again' });
  const codes = state.issued.get(key) ?? [];
  if (codes.length === 0 || state.faults.ignoreIdempotency) {
    codes.push(
      `${parsed.brand.toUpperCase().slice(0, 3)}-SBX-${randomBytes(6).toString('hex').toUpperCase()}`,
    );
    state.issued.set(key, codes);
  }
  if (Math.random() < (state.faults.dropAfterIssueRate ?? 0)) {
    res.socket?.destroy();
    return;
  }
  send(res, 201, { code: codes[codes.length - 1] });
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
