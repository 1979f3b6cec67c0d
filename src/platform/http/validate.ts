import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, isAppError, type ErrorCode } from '../errors.js';
import type { Catalogue } from '../../messages/catalogue.js';
import { fieldErrors } from '../forms.js';
import { catalogueOf, messageIn } from './language.js';

/** What a form page needs to show itself again after a refused submission. */
export interface FormFailure {
  status: number;
  /** The message above the form (from the catalogue, in the page's language). */
  message: string;
  /** Per field, the message shown beside it. */
  fields: Record<string, string>;
  error: AppError;
}

/** Renders the form again with the submitted values (req.body) and the failure. */
export type FormRenderer = (req: Request, res: Response, failure: FormFailure) => unknown;

const INPUT = Symbol('validated input');

/**
 * A schema, or a schema per catalogue when its messages are shown to customers
 * (`(c) => z.string().min(1, c.auth.enterCode)`): the form's field errors are then in the page's language.
 */
export type FormSchema<S extends z.ZodType> = S | ((c: Catalogue) => S);

const schemas = new WeakMap<object, Map<Catalogue, z.ZodType>>();
function schemaIn<S extends z.ZodType>(schema: FormSchema<S>, c: Catalogue): S {
  if (typeof schema !== 'function') return schema;
  let perCatalogue = schemas.get(schema);
  if (!perCatalogue) schemas.set(schema, (perCatalogue = new Map()));
  let built = perCatalogue.get(c);
  if (!built) perCatalogue.set(c, (built = schema(c)));
  return built as S;
}

/**
 * Parses the body with the schema before the handler runs. An invalid body never reaches the
 * handler: the form is shown again with field errors (400) and nothing is written.
 */
export function validate<S extends z.ZodType>(schema: FormSchema<S>, rerender: FormRenderer): RequestHandler {
  return async (req, res, next) => {
    const parsed = schemaIn(schema, catalogueOf(res)).safeParse(req.body ?? {});
    if (parsed.success) {
      (res.locals as unknown as Record<symbol, unknown>)[INPUT] = parsed.data;
      return next();
    }
    const error = new AppError('validation', (c) => c.common.checkInput, {
      fields: fieldErrors(parsed.error.issues),
    });
    await rerender(req, res, failureOf(error, res));
  };
}

/** The body as the route's `validate` parsed it. */
export function validated<S extends z.ZodType>(res: Response, _schema: FormSchema<S>): z.output<S> {
  const store = res.locals as unknown as Record<symbol, unknown>;
  if (!(INPUT in store)) throw new Error('validated() without validate() before the handler');
  return store[INPUT] as z.output<S>;
}

/**
 * Placed last in a form route: when the use case refuses with one of these codes (a locked account,
 * an empty gift pool, a taken slug), the form is shown again with the message instead of the error
 * page. Anything else goes on to the app's error handler.
 */
export function rerenderOn(codes: readonly ErrorCode[], rerender: FormRenderer): ErrorRequestHandler {
  return async (err, req, res, next) => {
    if (!isAppError(err) || !codes.includes(err.code) || res.headersSent) return next(err);
    await rerender(req, res, failureOf(err, res));
  };
}

const failureOf = (error: AppError, res: Response): FormFailure => ({
  status: error.status,
  message: messageIn(error, catalogueOf(res)),
  fields: error.fields,
  error,
});
