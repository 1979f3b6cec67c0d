import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { JA } from '../messages/catalogue.js';
import { validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { closeBatch, correctPhysicalCount } from './postcard-batch.service.js';
import { checkCard } from './postcard-check.service.js';
import { enterCard } from './postcard-entry.service.js';
import { BATCH_REFUSALS } from './postcard.errors.js';
import { BATCH_PAGE } from './postcard.messages.js';
import {
  batchForm,
  batchIdOf,
  keyerOf,
  pageLocals,
  renderBatch,
  rerenderOnRefusal,
} from './postcard.pages.js';
import { CheckSchema, CountSchema, entrySchema } from './postcard.schema.js';
import { getEntryTarget } from './postcard.service.js';

/**
 * The keyboard-first entry screen. Per card: the code (scanned or typed, Enter) → the masked name
 * and address to check against the card, the boxes and the postmark (Enter) → saved, and the
 * result shown above a fresh code field. Without JavaScript: each step is a form.
 */

/** Step 2: the card's holder, masked, and the form for what the card says. */
async function renderCard(
  ctx: OpsContext,
  req: Request,
  res: Response,
  code: string,
  form: Record<string, unknown>,
  failure?: { errors: Record<string, string>; status: number },
): Promise<void> {
  const batchId = batchIdOf(req);
  const view = await getEntryTarget(ctx.deps.db, batchId, req.staff!.id);
  if (!view.keying || view.nextSeq === null)
    return renderBatch(ctx, req, res, batchId, { message: BATCH_PAGE.allKeyed }, 409);
  // Refused before the holder is looked up and before the card is typed.
  if (view.refusal) return renderBatch(ctx, req, res, batchId, { message: view.refusal }, 403);
  const check = await checkCard(ctx.deps.db, view.campaign, batchId, code, keyerOf(req, ctx.deps.now));
  const errors = failure?.errors ?? {};
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
      message: Object.keys(errors).length ? JA.common.checkInput : null,
    },
    failure?.status ?? 200,
  );
}

/** Step 1 (the code) and step 2 (the card saved). */
function cardForms(ctx: OpsContext, router: Router): void {
  const EntrySchema = entrySchema(ctx.deps.now);
  // Without a usable code there is no card to show: back to the code field.
  const entryForm: FormRenderer = (req, res, failure) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const code = CheckSchema.safeParse(body);
    if (!code.success || failure.fields.seq || failure.fields.keying)
      return batchForm(ctx)(req, res, failure);
    return renderCard(ctx, req, res, code.data.code, body, {
      errors: failure.fields,
      status: failure.status,
    });
  };

  opsRoute(router, 'get', '/postcards/batches/:id', 'postcards', async (req, res) => {
    await renderBatch(ctx, req, res, batchIdOf(req));
  });
  opsRoute(
    router,
    'post',
    '/postcards/batches/:id/check',
    'postcards',
    validate(CheckSchema, batchForm(ctx)),
    async (req, res) => {
      await renderCard(ctx, req, res, validated(res, CheckSchema).code, {});
    },
  );
  opsRoute(
    router,
    'post',
    '/postcards/batches/:id/entries',
    'postcards',
    validate(EntrySchema, entryForm),
    async (req, res) => {
      const batchId = batchIdOf(req);
      const form = validated(res, EntrySchema);
      const saved = await enterCard(ctx.deps.db, batchId, form, keyerOf(req, ctx.deps.now));
      res.redirect(303, `/ops/postcards/batches/${batchId}?saved=${saved.entryId}`);
    },
    rerenderOnRefusal(BATCH_REFUSALS, batchForm(ctx)),
  );
}

/** Closing the batch and correcting its physical count. */
function batchForms(ctx: OpsContext, router: Router): void {
  const { db, now } = ctx.deps;
  const countForm: FormRenderer = (req, res, failure) =>
    renderBatch(
      ctx,
      req,
      res,
      batchIdOf(req),
      { errors: failure.fields, message: failure.message, form: req.body ?? {} },
      failure.status,
    );

  opsRoute(
    router,
    'post',
    '/postcards/batches/:id/close',
    'postcards',
    async (req, res) => {
      const batchId = batchIdOf(req);
      await closeBatch(db, batchId, req.staff!.id, now());
      res.redirect(303, `/ops/postcards/batches/${batchId}`);
    },
    rerenderOnRefusal(BATCH_REFUSALS, batchForm(ctx)),
  );
  opsRoute(
    router,
    'post',
    '/postcards/batches/:id/count',
    'postcards',
    validate(CountSchema, countForm),
    async (req, res) => {
      const batchId = batchIdOf(req);
      await correctPhysicalCount(db, batchId, req.staff!.id, validated(res, CountSchema), now());
      res.redirect(303, `/ops/postcards/batches/${batchId}`);
    },
    rerenderOnRefusal(BATCH_REFUSALS, batchForm(ctx)),
  );
}

export function postcardEntryRoutes(ctx: OpsContext): Router {
  const router = Router();
  cardForms(ctx, router);
  batchForms(ctx, router);
  return router;
}
