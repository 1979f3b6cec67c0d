import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createObjectStore, StorageConfigSchema } from '../../src/platform/storage/storage.config.js';
import type { ObjectStore } from '../../src/platform/storage/storage.js';
import { startS3Server, type TestS3Server } from './s3-server.js';

/** A store built by the real factory from the environment, with a way around it to the bytes at rest. */
export interface DriverUnderTest {
  store: ObjectStore;
  /** The bytes as the disk or the server holds them. */
  readRaw(key: string): Promise<Buffer>;
  writeRaw(key: string, bytes: Buffer): Promise<void>;
  stop(): Promise<void>;
}

export const FILE_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export async function localDriver(): Promise<DriverUnderTest & { root: string }> {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'owabi-storage-')), 'objects');
  const config = StorageConfigSchema.parse({
    STORAGE_DRIVER: 'local',
    STORAGE_DIR: root,
    FILE_ENCRYPTION_KEY,
  });
  return {
    root,
    store: createObjectStore(config),
    readRaw: (key) => readFile(path.join(root, key)),
    writeRaw: (key, bytes) => writeFile(path.join(root, key), bytes),
    stop: async () => rmSync(path.dirname(root), { recursive: true, force: true }),
  };
}

/**
 * The S3 driver against s3rver over HTTP. Its credentials go into the environment, where the
 * driver's default provider chain finds them: the caller stubs them with `setEnv`.
 */
export async function s3Driver(
  setEnv: (name: string, value: string) => void,
): Promise<DriverUnderTest & { server: TestS3Server }> {
  const server = await startS3Server();
  for (const [name, value] of Object.entries(server.credentials)) setEnv(name, value);
  const config = StorageConfigSchema.parse({
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: server.bucket,
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    FILE_ENCRYPTION_KEY,
  });
  const raw = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const Bucket = server.bucket;
  return {
    server,
    store: createObjectStore(config),
    async readRaw(key) {
      const { Body } = await raw.send(new GetObjectCommand({ Bucket, Key: key }));
      return Buffer.from(await Body!.transformToByteArray());
    },
    async writeRaw(key, bytes) {
      await raw.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes }));
    },
    async stop() {
      raw.destroy();
      await server.stop();
    },
  };
}
