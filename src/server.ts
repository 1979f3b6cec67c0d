import type { Server } from 'node:http';
import { createApp } from './platform/http/app.js';
import type { AppDeps } from './platform/deps.js';
import type { AppOptions } from './platform/http/app.js';

export async function startWebServer(
  deps: AppDeps,
  port: number,
  host: string,
  options: AppOptions = {},
): Promise<Server> {
  const app = createApp(deps, options);
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.keepAliveTimeout = 65_000;
    // Customer files of millions of rows are uploaded through the console: allow an hour per request.
    server.requestTimeout = 60 * 60_000;
    server.on('error', reject);
  });
}
