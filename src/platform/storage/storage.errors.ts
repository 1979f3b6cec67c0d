import { AppError } from '../errors.js';

/**
 * A missing object: a `not_found` AppError, so a download of a file that is gone shows the 404 page
 * when nobody handles it. The key stays on the error for logs (keys carry no personal data).
 */
export class ObjectNotFound extends AppError {
  constructor(
    readonly key: string,
    options: { cause?: unknown } = {},
  ) {
    super('not_found', (c) => c.common.notFound(), options);
  }

  static is(err: unknown): err is ObjectNotFound {
    return err instanceof ObjectNotFound;
  }
}

/** A key or prefix the store refuses (a programming error, never user input). */
export class InvalidObjectKey extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
  }
}

/**
 * An object that cannot be trusted: its authentication tag does not verify (altered, truncated,
 * sealed with another key or for another key), or it should be encrypted and is not.
 */
export class ObjectIntegrityError extends Error {
  constructor(
    readonly key: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`object ${key} is invalid: ${reason}`, options);
  }
}
