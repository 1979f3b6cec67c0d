import type { Db } from '../platform/database.js';
import type { EditableState } from './campaign-admin.fields.js';
import { SAFETY_TEXT } from './campaign.messages.js';
import { endOfDayJst, type CampaignDefinition } from './campaign.schema.js';
import type { CampaignRow } from './campaign.table.js';

/**
 * Saves that need an operator's explicit confirmation: one that brings the purge (which deletes the
 * campaign's personal data) within PURGE_CONFIRM_DAYS, and one that leaves an open campaign with a
 * procedure deadline already past. The form is shown again with the warning and a checkbox whose
 * value is the very date confirmed: a confirmation never carries over to another date.
 */

export const PURGE_CONFIRM_DAYS = 7;
export const DAY_MS = 86_400_000;

export const CONFIRM_FIELDS = ['confirmPurge', 'confirmPastDeadline'] as const;
export type ConfirmField = (typeof CONFIRM_FIELDS)[number];
export type Confirmations = Record<ConfirmField, string>;

export interface ChangeWarning {
  field: ConfirmField;
  /** The value the checkbox must carry: the date being confirmed. */
  value: string;
  title: string;
  lines: string[];
  checkbox: string;
  /** What the audit entry of a confirmed change records (counts and dates, never personal data). */
  audit: Record<string, unknown>;
}

/** The confirmation checkboxes of a posted form ('' when not ticked). */
export function readConfirmations(body: unknown): Confirmations {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const value = (f: ConfirmField) => (typeof src[f] === 'string' ? (src[f] as string) : '');
  return { confirmPurge: value('confirmPurge'), confirmPastDeadline: value('confirmPastDeadline') };
}

export interface ProposedChange {
  /** The stored campaign; undefined when creating one. */
  before: CampaignRow | undefined;
  definition: CampaignDefinition;
  state: EditableState;
  now: Date;
}

/**
 * Checks that other domains add to a campaign change (the purge's "deleted within days" warning);
 * the composition root passes them in, so campaigns need not know who asks.
 */
export type ChangeCheck = (db: Db, change: ProposedChange) => Promise<ChangeWarning | undefined>;

/** Every warning this change raises, confirmed or not. */
export async function changeWarnings(
  db: Db,
  change: ProposedChange,
  checks: readonly ChangeCheck[],
): Promise<ChangeWarning[]> {
  const warnings: ChangeWarning[] = [];
  for (const check of checks) {
    const warning = await check(db, change);
    if (warning) warnings.push(warning);
  }
  const past = pastDeadlineWarning(change);
  if (past) warnings.push(past);
  return warnings;
}

export const unconfirmed = (warnings: ChangeWarning[], confirmations: Confirmations) =>
  warnings.filter((w) => confirmations[w.field] !== w.value);

/** Open with a procedure deadline already past, newly so (the deadline, or the state, changed). */
function pastDeadlineWarning(change: ProposedChange): ChangeWarning | undefined {
  const { before, definition, state, now } = change;
  if (state !== 'open' || endOfDayJst(definition.deadline).getTime() >= now.getTime()) return undefined;
  const changed = !before || before.state !== 'open' || before.definition.deadline !== definition.deadline;
  if (!changed) return undefined;
  return {
    field: 'confirmPastDeadline',
    value: definition.deadline,
    title: SAFETY_TEXT.pastDeadlineTitle,
    lines: [SAFETY_TEXT.pastDeadline(definition.deadline)],
    checkbox: SAFETY_TEXT.pastDeadlineCheckbox(definition.deadline),
    audit: { deadline: definition.deadline, deadlineBefore: before ? before.definition.deadline : null },
  };
}
