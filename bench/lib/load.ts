import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { formatForPrint } from '../../src/customers/codes.js';

/**
 * The load client: C virtual customers, each looping through one complete redemption after another
 * with a fresh customer and a fresh cookie jar (a new browser), over keep-alive connections. Runs a
 * warm-up that is not counted, then a measured window; a request counts when it completes inside
 * the window, a redemption when its last page does.
 */

export type Scenario = 'redeem' | 'baseline';

export interface LoadConfig {
  scenario: Scenario;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** redeem: campaign slug and a file of "code<TAB>key" lines, one customer each. */
  slug?: string;
  credsFile?: string;
  /** redeem: index of the first customer of the file to use (earlier ones were used by an earlier run). */
  firstCustomer?: number;
  /** redeem: send X-Forwarded-For with one address per customer (a service behind a proxy). */
  distinctClientIps?: boolean;
}

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

export interface LoadResult extends LatencySummary {
  scenario: Scenario;
  clients: number;
  duration_s: number;
  requests: number;
  requests_per_s: number;
  errors: number;
  error_kinds: Record<string, number>;
  /** redeem only */
  redemptions: number;
  redemptions_per_s: number;
  redemptions_by_option: Record<string, number>;
  customers_used: number;
  customers_exhausted: boolean;
  steps: Record<string, LatencySummary>;
  warmup_requests: number;
  client_cpu_s: number;
}

export type Phase = 'measure' | 'done';

/** The redemption mix, by customer index: half e-money (three brands), a quarter each book card and donation. */
export function choiceFor(i: number): Record<string, string> {
  const dataChoice = (['none', 'marketing_optout', 'erasure'] as const)[Math.floor(i / 12) % 3]!;
  const slot = i % 12;
  if (slot < 6) return { option: 'emoney', brand: ['edy', 'amazon', 'nanaco'][slot % 3]!, dataChoice };
  if (slot < 9) return { option: 'book_card', addressAction: 'as_is', dataChoice };
  return { option: 'donation', dataChoice };
}

/** Fraction of customers choosing each e-money brand in `choiceFor` (for sizing the code pools). */
export const EMONEY_SHARE_PER_BRAND = 2 / 12;

