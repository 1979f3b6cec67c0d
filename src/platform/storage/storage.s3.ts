import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ObjectNotFound } from './storage.errors.js';
import { assertValidKey, assertValidPrefix, isValidKey } from './storage.keys.js';
import type { ObjectDriver, StoredObject } from './storage.js';

export interface S3DriverOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, a cloud's S3 API); AWS itself when unset. */
  endpoint?: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`: most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  /** Multipart part size; S3's minimum is 5 MiB. A put holds up to 4 parts in memory. */
  partSizeBytes?: number;
}

const MiB = 1024 * 1024;
/** S3's limit for one multi-object delete. */
const DELETE_BATCH = 1000;

/** The key's own 404 (NoSuchKey on GET, a bare 404 on HEAD); a missing bucket stays an error. */
const isMissingObject = (err: unknown) => {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

/**
 * Objects in an S3 bucket, any S3-compatible server. Credentials come from the SDK's default chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance or task role): never from
 * Owabi's own configuration.
 */
export class S3ObjectDriver implements ObjectDriver {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;

  constructor(options: S3DriverOptions) {
    this.bucket = options.bucket;
    this.partSize = options.partSizeBytes ?? 8 * MiB;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      // Checksums only where S3 demands them: many S3-compatible servers reject the SDK's default
      // trailing-checksum uploads. Sealed objects carry their own authentication tag.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Streams through multipart upload (parts of partSize); an aborted put leaves no object. */
  async put(key: string, body: Readable, { contentType }: { contentType?: string }): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: assertValidKey(key), Body: body, ContentType: contentType },
      partSize: this.partSize,
      queueSize: 4,
    });
    try {
      await upload.done();
    } finally {
      body.destroy();
    }
  }

  async get(key: string): Promise<Readable> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: assertValidKey(key) });
    const { Body } = await this.client.send(command).catch((err: unknown) => {
      throw isMissingObject(err) ? new ObjectNotFound(key, { cause: err }) : err;
    });
    if (!(Body instanceof Readable)) throw new Error(`S3 returned no stream for ${key}`);
    return Body;
  }

  async exists(key: string): Promise<boolean> {
    const command = new HeadObjectCommand({ Bucket: this.bucket, Key: assertValidKey(key) });
    return this.client.send(command).then(
      () => true,
      (err: unknown) => (isMissingObject(err) ? false : Promise.reject(err)),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertValidKey(key) }));
  }

  /**
   * Lists the first page again after each batch instead of following a continuation token: a
   * server that pages by position would otherwise skip keys that moved up after a delete.
   */
  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);
    let count = 0;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: DELETE_BATCH }),
      );
      const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (objects.length === 0) return count;
      const { Errors } = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (Errors?.length) {
        const first = Errors[0]!;
        throw new Error(
          `could not delete ${Errors.length} objects under ${prefix}: ${first.Code} ${first.Key}`,
        );
      }
      count += objects.length;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    assertValidPrefix(prefix, { allowEverything: true });
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix });
    for await (const page of pages) {
      for (const { Key, Size } of page.Contents ?? []) {
        // A folder marker or another tool's object is not one of ours (deletePrefix still removes it).
        if (Key && isValidKey(Key)) yield { key: Key, size: Size ?? 0 };
      }
    }
  }
}
