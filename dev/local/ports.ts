import { UserFacingError } from '../../src/platform/safe-errors.js';
import net from 'node:net';

/** A PostgreSQL or Redis started by this process for the quick start, the tests or a benchmark. */
export interface LocalService {
  url: string;
  stop(): Promise<void>;
}

/** Start-up failed for a reason the user can fix; its message is one sentence saying how. */
/** A local server that would not start: one sentence for the user, no stack trace. */
export class LocalServiceError extends UserFacingError {}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new LocalServiceError(`Nothing answered on port ${port} within ${timeoutMs} ms.`);
}
