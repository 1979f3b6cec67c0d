import { PURGE_MESSAGES as M, type PurgeRiskKind } from './purge.messages.js';

/** The alert kinds (the `alerts.kind` column) the purge and its deadline check raise and resolve. */

export type { PurgeRiskKind } from './purge.messages.js';
export const PURGE_RISK_KINDS = Object.keys(M.alert.risks) as PurgeRiskKind[];
export const PURGE_FAILED = 'purge_failed';
export const PURGE_REFUSED = 'purge_refused';
/** A purge that passed leaves nothing to warn about: it resolves every one of them for its campaign. */
export const PURGE_ALERT_KINDS: readonly string[] = [...PURGE_RISK_KINDS, PURGE_FAILED, PURGE_REFUSED];
