import {
  AUDIT_ACTION_LABELS,
  AUDIT_DETAIL_LABELS,
  AUDIT_NESTED_LABELS,
  AUDIT_TARGET_LABELS,
  AUDIT_TEXT,
  AUDIT_VALUE_LABELS,
} from '../audit/audit.messages.js';
import type { AuditRow } from '../audit/audit.table.js';

/**
 * An audit entry as the page shows it: Japanese labels from the catalogue (audit.messages.ts),
 * keys and recorded values as they are (the view marks them translate="no").
 */

/** A Japanese label, and the key it stands for when the catalogue has none (shown beside it). */
export interface Labelled {
  label: string;
  unknownKey: string | null;
}

/** One detail: a value (`raw`: an identifier or recorded text, shown as is) or nested details. */
export interface DetailItem extends Labelled {
  text?: string;
  raw?: boolean;
  items?: DetailItem[];
}

const has = (o: object, k: string) => Object.hasOwn(o, k);

export const actionLabel = (action: string): Labelled =>
  has(AUDIT_ACTION_LABELS, action)
    ? { label: AUDIT_ACTION_LABELS[action as keyof typeof AUDIT_ACTION_LABELS], unknownKey: null }
    : { label: AUDIT_TEXT.unknownAction, unknownKey: action };

export const targetLabel = (type: string): Labelled =>
  has(AUDIT_TARGET_LABELS, type)
    ? { label: AUDIT_TARGET_LABELS[type]!, unknownKey: null }
    : { label: AUDIT_TEXT.unknownTarget, unknownKey: type };

function detailLabel(key: string, labels: Record<string, string> | undefined): Labelled {
  if (labels && has(labels, key)) return { label: labels[key]!, unknownKey: null };
  return { label: AUDIT_TEXT.unknownDetail, unknownKey: key };
}

function scalar(key: string, value: unknown): Pick<DetailItem, 'text' | 'raw'> {
  if (value === null || value === undefined) return { text: AUDIT_TEXT.none, raw: false };
  if (typeof value === 'boolean') return { text: value ? AUDIT_TEXT.yes : AUDIT_TEXT.no, raw: false };
  if (typeof value === 'number') return { text: value.toLocaleString('ja-JP'), raw: false };
  if (typeof value === 'string') {
    const named = AUDIT_VALUE_LABELS[key];
    if (named && has(named, value)) return { text: named[value]!, raw: false };
    return { text: value, raw: true };
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object'))
    return { text: value.map((v) => String(v)).join('、'), raw: true };
  return { text: JSON.stringify(value), raw: true };
}

/** The details as a list; an object one level down (a filter, counts by kind) as a nested list. */
export function describeDetails(
  details: Record<string, unknown>,
  labels: Record<string, string> = AUDIT_DETAIL_LABELS,
  depth = 0,
): DetailItem[] {
  return Object.entries(details ?? {}).map(([key, value]) => {
    const label = detailLabel(key, labels);
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (nested && depth === 0)
      return {
        ...label,
        items: describeDetails(value as Record<string, unknown>, AUDIT_NESTED_LABELS[key] ?? {}, 1),
      };
    return { ...label, ...scalar(key, value) };
  });
}

/** A row of the audit log page. */
export function describeEntry(e: AuditRow, staffNames: Map<string, string>) {
  return {
    id: e.id,
    at: e.at,
    staffName: e.staff_id ? (staffNames.get(e.staff_id) ?? e.staff_id) : null,
    action: actionLabel(e.action),
    target: e.target_type ? { ...targetLabel(e.target_type), id: e.target_id ?? '' } : null,
    campaignId: e.campaign_id,
    reason: e.reason,
    details: describeDetails(e.details),
    hashHex: e.hash.toString('hex').slice(0, 16),
  };
}

/** The action filter's suggestions: every key the catalogue knows, with its label. */
export const actionSuggestions = () =>
  Object.entries(AUDIT_ACTION_LABELS).map(([key, label]) => ({ key, label }));
