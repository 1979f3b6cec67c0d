import type { Request, Response } from 'express';
import { CATALOGUES, JA, type Catalogue } from '../messages/catalogue.js';
import { messageIn } from '../platform/http/language.js';
import type { AppError } from '../platform/errors.js';
import { PROBLEM_TITLES, PROBLEM_TYPE_BASE } from './api.messages.js';

/**
 * RFC 9457 problem details: `type` (one per error code), `title`, `status`, `detail` (the same
 * catalogue message as the page, in the language of Accept-Language) and, for a refused body, the
 * message per field in `errors`.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Record<string, string>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const languages = Object.keys(CATALOGUES);

/** The catalogue of the best language the client accepts (Japanese when none matches); never a cookie. */
export function catalogueFor(req: Request): { lang: string; catalogue: Catalogue } {
  const lang = req.acceptsLanguages(...languages) || 'ja';
  return { lang, catalogue: CATALOGUES[lang as keyof typeof CATALOGUES] ?? JA };
}

export function toProblem(error: AppError, catalogue: Catalogue): Problem {
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: PROBLEM_TITLES[error.code] ?? 'Error',
    status: error.status,
    detail: messageIn(error, catalogue),
    code: error.code,
  };
  if (Object.keys(error.fields).length > 0) problem.errors = error.fields;
  return problem;
}

export function sendProblem(req: Request, res: Response, error: AppError): void {
  const { lang, catalogue } = catalogueFor(req);
  res.status(error.status);
  res.setHeader('Content-Language', lang);
  res.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(toProblem(error, catalogue)));
}
