import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { isAppError } from '../platform/errors.js';
import { reissueLetter } from './contact.letter.js';
import {
  ActionSchema,
  ConfirmedActionSchema,
  customerIdParam,
  fieldErrors,
  LookupSchema,
} from './contact.schema.js';
import {
  erasurePlan,
  lookUpCustomer,
  recordOptOut,
  requestErasure,
  type ErasureOutcome,
} from './contact.service.js';
import { requireView } from './contact.view.js';

const CHECK_INPUT = '入力内容をご確認ください。';

interface Flash {
  notice?: string;
  message?: string;
  errors?: Record<string, string>;
}

const erasureNotice = (o: ErasureOutcome) =>
  o.kind === 'erased'
    ? `個人情報を消去しました。受付番号 ${o.receipt} をお客様にお伝えください。`
    : o.kind === 'after_delivery'
      ? '消去のご依頼を記録しました。お詫びの品のお届け後に個人情報を消去します。'
      : 'すでに消去の予定があります。お詫びの品のお届け後に消去されます。';

/**
 * The contact centre: look a customer up by registration code (masked), and record what they ask
 * for by phone — stop marketing, erase, reissue a lost letter. Lookups are POSTs: the code and the
 * reason stay out of URLs and logs. Each action carries its reason and is audited with it; the page
 * it returns (the masked record again) is covered by that entry.
 */
export function contactRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { deps } = ctx;

  const form = (
    req: Request,
    res: Response,
    flash: Flash & { form?: Record<string, unknown> } = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'contact/index',
      { pageTitle: 'コンタクトセンター', notice: null, message: null, errors: {}, form: {}, ...flash },
      status,
    );

  const customerPage = async (
    req: Request,
    res: Response,
    customerId: string,
    reason: string,
    flash: Flash = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'contact/customer',
      {
        pageTitle: 'お客様の照会',
        view: await requireView(deps.db, customerId),
        reason,
        notice: null,
        message: null,
        errors: {},
        ...flash,
      },
      status,
    );

  /**
   * Parses an action's form. A bad one (only possible past the browser's own checks) and a refused
   * action go back to the lookup form: the record is shown only with an audited look or action.
   */
  const parseAction = async <T extends typeof ActionSchema | typeof ConfirmedActionSchema>(
    req: Request,
    res: Response,
    schema: T,
  ) => {
    const customerId = customerIdParam(req.params.customerId);
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) return { customerId, data: parsed.data };
    await form(req, res, { message: CHECK_INPUT, errors: fieldErrors(parsed.error.issues) }, 400);
    return undefined;
  };

  const refused = async (req: Request, res: Response, err: unknown) => {
    if (isAppError(err) && err.code === 'conflict')
      return form(req, res, { message: err.publicMessage }, 409);
    throw err;
  };

  opsRoute(router, 'get', '/contact', 'contact', (req, res) => form(req, res));

  opsRoute(router, 'post', '/contact/lookup', 'contact', async (req, res) => {
    const parsed = LookupSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return form(
        req,
        res,
        { message: CHECK_INPUT, errors: fieldErrors(parsed.error.issues), form: req.body ?? {} },
        400,
      );
    const { registrationCode, reason } = parsed.data;
    const view = await lookUpCustomer(deps, { staffId: req.staff!.id, reason }, registrationCode);
    if (!view)
      return form(
        req,
        res,
        {
          message: 'このご登録用コードのお客様は見つかりません。コードの読み上げをもう一度確認してください。',
          errors: { registrationCode: '該当するお客様がいません。' },
          form: req.body ?? {},
        },
        404,
      );
    await customerPage(req, res, view.customerId, reason);
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/opt-out', 'contact', async (req, res) => {
    const action = await parseAction(req, res, ActionSchema);
    if (!action) return;
    const { customerId, data } = action;
    try {
      const outcome = await recordOptOut(deps, { staffId: req.staff!.id, reason: data.reason }, customerId);
      await customerPage(req, res, customerId, data.reason, {
        notice:
          outcome === 'added'
            ? '営業停止（ダイレクトメール・営業電話の停止）のご依頼を記録しました。'
            : 'すでに営業停止のご依頼を受け付けています。',
      });
    } catch (err) {
      await refused(req, res, err);
    }
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/erasure', 'contact', async (req, res) => {
    const action = await parseAction(req, res, ActionSchema);
    if (!action) return;
    const { customerId, data } = action;
    try {
      if (req.body?.confirm !== 'yes') {
        const { view, plan } = await erasurePlan(deps.db, customerId);
        return renderOps(ctx, req, res, 'contact/erasure-confirm', {
          pageTitle: '個人情報の消去の確認',
          customerId,
          registrationCode: view.registrationCode,
          plan,
          reason: data.reason,
          message: null,
          errors: {},
        });
      }
      const outcome = await requestErasure(deps, { staffId: req.staff!.id, reason: data.reason }, customerId);
      await customerPage(req, res, customerId, data.reason, { notice: erasureNotice(outcome) });
    } catch (err) {
      await refused(req, res, err);
    }
  });

  opsRoute(router, 'post', '/contact/customers/:customerId/reissue', 'contact', async (req, res) => {
    const action = await parseAction(req, res, ConfirmedActionSchema);
    if (!action) return;
    const { customerId, data } = action;
    try {
      const letter = await reissueLetter(deps, { staffId: req.staff!.id, reason: data.reason }, customerId);
      // Written raw: res.send would add an ETag, a digest of the one file that holds the new key.
      const body = Buffer.from(letter.body, 'utf8');
      res.attachment(letter.filename);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Length', body.length);
      res.end(body);
    } catch (err) {
      await refused(req, res, err);
    }
  });

  return router;
}
