import { Router, type RequestHandler } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrf, memoryUpload } from '../operators/uploads.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { importPostcardCsv } from './postcard-csv.service.js';
import { POSTCARD_CSV_HEADER } from './postcard-csv.schema.js';
import { BATCH_REFUSALS } from './postcard.errors.js';
import { BATCH_PAGE } from './postcard.messages.js';
import { batchIdOf, keyerOf, pageLocals, renderBatch, rerenderOnRefusal } from './postcard.pages.js';
import { requireBatch } from './postcard.service.js';

/** 100,000 cards of an OCR file are about 5 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const UPLOAD_PATH = '/postcards/batches/:id/upload';

/**
 * The console's upload parser (operators/uploads), the file's bytes kept in memory only (a few MB,
 * never on disk), then the CSRF check of the parsed fields.
 */
const parseUpload = (ctx: OpsContext): RequestHandler[] => [
  memoryUpload('file', MAX_UPLOAD_BYTES),
  checkCsrf(ctx),
];

/** The OCR vendor's CSV into a batch: validated row by row, bad rows reported with their lines. */
export function postcardUploadRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  // Multipart bodies are parsed here, so the app-level CSRF check leaves them to this route.
  checkCsrfAfterUpload(/^\/ops\/postcards\/batches\/[^/]+\/upload$/);

  opsRoute(
    router,
    'post',
    UPLOAD_PATH,
    'postcards',
    ...parseUpload(ctx),
    async (req, res) => {
      const batchId = batchIdOf(req);
      await requireBatch(db, batchId);
      const file = req.file;
      if (!file || file.size === 0)
        return renderBatch(
          ctx,
          req,
          res,
          batchId,
          { message: BATCH_PAGE.chooseFile, errors: { file: BATCH_PAGE.chooseFile } },
          400,
        );
      const report = await importPostcardCsv(db, batchId, file.buffer, keyerOf(req, now));
      const rejected = report.fileError !== null || (report.imported === 0 && report.badRowCount > 0);
      renderOps(
        ctx,
        req,
        res,
        'postcards/upload',
        { ...pageLocals, batchId, report, fileName: file.originalname, header: POSTCARD_CSV_HEADER },
        rejected ? 400 : 200,
      );
    },
    rerenderOnRefusal(BATCH_REFUSALS, (req, res, failure) =>
      renderBatch(ctx, req, res, batchIdOf(req), { message: failure.message }, failure.status),
    ),
  );
  return router;
}
