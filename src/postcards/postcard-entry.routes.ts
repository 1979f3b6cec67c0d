import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { isAppError } from '../platform/errors.js';
import { checkCard } from './postcard-check.service.js';
import { enterCard } from './postcard-entry.service.js';
import { batchIdOf, pageLocals, renderBatch } from './postcard.pages.js';
import { CheckSchema, CountSchema, entrySchema, fieldErrors } from './postcard.schema.js';
import { closeBatch, correctPhysicalCount, getEntryTarget } from './postcard.service.js';

const CHECK_AGAIN = '入力内容をご確認ください。';

/**
 * The keyboard-first entry screen. Per card: the code (scanned or typed, Enter) → the masked name
 * and address to check against the card, the boxes and the postmark (Enter) → saved, and the
 * result shown above a fresh code field. Without JavaScript: each step is a form.
 */
export function postcardEntryRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  const keyer = (req: Request) => ({ staffId: req.staff!.id, now: now() });

  /** A refusal the operator can act on (closed, taken, wrong keying) shows on the entry screen. */
  const refuse = async (req: Request, res: Response, batchId: string, err: unknown) => {
    if (!isAppError(err) || err.status >= 500 || err.status === 404) throw err;
    await renderBatch(ctx, req, res, batchId, { message: err.publicMessage, errors: err.fields }, err.status);
  };

  /** Step 2: the card's holder, masked, and the form for what the card says. */
  const renderCard = async (
    req: Request,
    res: Response,
    batchId: string,
    code: string,
    form: Record<string, unknown>,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const view = await getEntryTarget(db, batchId, req.staff!.id);
    if (!view.keying || view.nextSeq === null)
      return renderBatch(ctx, req, res, batchId, { message: 'この束のはがきはすべて入力済みです。' }, 409);
    // Refused before the holder is looked up and before the card is typed.
    if (view.refusal) return renderBatch(ctx, req, res, batchId, { message: view.refusal }, 403);
    const check = await db
      .transaction()
      .execute((trx) => checkCard(trx, view.campaign, batchId, code, keyer(req)));
    renderOps(
      ctx,
      req,
      res,
      'postcards/card',
      {
        ...pageLocals,
        view,
        check,
        seq: Number(form.seq) || view.nextSeq,
        form: { postmarkDate: view.lastPostmark ?? '', ...form },
        errors,
        message: Object.keys(errors).length ? CHECK_AGAIN : null,
      },
      status,
    );
  };

  opsRoute(router, 'get', '/postcards/batches/:id', 'postcards', async (req, res) => {
    await renderBatch(ctx, req, res, batchIdOf(req));
  });

  opsRoute(router, 'post', '/postcards/batches/:id/check', 'postcards', async (req, res) => {
    const batchId = batchIdOf(req);
    const parsed = CheckSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return renderBatch(
        ctx,
        req,
        res,
        batchId,
        { errors: fieldErrors(parsed.error.issues), message: CHECK_AGAIN },
        400,
      );
    await renderCard(req, res, batchId, parsed.data.code, {});
  });

  opsRoute(router, 'post', '/postcards/batches/:id/entries', 'postcards', async (req, res) => {
    const batchId = batchIdOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = entrySchema(now()).safeParse(body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error.issues);
      const code = CheckSchema.safeParse(body);
      // Without a usable code there is no card to show: back to the code field.
      if (!code.success || errors.seq || errors.keying)
        return renderBatch(ctx, req, res, batchId, { errors, message: CHECK_AGAIN }, 400);
      return renderCard(req, res, batchId, code.data.code, body, errors, 400);
    }
    try {
      const saved = await db.transaction().execute((trx) => enterCard(trx, batchId, parsed.data, keyer(req)));
      res.redirect(303, `/ops/postcards/batches/${batchId}?saved=${saved.entryId}`);
    } catch (err) {
      await refuse(req, res, batchId, err);
    }
  });

  opsRoute(router, 'post', '/postcards/batches/:id/close', 'postcards', async (req, res) => {
    const batchId = batchIdOf(req);
    try {
      await db.transaction().execute((trx) => closeBatch(trx, batchId, req.staff!.id, now()));
      res.redirect(303, `/ops/postcards/batches/${batchId}`);
    } catch (err) {
      await refuse(req, res, batchId, err);
    }
  });

  opsRoute(router, 'post', '/postcards/batches/:id/count', 'postcards', async (req, res) => {
    const batchId = batchIdOf(req);
    const parsed = CountSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return renderBatch(
        ctx,
        req,
        res,
        batchId,
        { errors: fieldErrors(parsed.error.issues), message: CHECK_AGAIN, form: req.body ?? {} },
        400,
      );
    try {
      await db
        .transaction()
        .execute((trx) => correctPhysicalCount(trx, batchId, req.staff!.id, parsed.data, now()));
      res.redirect(303, `/ops/postcards/batches/${batchId}`);
    } catch (err) {
      await refuse(req, res, batchId, err);
    }
  });

  return router;
}
