import type { z } from 'zod';
import { validationError } from '../platform/errors.js';
import { fieldErrors } from '../platform/forms.js';

/** Parses a request body with a domain's schema: its messages per field, or the parsed value. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw validationError(fieldErrors(parsed.error.issues));
  return parsed.data;
}
