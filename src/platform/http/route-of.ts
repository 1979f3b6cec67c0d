import type { Request } from 'express';

/** A path segment that can only be a name of ours (or a public slug), never something a person typed. */
const TOKEN = /^[a-z0-9._-]{1,60}$/i;

const segments = (p: string) => p.split('/').filter(Boolean);

/**
 * What a request log says about where a request went: the route that answered it
 * (`/ops/campaigns/:id/imports`, `/c/demo/login`), never the path as sent, which may carry anything a
 * client typed into it. The route's own pattern comes from Express; the mount path before it (`/ops`,
 * `/c/demo`) is the start of the path as sent, kept only where it is a plain name. A request no route
 * answered (a 404, a refusal before routing) keeps its first segment only.
 */
export function routeOf(req: Request | undefined): string {
  if (!req) return '';
  const sent = segments(req.originalUrl.split('?')[0] ?? '');
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') {
    const first = sent[0] ?? '';
    return TOKEN.test(first) ? `/${first}/…` : '/…';
  }
  const pattern = segments(route);
  const mount = sent
    .slice(0, Math.max(0, sent.length - pattern.length))
    .map((s) => (TOKEN.test(s) ? s : '…'));
  return `/${[...mount, ...pattern].join('/')}`;
}
