import type { Request, Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import type { ErrorCode } from '../platform/errors.js';
import { CONTACT_TEXT, REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS } from './contact.messages.js';
import type { ContactView, ErasurePlan } from './contact-view.types.js';

/** How the contact centre's pages are rendered (the routes decide which and when). */

export interface Flash {
  notice?: string | null;
  message?: string | null;
  errors?: Record<string, string>;
}

export interface ContactPages {
  /** The look-up form, with a message: where every refusal without an audited look ends up. */
  form(
    req: Request,
    res: Response,
    flash?: Flash & { form?: Record<string, unknown> },
    status?: number,
  ): void;
  /** The masked record and its actions, each carrying the look-up's token. */
  customer(
    req: Request,
    res: Response,
    page: { view: ContactView; token: string; reason: string } & Flash,
    status?: number,
  ): void;
  /** The confirmation before an erasure: what will happen, no personal data, no registration code. */
  erasureConfirm(
    req: Request,
    res: Response,
    page: { customerId: string; token: string; plan: ErasurePlan; reason: string },
  ): void;
}

/**
 * Refusals a contact-centre page shows in place (a conflict, refused text, a forbidden step, the
 * look-up limit); anything else goes to the console's error page.
 */
export const REFUSALS = [
  'conflict',
  'validation',
  'forbidden',
  'throttled',
] as const satisfies readonly ErrorCode[];

export const requestLabels = { kinds: REQUEST_KIND_LABELS, statuses: REQUEST_STATUS_LABELS };

export function contactPages(ctx: OpsContext): ContactPages {
  return {
    form: (req, res, flash = {}, status = 200) =>
      renderOps(
        ctx,
        req,
        res,
        'contact/index',
        { pageTitle: CONTACT_TEXT.pageTitle, notice: null, message: null, errors: {}, form: {}, ...flash },
        status,
      ),
    customer: (req, res, page, status = 200) =>
      renderOps(
        ctx,
        req,
        res,
        'contact/customer',
        { pageTitle: CONTACT_TEXT.customerTitle, notice: null, message: null, errors: {}, ...page },
        status,
      ),
    erasureConfirm: (req, res, page) =>
      renderOps(ctx, req, res, 'contact/erasure-confirm', {
        pageTitle: CONTACT_TEXT.erasureConfirmTitle,
        message: null,
        errors: {},
        ...page,
      }),
  };
}
