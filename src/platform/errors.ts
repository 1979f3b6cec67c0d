import { JA, type Catalogue, type MessagePick } from '../messages/catalogue.js';

/** One error type for the whole service; the HTTP layer maps `status`, the view shows `publicMessage`. */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'throttled'
  | 'campaign_closed'
  | 'pool_empty'
  | 'csrf'
  | 'unavailable'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  throttled: 429,
  campaign_closed: 410,
  pool_empty: 503,
  csrf: 403,
  unavailable: 503,
  internal: 500,
};

export interface AppErrorOptions {
  cause?: unknown;
  /** Per form field, the message shown beside it. */
  fields?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  readonly fields: Record<string, string>;
  /** Safe to show (Japanese): the catalogue's text when the error was made from one. */
  readonly publicMessage: string;
  /** The catalogue entry, so that a page in another language can show the same error. */
  readonly text?: MessagePick;

  constructor(
    readonly code: ErrorCode,
    message: string | MessagePick,
    options: AppErrorOptions = {},
  ) {
    const publicMessage = typeof message === 'string' ? message : message(JA);
    super(`${code}: ${publicMessage}`, { cause: options.cause });
    this.publicMessage = publicMessage;
    if (typeof message !== 'string') this.text = message;
    this.status = statusByCode[code];
    this.fields = options.fields ?? {};
  }
}

/**
 * A domain's error factory: `export const PoolEmpty = errorFactory('pool_empty', (c) => c.redemption.poolEmpty)`,
 * thrown as `throw PoolEmpty()`. Routes and the error middleware recognise it by `code`, or with
 * `PoolEmpty.is(err)`.
 */
export function errorFactory<A extends unknown[] = []>(
  code: ErrorCode,
  text: (c: Catalogue, ...args: A) => string,
) {
  const make = (...args: A) => new AppError(code, (c) => text(c, ...args));
  const marker = Symbol(code);
  const factory = (...args: A): AppError => Object.assign(make(...args), { [marker]: true });
  factory.is = (err: unknown): err is AppError => isAppError(err) && marker in err;
  return factory;
}

export const notFound = (what?: string) => new AppError('not_found', (c) => c.common.notFound(what));
export const validationError = (fields: Record<string, string>) =>
  new AppError('validation', (c) => c.common.checkInput, { fields });
export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
