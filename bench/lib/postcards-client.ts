/**
 * A signed-in operator's browser for the bench: fetch with a cookie jar, forms with their CSRF token,
 * redirects not followed (so that each request is timed on its own).
 */
export interface Reply {
  status: number;
  location: string | null;
  text: string;
  ms: number;
}

export class OpsClient {
  private readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(method: 'GET' | 'POST', path: string, body?: URLSearchParams | FormData): Promise<Reply> {
    const t = performance.now();
    const res = await fetch(this.baseUrl + path, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';', 1)[0]!;
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), text, ms: performance.now() - t };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string>) {
    return this.request('POST', path, new URLSearchParams(form));
  }

  /** Both factors, as every operator signs in: the password, then the current TOTP code. */
  async signIn(username: string, password: string, totpCode: string): Promise<void> {
    const page = await this.get('/ops/login');
    const res = await this.post('/ops/login', { _csrf: tokenOf(page.text), username, password });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    const totp = await this.get('/ops/login/totp');
    const done = await this.post('/ops/login/totp', { _csrf: tokenOf(totp.text), code: totpCode });
    if (done.status !== 303) throw new Error(`second factor refused: ${done.status}`);
  }
}

export function tokenOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

export function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} in page`);
  return m[1]!;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
