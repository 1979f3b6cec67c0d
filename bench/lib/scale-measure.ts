import type pg from 'pg';
import type { CpuUse } from './cpu-window.js';
import type { ProfileDir } from './redeem-profiles.js';
import { measureService, type ServiceMeasurement } from './redeem-measure.js';
import type { RedeemOptions } from './redeem-options.js';
import type { SeededCampaign } from './redeem-seed.js';
import type { LocalStack } from './redeem-services.js';
import { scaleLog as log } from './scale-campaign.js';

/**
 * One campaign's load phase, through the redeem bench's own measurement (its service, driver,
 * retries when other work disturbs the window, and database counters), reduced to the figures the
 * scale bench compares.
 */
export interface CampaignFigures {
  customers: number;
  login_p50_ms: number;
  login_p99_ms: number;
  redemptions_per_s: number;
  page_p99_ms: number;
  redemptions: number;
  errors: number;
  error_kinds: Record<string, number>;
  /** PostgreSQL's buffer reads that missed shared_buffers, and hits, per redemption of the phase. */
  blks_read_per_redemption: number;
  blks_hit_per_redemption: number;
  /** CPU of the service's processes and of PostgreSQL per redemption over the window: less noisy than rates on a shared machine. */
  web_cpu_ms_per_redemption: number | null;
  postgres_cpu_ms_per_redemption: number | null;
  cpu_cores: CpuUse | null;
  attempts: number;
  other_work_during_window: boolean;
  customers_used: number;
}

const perRedemption = (m: ServiceMeasurement, counter: string) =>
  m.dbCheck.redemptions ? Math.round(((m.dbDelta[counter] ?? 0) / m.dbCheck.redemptions) * 10) / 10 : 0;

const cpuMs = (cores: number | undefined, perS: number) =>
  cores === undefined || perS === 0 ? null : Math.round((cores / perS) * 10000) / 10;

/** The redeem driver's name for the login step ("2 POST login"). */
function loginStep(m: ServiceMeasurement) {
  const key = Object.keys(m.run.load.steps).find((k) => /POST login/.test(k));
  return key ? m.run.load.steps[key] : undefined;
}

export async function measureCampaign(
  opts: RedeemOptions,
  stack: LocalStack,
  pool: pg.Pool,
  seeded: SeededCampaign,
  customers: number,
  ctx: { root: string; profDir: ProfileDir; entry: string[] },
): Promise<CampaignFigures> {
  log(`measuring against ${seeded.slug} (${customers.toLocaleString('en')} customers) …`);
  const m = await measureService(opts, stack, pool, seeded, ctx.root, ctx.profDir, ctx.entry);
  const r = m.run.load;
  const login = loginStep(m);
  const figures: CampaignFigures = {
    customers,
    login_p50_ms: login?.p50_ms ?? NaN,
    login_p99_ms: login?.p99_ms ?? NaN,
    redemptions_per_s: r.redemptions_per_s,
    page_p99_ms: r.p99_ms,
    redemptions: r.redemptions,
    errors: r.errors,
    error_kinds: r.error_kinds,
    blks_read_per_redemption: perRedemption(m, 'blks_read'),
    blks_hit_per_redemption: perRedemption(m, 'blks_hit'),
    web_cpu_ms_per_redemption: cpuMs(m.run.cpu?.server_cores, r.redemptions_per_s),
    postgres_cpu_ms_per_redemption: cpuMs(m.run.cpu?.postgres_cores, r.redemptions_per_s),
    cpu_cores: m.run.cpu,
    attempts: m.run.attempts,
    other_work_during_window: m.run.contaminated,
    customers_used: m.run.customersUsed,
  };
  log(
    `${seeded.slug}: login p50 ${figures.login_p50_ms} ms p99 ${figures.login_p99_ms} ms; ${r.redemptions_per_s} redemptions/s; ` +
      `page p99 ${r.p99_ms} ms; errors ${r.errors}; blocks read/hit per redemption ${figures.blks_read_per_redemption}/${figures.blks_hit_per_redemption}; ` +
      `CPU ms per redemption: web ${figures.web_cpu_ms_per_redemption}, PostgreSQL ${figures.postgres_cpu_ms_per_redemption}`,
  );
  return figures;
}
