import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** s3rver's fixed key pair: the driver reads credentials from the environment, as in production. */
  credentials: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
  /** `METHOD /path?query` of every request the server received, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** A real S3-compatible server over HTTP (s3rver), on a free port, with one empty bucket. */
export async function startS3Server(bucket = 'owabi-test'): Promise<TestS3Server> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'owabi-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const requests: string[] = [];
  server.httpServer.prependListener('request', (req) => requests.push(`${req.method} ${req.url}`));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    requests,
    async stop() {
      server.httpServer.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
