import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { AppError, isAppError, notFound } from '../platform/errors.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { importPostcardCsv } from './postcard-csv.service.js';
import { POSTCARD_CSV_HEADER } from './postcard-csv.schema.js';
import { batchIdOf, pageLocals, renderBatch } from './postcard.pages.js';
import { findBatch } from './postcard.repo.js';

/** 100,000 cards of an OCR file are about 5 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const UPLOAD_PATH = '/postcards/batches/:id/upload';

/** Multer's and busboy's complaints as the 400 an operator can act on. */
function uploadError(err: unknown): AppError {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE')
    return new AppError(
      'validation',
      `ファイルが大きすぎます（${MAX_UPLOAD_BYTES / 1024 / 1024}MB まで）。分けてアップロードしてください。`,
    );
  if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT')
    return new AppError('validation', 'ファイルは「file」欄に1つだけ選んでください。');
  return new AppError(
    'validation',
    'アップロードされたファイルを読み取れませんでした。もう一度お試しください。',
    {
      cause: err,
    },
  );
}

/** The OCR vendor's CSV into a batch: validated row by row, bad rows reported with their lines. */
export function postcardUploadRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  // Multipart bodies are parsed here, so the app-level CSRF check leaves them to this route.
  checkCsrfAfterUpload(/^\/ops\/postcards\/batches\/[^/]+\/upload$/);

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 6 },
  }).single('file');
  const parseUpload: RequestHandler = (req, res, next) =>
    upload(req, res, (err: unknown) => next(err ? uploadError(err) : undefined));
  const checkCsrf: RequestHandler = (req, _res, next) =>
    next(
      ctx.validateCsrf(req)
        ? undefined
        : new AppError(
            'csrf',
            'ページの有効期限が切れたか、正しくない操作が行われました。お手数ですが、もう一度最初からお試しください。',
          ),
    );

  opsRoute(router, 'post', UPLOAD_PATH, 'postcards', parseUpload, checkCsrf, async (req, res) => {
    const batchId = batchIdOf(req);
    if (!(await findBatch(db, batchId))) throw notFound('束');
    const file = req.file;
    if (!file || file.size === 0)
      return renderBatch(
        ctx,
        req,
        res,
        batchId,
        { message: 'CSV ファイルを選んでください。', errors: { file: 'CSV ファイルを選んでください。' } },
        400,
      );
    try {
      const report = await importPostcardCsv(db, batchId, file.buffer, {
        staffId: req.staff!.id,
        now: now(),
      });
      const rejected = report.fileError !== null || (report.imported === 0 && report.badRowCount > 0);
      renderOps(
        ctx,
        req,
        res,
        'postcards/upload',
        { ...pageLocals, batchId, report, fileName: file.originalname, header: POSTCARD_CSV_HEADER },
        rejected ? 400 : 200,
      );
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || err.status === 404) throw err;
      await renderBatch(ctx, req, res, batchId, { message: err.publicMessage }, err.status);
    }
  });
  return router;
}
