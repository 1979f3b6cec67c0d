import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** A request of a flow that went wrong; `kind` names the step and what failed, for the error counts. */
export class BenchFailure extends Error {
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** Thrown into a flow when the measured window has ended: the flow is abandoned, not counted. */
export class WindowEnded extends Error {}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  absorb(setCookie: string[] | undefined): void {
    for (const c of setCookie ?? []) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const CSRF = /name="_csrf" value="([^"]+)"/;
export function csrfOf(res: HttpReply, kind: string): string {
  const m = CSRF.exec(res.body);
  if (!m) throw new BenchFailure(kind, 'no _csrf in page');
  return m[1]!;
}

export type SendRequest = (
  step: string,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body?: string,
) => Promise<HttpReply>;

/**
 * One request over the shared keep-alive agent; `onTimed(step, sentAt, completedAt)` is told when
 * the response has been read in full, before the flow sees it.
 */
export function timedRequester(
  base: URL,
  agent: http.Agent,
  onTimed: (step: string, t0: number, t1: number) => void,
): SendRequest {
  return (step, method, path, headers, body) => {
    const t0 = performance.now();
    return new Promise<HttpReply>((resolve, reject) => {
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            onTimed(step, t0, performance.now());
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(new BenchFailure(`${step}:${e.code ?? e.message}`, e.message)),
      );
      req.end(body);
    });
  };
}
