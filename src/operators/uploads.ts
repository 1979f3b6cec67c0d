import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../platform/errors.js';
import { UPLOAD_TEXT } from './ops.messages.js';
import { UPLOAD_TEMP_PREFIX } from '../platform/upload-sweep.js';
import type { OpsContext } from './ops.context.js';

/**
 * Multipart posts of the console, all parsed here: the customer CSV, the e-money code file, the
 * campaign form itself (its texts outgrow the app-wide 16 kB / 50-field urlencoded limit), the
 * shipped-items file and the postcards' OCR CSV. A file goes to an owner-only (0600) temporary
 * file in the OS temp folder for the length of its request only (it holds personal data or gift
 * codes): the route reads it, or streams it into the object store, and removes it; a small one
 * (the OCR CSV) stays in memory. Nothing of an upload stays on the web process's disk. The app-level CSRF check skips multipart posts to paths
 * registered with checkCsrfAfterUpload; `checkCsrf` must then run right after the parser.
 */

let tempDir: string | undefined;

/**
 * This process's folder of uploads being received: made by mkdtemp (a fresh name, 0700), so no
 * other user of the machine can have prepared it. Each file goes when its request ends.
 */
export function uploadTempDir(): string {
  tempDir ??= mkdtempSync(path.join(os.tmpdir(), UPLOAD_TEMP_PREFIX));
  return tempDir;
}

export interface StoredUpload {
  path: string;
  size: number;
  /** Physical lines in the file (a last line without a line break counts). */
  lineCount: number;
}

const LF = 10;

/** Writes each file to a fresh 0600 file, counting its bytes and lines on the way. */
class PrivateDiskStorage implements multer.StorageEngine {
  /** `dir` is asked for at the first upload: a process that receives none makes no folder. */
  constructor(private readonly dir: () => string) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<StoredUpload>) => void,
  ): void {
    const dir = this.dir();
    const target = path.join(dir, `${randomUUID()}.upload`);
    let size = 0;
    let breaks = 0;
    let last = LF;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) breaks++;
        if (chunk.length > 0) last = chunk[chunk.length - 1]!;
        done(null, chunk);
      },
    });
    mkdir(dir, { recursive: true, mode: 0o700 })
      .then(() => pipeline(file.stream, counter, createWriteStream(target, { flags: 'wx', mode: 0o600 })))
      .then(
        () => cb(null, { path: target, size, lineCount: breaks + (last === LF ? 0 : 1) }),
        (err: unknown) => rm(target, { force: true }).finally(() => cb(err)),
      );
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }
}

const MiB = 1024 * 1024;

function uploadError(err: unknown, maxBytes: number): unknown {
  if (err instanceof multer.MulterError) {
    const text = UPLOAD_TEXT.byMulterCode(err.code, Math.round(maxBytes / MiB));
    return new AppError('validation', text ?? UPLOAD_TEXT.unreadable);
  }
  // A system error (disk full, permissions) stays a server error; anything else is a malformed body.
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return err;
  return new AppError('validation', UPLOAD_TEXT.unreadable);
}

const wrap =
  (mw: RequestHandler, maxBytes: number): RequestHandler =>
  (req, res, next) =>
    mw(req, res, (err?: unknown) => (err ? next(uploadError(err, maxBytes)) : next()));

/** One file in `field`, to a temporary file (uploadTempDir); urlencoded posts pass through untouched. */
export function fileUpload(field: string, maxBytes: number): RequestHandler {
  const upload = multer({
    storage: new PrivateDiskStorage(uploadTempDir),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  });
  return wrap(upload.single(field), maxBytes);
}

/** A text-only multipart form (no files), with room for long texts. */
export function multipartFields(maxFields = 60, maxFieldBytes = 64 * 1024): RequestHandler {
  return wrap(
    multer({ limits: { files: 0, fields: maxFields, fieldSize: maxFieldBytes } }).none(),
    maxFieldBytes,
  );
}

export const storedUpload = (req: Request): StoredUpload | undefined =>
  req.file ? (req.file as unknown as StoredUpload) : undefined;

export async function removeUpload(req: Request): Promise<void> {
  if (req.file?.path) await rm(req.file.path, { force: true });
}

/** One small file in `field`, into req.file.buffer only (a postcard OCR CSV): never on disk. */
export function memoryUpload(field: string, maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  });
  return wrap(upload.single(field), maxBytes);
}

/** The CSRF check of a multipart post, once its fields are parsed; a refused upload is removed. */
export function checkCsrf(ctx: OpsContext): RequestHandler {
  return async (req, _res, next) => {
    if (ctx.validateCsrf(req)) return next();
    await removeUpload(req);
    next(
      new AppError(
        'csrf',
        'ページの有効期限が切れたか、正しくない操作が行われました。お手数ですが、もう一度最初からお試しください。',
      ),
    );
  };
}
