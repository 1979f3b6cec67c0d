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

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to the customer (Japanese). */
    readonly publicMessage: string,
    options?: { cause?: unknown; fields?: Record<string, string> },
  ) {
    super(`${code}: ${publicMessage}`, { cause: options?.cause });
    this.status = statusByCode[code];
    this.fields = options?.fields ?? {};
  }
  readonly fields: Record<string, string>;
}

export const notFound = (what = 'ページ') => new AppError('not_found', `${what}が見つかりません。`);
export const validationError = (fields: Record<string, string>) =>
  new AppError('validation', '入力内容をご確認ください。', { fields });
export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
