import { z } from 'zod';
import { normaliseCodeInput } from '../customers/codes.js';
import { JA, type Catalogue } from '../messages/catalogue.js';

/**
 * The login form: both halves are normalised before anything else looks at them. One schema per
 * catalogue, so that its messages are in the page's language (`validate` builds each once).
 */
export const loginFormSchema = (c: Catalogue) =>
  z.object({
    registrationCode: z
      .string({ error: c.auth.enterCode })
      .max(100, c.auth.codeTooLong)
      .transform(normaliseCodeInput)
      .pipe(z.string().min(1, c.auth.enterCode)),
    loginKey: z
      .string({ error: c.auth.enterKey })
      .max(100, c.auth.keyTooLong)
      .transform(normaliseCodeInput)
      .pipe(z.string().min(1, c.auth.enterKey)),
  });

/** The Japanese one, for callers without a page language. */
export const LoginFormSchema = loginFormSchema(JA);

export type LoginForm = z.infer<ReturnType<typeof loginFormSchema>>;
