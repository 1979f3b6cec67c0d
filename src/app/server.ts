import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './create-app.js';
import type { AppDeps } from '../platform/deps.js';

export interface WebServer {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish, then cuts what is left after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

export async function startWebServer(
  deps: AppDeps,
  port: number,
  host: string,
  options: AppOptions = {},
): Promise<WebServer> {
  const app = createApp(deps, options);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.keepAliveTimeout = 65_000;
  // Customer files of millions of rows are uploaded through the console: allow an hour per request.
  server.requestTimeout = 60 * 60_000;
  // Responses in flight, so that a stop can tell their keep-alive clients to reconnect elsewhere.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (graceMs) => {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      return new Promise<void>((resolve) => {
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
