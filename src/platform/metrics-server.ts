import http from 'node:http';

/**
 * Prometheus metrics on their own port, never on the customer-facing one. `render` returns the
 * exposition text (one process's registry, or every cluster worker's aggregated by the primary).
 */
export async function serveMetrics(
  port: number,
  host: string,
  render: () => Promise<{ contentType: string; body: string }>,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
