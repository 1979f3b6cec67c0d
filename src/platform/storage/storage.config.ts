import path from 'node:path';
import { z } from 'zod';
import { EncryptedObjectStore } from './storage.encrypted.js';
import { decodeFileKey } from './storage.encryption.js';
import { LazyObjectDriver } from './storage.lazy.js';
import { LocalObjectDriver } from './storage.local.js';
import type { S3DriverOptions } from './storage.s3.js';
import type { ObjectStore } from './storage.js';

/**
 * The storage variables, to be spread into config.ts's EnvSchema (`...STORAGE_VARIABLES`) with
 * `checkStorageConfig` added to its superRefine. S3 credentials are not among them: the AWS SDK's
 * default chain reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile or a role).
 */
export const STORAGE_VARIABLES = {
  /** `local`: a folder on this machine (one machine only); `s3`: an S3-compatible bucket. */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** The local driver's folder; DATA_DIR/objects when unset. */
  STORAGE_DIR: z.string().optional(),
  /** An S3-compatible server's URL (MinIO, Ceph, …); AWS itself when unset. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().optional(),
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Encrypts sensitive files (AES-256-GCM): 32 random bytes, base64 (`openssl rand -base64 32`). */
  FILE_ENCRYPTION_KEY: z
    .string({ message: 'is required (32 random bytes, base64: openssl rand -base64 32)' })
    .refine((v) => decodeFileKey(v) !== null, 'must be 32 random bytes, base64 (openssl rand -base64 32)'),
};

/** The S3 driver needs a bucket and a region; the local one needs neither. */
export function checkStorageConfig(
  env: { STORAGE_DRIVER: 'local' | 's3'; S3_BUCKET?: string; S3_REGION?: string },
  ctx: z.RefinementCtx,
): void {
  if (env.STORAGE_DRIVER !== 's3') return;
  for (const name of ['S3_BUCKET', 'S3_REGION'] as const) {
    if (!env[name])
      ctx.addIssue({ code: 'custom', path: [name], message: 'is required when STORAGE_DRIVER=s3' });
  }
}

/** The storage part of the environment, on its own (config.ts carries the same variables). */
export const StorageConfigSchema = z
  .object({ DATA_DIR: z.string().default('.data'), ...STORAGE_VARIABLES })
  .superRefine(checkStorageConfig);

export type StorageConfig = z.output<typeof StorageConfigSchema>;

/** The store for the configured driver, encrypting sensitive objects with FILE_ENCRYPTION_KEY. */
export function createObjectStore(config: StorageConfig): ObjectStore {
  const fileKey = decodeFileKey(config.FILE_ENCRYPTION_KEY);
  if (!fileKey) throw new Error('FILE_ENCRYPTION_KEY must be 32 random bytes, base64');
  const driver =
    config.STORAGE_DRIVER === 's3'
      ? s3Driver({
          bucket: required(config.S3_BUCKET, 'S3_BUCKET'),
          region: required(config.S3_REGION, 'S3_REGION'),
          endpoint: config.S3_ENDPOINT,
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
        })
      : new LocalObjectDriver(config.STORAGE_DIR ?? path.join(config.DATA_DIR, 'objects'));
  return new EncryptedObjectStore(driver, fileKey);
}

/** The AWS SDK is loaded on the first file operation, not at start (see storage.lazy.ts). */
const s3Driver = (options: S3DriverOptions) =>
  new LazyObjectDriver(async () => new (await import('./storage.s3.js')).S3ObjectDriver(options));

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required when STORAGE_DRIVER=s3`);
  return value;
}