class BenchFailure extends Error {
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** Thrown into a flow when the measured window has ended: the flow is abandoned, not counted. */
class Stop extends Error {}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

class CookieJar {
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
function csrfOf(res: Response, kind: string): string {
  const m = CSRF.exec(res.body);
  if (!m) throw new BenchFailure(kind, 'no _csrf in page');
  return m[1]!;
}

function summarise(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0, mean_ms: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    p50_ms: r2(at(0.5)),
    p90_ms: r2(at(0.9)),
    p99_ms: r2(at(0.99)),
    max_ms: r2(sorted[sorted.length - 1]!),
    mean_ms: r2(mean),
  };
}

export async function runLoad(
  cfg: LoadConfig,
  onPhase: (phase: Phase) => void = () => undefined,
): Promise<LoadResult> {
  const base = new URL(cfg.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.clients, maxFreeSockets: cfg.clients });
  const creds =
    cfg.scenario === 'redeem'
      ? readFileSync(cfg.credsFile!, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t') as [string, string])
      : [];

  const started = performance.now();
  const measureStart = started + cfg.warmupMs;
  const measureEnd = measureStart + cfg.durationMs;
  let stopping = false;
  let cpuAtStart = process.cpuUsage();
  let measuredFrom = measureStart;
  let measuredTo = measureEnd;

  const latencies = new Map<string, number[]>();
  const errorKinds: Record<string, number> = {};
  const byOption: Record<string, number> = {};
  let warmupRequests = 0;
  let errors = 0;
  let redemptions = 0;
  const first = cfg.firstCustomer ?? 0;
  let next = first;
  let exhausted = false;

  const inWindow = (t: number) => t >= measureStart && t < measureEnd;

  function request(
    step: string,
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders,
    body?: string,
  ): Promise<Response> {
    const t0 = performance.now();
    return new Promise<Response>((resolve, reject) => {
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
            const t1 = performance.now();
            if (inWindow(t1)) {
              let arr = latencies.get(step);
              if (!arr) latencies.set(step, (arr = []));
              arr.push(t1 - t0);
            } else if (t1 < measureStart) warmupRequests++;
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
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const FORM = 'application/x-www-form-urlencoded';

  async function redeemOnce(i: number): Promise<void> {
    const [code, key] = creds[i]!;
    const slug = cfg.slug!;
    const jar = new CookieJar();
    const extra: http.OutgoingHttpHeaders = cfg.distinctClientIps
      ? { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }
      : {};
    const call = async (
      step: string,
      method: string,
      path: string,
      expect: number,
      fields?: Record<string, string>,
    ) => {
      if (stopping) throw new Stop();
      const headers: http.OutgoingHttpHeaders = { ...extra, accept: 'text/html' };
      const cookie = jar.header();
      if (cookie) headers.cookie = cookie;
      if (fields) headers['content-type'] = FORM;
      const res = await request(step, method, path, headers, fields ? form(fields) : undefined);
      jar.absorb(res.headers['set-cookie']);
      if (res.status !== expect) throw new BenchFailure(`${step}:${res.status}`, res.body.slice(0, 200));
      return res;
    };
    const choice = choiceFor(i);
    const loginPage = await call('1 GET login', 'GET', `/c/${slug}/login`, 200);
    const login = await call('2 POST login', 'POST', `/c/${slug}/login`, 303, {
      _csrf: csrfOf(loginPage, '2 POST login'),
      registrationCode: formatForPrint(code),
      loginKey: key,
    });
    if (login.headers.location !== `/c/${slug}/my`)
      throw new BenchFailure('2 POST login:location', String(login.headers.location));
    const my = await call('3 GET my', 'GET', `/c/${slug}/my`, 200);
    const confirm = await call('4 POST confirm', 'POST', `/c/${slug}/my/confirm`, 200, {
      _csrf: csrfOf(my, '3 GET my'),
      ...choice,
    });
    if (!confirm.body.includes('お手続き内容の確認'))
      throw new BenchFailure('4 POST confirm:page', 'not the confirmation page');
    const complete = await call('5 POST complete', 'POST', `/c/${slug}/my/complete`, 303, {
      _csrf: csrfOf(confirm, '4 POST confirm'),
      ...choice,
      action: 'complete',
    });
    if (complete.headers.location !== `/c/${slug}/my?done=1`)
      throw new BenchFailure('5 POST complete:location', String(complete.headers.location));
    const done = await call('6 GET done', 'GET', `/c/${slug}/my?done=1`, 200);
    if (!done.body.includes('お手続きが完了しました'))
      throw new BenchFailure('6 GET done:page', 'no completion message');
    if (choice.option === 'emoney' && !/class="code"[^>]*>[^<]{6,}</.test(done.body))
      throw new BenchFailure('6 GET done:code', 'no gift code shown');
    if (inWindow(performance.now())) {
      redemptions++;
      const k = choice.brand ? `emoney:${choice.brand}` : choice.option!;
      byOption[k] = (byOption[k] ?? 0) + 1;
    }
  }

  async function baselineOnce(): Promise<void> {
    if (stopping) throw new Stop();
    const res = await request('POST /insert', 'POST', '/insert', {}, '');
    if (res.status !== 204) throw new BenchFailure(`POST /insert:${res.status}`, res.body.slice(0, 200));
  }

  async function virtualClient(): Promise<void> {
    while (!stopping) {
      try {
        if (cfg.scenario === 'redeem') {
          const i = next++;
          if (i >= creds.length) {
            exhausted = true;
            return;
          }
          await redeemOnce(i);
        } else {
          await baselineOnce();
        }
      } catch (e) {
        if (e instanceof Stop) return;
        if (inWindow(performance.now())) {
          errors++;
          const kind = e instanceof BenchFailure ? e.kind : String(e);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
        await new Promise((r) => setTimeout(r, 5)); // a failing server must not burn through the customers
      }
    }
  }

  const phaseTimers = [
    setTimeout(() => {
      cpuAtStart = process.cpuUsage();
      measuredFrom = performance.now();
      onPhase('measure');
    }, cfg.warmupMs),
    setTimeout(() => {
      stopping = true;
      measuredTo = performance.now();
      onPhase('done');
    }, cfg.warmupMs + cfg.durationMs),
  ];
  const clients = Array.from({ length: cfg.clients }, () => virtualClient());
  await Promise.all(clients);
  // Every client has returned: either the window ended, or the customers ran out before it did.
  for (const t of phaseTimers) clearTimeout(t);
  if (!stopping) {
    stopping = true;
    measuredTo = Math.max(measureStart, performance.now());
    onPhase('done');
  }
  const cpu = process.cpuUsage(cpuAtStart);
  agent.destroy();

  const durationS = Math.max(0.001, (Math.min(measuredTo, measureEnd) - measuredFrom) / 1000);
  const all: number[] = [];
  const steps: Record<string, LatencySummary> = {};
  for (const [step, values] of [...latencies].sort(([a], [b]) => a.localeCompare(b))) {
    steps[step] = summarise(values);
    for (const v of values) all.push(v);
  }
  const overall = summarise(all);
  return {
    scenario: cfg.scenario,
    clients: cfg.clients,
    duration_s: Math.round(durationS * 100) / 100,
    requests: all.length,
    requests_per_s: Math.round((all.length / durationS) * 10) / 10,
    ...overall,
    errors,
    error_kinds: errorKinds,
    redemptions,
    redemptions_per_s: Math.round((redemptions / durationS) * 10) / 10,
    redemptions_by_option: byOption,
    customers_used: Math.min(next, creds.length) - first,
    customers_exhausted: exhausted,
    steps,
    warmup_requests: warmupRequests,
    client_cpu_s: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
  };
}
