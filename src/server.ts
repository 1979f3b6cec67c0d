import type { Server } from 'node:http';
import { createApp } from './platform/http/app.js';
import type { AppDeps } from './platform/deps.js';
import type { ReadinessProbe } from './platform/http/health.routes.js';

export async function startWebServer(
  deps: AppDeps,
  port: number,
  host: string,
  probes: ReadinessProbe[] = [],
): Promise<Server> {
  const app = createApp(deps, { readinessProbes: probes });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.keepAliveTimeout = 65_000;
    server.on('error', reject);
  });
}
