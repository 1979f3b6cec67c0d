import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { GiftCounts, UndeliveredGift } from './purge-gifts.repo.js';
import type { PurgeCheck } from './purge.checks.js';
import type { UndeliveredAssessment } from './purge.guard.js';
import { PURGE_MESSAGES as M, type GiftFate, type PurgeOutcome } from './purge.messages.js';
import type { CampaignDataCounts } from './purge.repo.js';

export type PurgeCounts = CampaignDataCounts & {
  manifest_files: number;
  suppression_files: number;
  redis_jobs: number;
};

export interface UndeliveredSection {
  total: number;
  byKind: GiftCounts;
  fate: GiftFate;
  /** Every undelivered gift, by redemption number (never a name, an address or a code). */
  gifts: UndeliveredGift[];
  /** Redemption numbers no override names (the reason for a refusal). */
  uncovered: string[];
}

export interface OverrideSection {
  id: string;
  staffId: string;
  staffUsername: string;
  recordedAt: string;
  reason: string;
  /** How many gifts the override names. */
  covers: number;
}

/** The report's words, from the message catalogue: the report reads the same in the console and in the file. */
export interface ReportText {
  title: string;
  result: string;
  summary: string[];
  headings: typeof M.headings;
  facts: typeof M.facts;
  columns: typeof M.columns;
  status: typeof M.status;
  counts: typeof M.counts;
  uncountable: string;
  steps: typeof M.steps;
  gifts: typeof M.gifts;
  fate: string | null;
}

/** What the purge did and how it proved it. Counts, times, places and reference numbers: never a personal value. */
export interface PurgeReport {
  campaignId: string;
  campaign: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Where the time went: the gift check, sampling, counting, deleting, each check. */
  phasesMs: Record<string, number>;
  /** How many personal values were sampled before deletion and searched for afterwards. */
  sampledValues: number;
  /** passed: every applicable check passed (and something was examined); refused: nothing deleted. */
  outcome: PurgeOutcome;
  /** outcome === 'passed', for readers of older reports. */
  passed: boolean;
  countsBefore: PurgeCounts;
  countsAfter: PurgeCounts;
  checks: PurgeCheck[];
  undelivered: UndeliveredSection | null;
  override: OverrideSection | null;
  text: ReportText;
  file?: string;
}

/** Passed only when every applicable check passed and at least one could examine something. */
export function judgeChecks(checks: PurgeCheck[]): { outcome: 'passed' | 'failed'; result: string } {
  const applicable = checks.filter((c) => c.status !== 'not_applicable');
  if (applicable.some((c) => c.status !== 'passed')) return { outcome: 'failed', result: M.outcome.failed };
  if (applicable.length === 0) return { outcome: 'failed', result: M.outcome.nothingExamined };
  const notApplicable = checks.length - applicable.length;
  return {
    outcome: 'passed',
    result: notApplicable ? M.outcome.passedWithNotApplicable(notApplicable) : M.outcome.passed,
  };
}

export interface ReportInput {
  campaign: CampaignRow;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  phasesMs: Record<string, number>;
  sampledValues: number;
  countsBefore: PurgeCounts;
  countsAfter: PurgeCounts;
  checks: PurgeCheck[];
  guard: UndeliveredAssessment;
  /** False when the emptied personal partitions are left for a later run to drop. */
  partitionsDropped?: boolean;
}

export function buildPurgeReport(input: ReportInput): PurgeReport {
  const { guard } = input;
  const judged = guard.refused
    ? { outcome: 'refused' as const, result: M.outcome.refused(guard.uncovered.length) }
    : judgeChecks(input.checks);
  const o = guard.override;
  const override: OverrideSection | null = o
    ? {
        id: o.id,
        staffId: o.staffId,
        staffUsername: o.staffUsername,
        recordedAt: o.recordedAt.toISOString(),
        reason: o.reason,
        covers: o.redemptionIds.length,
      }
    : null;
  const undelivered: UndeliveredSection | null = guard.fate
    ? {
        total: guard.gifts.length,
        byKind: guard.byKind,
        fate: guard.fate,
        gifts: guard.gifts,
        uncovered: guard.uncovered,
      }
    : null;
  return {
    campaignId: input.campaign.id,
    campaign: input.campaign.slug,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.durationMs,
    phasesMs: input.phasesMs,
    sampledValues: input.sampledValues,
    outcome: judged.outcome,
    passed: judged.outcome === 'passed',
    countsBefore: input.countsBefore,
    countsAfter: input.countsAfter,
    checks: input.checks,
    undelivered,
    override,
    text: reportText(judged.result, guard, input.partitionsDropped),
  };
}

function reportText(
  result: string,
  guard: UndeliveredAssessment,
  partitionsDropped: boolean | undefined,
): ReportText {
  const summary: string[] = [];
  if (partitionsDropped === false) summary.push(M.partitionsLeft);
  if (guard.refused) {
    summary.push(M.refusal.summary(guard.uncovered.length));
    if (guard.override) summary.push(M.refusal.notCovered(guard.uncovered.length));
    summary.push(M.refusal.checksNotRun);
  } else if (guard.fate === 'destroyed_with_override' && guard.override) {
    const o = guard.override;
    summary.push(M.override.summary(o.staffUsername, o.recordedAt, guard.gifts.length));
  }
  return {
    title: M.title,
    result,
    summary,
    headings: M.headings,
    facts: M.facts,
    columns: M.columns,
    status: M.status,
    counts: M.counts,
    uncountable: M.uncountable,
    steps: M.steps,
    gifts: M.gifts,
    fate: guard.fate ? M.fate[guard.fate] : null,
  };
}
