import { readFileSync } from 'node:fs';
import http from 'node:http';
import { BenchFailure, timedRequester, WindowEnded, type SendRequest } from './load-http.js';
import { redeemOnce } from './load-redeem-flow.js';
import type { LoadConfig, LoadResult, Phase } from './load-types.js';
import { MeasuredWindow } from './load-window.js';

/**
 * The load client: C virtual customers, each looping through one complete redemption after another
 * with a fresh customer and a fresh cookie jar (a new browser), over keep-alive connections. Runs a
 * warm-up that is not counted, then a measured window; a request counts when it completes inside
 * the window, a redemption when its last page does.
 */

function readCredentials(file: string): [string, string][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string]);
}

/** Hands out each customer of the file once, in order. */
class CustomerQueue {
  private next: number;
  exhausted = false;

  constructor(
    private readonly total: number,
    private readonly first: number,
  ) {
    this.next = first;
  }

  /** The next customer's index, or undefined when none is left. */
  take(): number | undefined {
    const i = this.next++;
    if (i >= this.total) {
      this.exhausted = true;
      return undefined;
    }
    return i;
  }

  get used(): number {
    return Math.min(this.next, this.total) - this.first;
  }
}

async function baselineOnce(send: SendRequest, window: MeasuredWindow): Promise<void> {
  if (window.stopping) throw new WindowEnded();
  const res = await send('POST /insert', 'POST', '/insert', {}, '');
  if (res.status !== 204) throw new BenchFailure(`POST /insert:${res.status}`, res.body.slice(0, 200));
}

/** One virtual customer: flow after flow until the window ends; `flowOnce` is false when no customer is left. */
async function virtualClient(window: MeasuredWindow, flowOnce: () => Promise<boolean>): Promise<void> {
  while (!window.stopping) {
    try {
      if (!(await flowOnce())) return;
    } catch (e) {
      if (e instanceof WindowEnded) return;
      window.recordFailure(e);
      await new Promise((r) => setTimeout(r, 5)); // a failing server must not burn through the customers
    }
  }
}

export async function runLoad(
  cfg: LoadConfig,
  onPhase: (phase: Phase) => void = () => undefined,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.clients, maxFreeSockets: cfg.clients });
  const creds = cfg.scenario === 'redeem' ? readCredentials(cfg.credsFile!) : [];
  const window = new MeasuredWindow(cfg, onPhase);
  const send = timedRequester(new URL(cfg.baseUrl), agent, (step, t0, t1) =>
    window.recordResponse(step, t0, t1),
  );
  const customers = new CustomerQueue(creds.length, cfg.firstCustomer ?? 0);
  const flow = { slug: cfg.slug!, distinctClientIps: cfg.distinctClientIps ?? false, creds, send, window };
  const flowOnce =
    cfg.scenario === 'redeem'
      ? async () => {
          const i = customers.take();
          if (i === undefined) return false;
          await redeemOnce(flow, i);
          return true;
        }
      : async () => {
          await baselineOnce(send, window);
          return true;
        };
  window.startPhaseTimers();
  await Promise.all(Array.from({ length: cfg.clients }, () => virtualClient(window, flowOnce)));
  const cpu = window.close();
  agent.destroy();
  return window.result({ used: customers.used, exhausted: customers.exhausted }, cpu);
}
