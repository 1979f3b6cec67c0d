import type { Db } from '../platform/database.js';
import {
  findOpenAlert as findOpenAlertRow,
  findOpenAlerts,
  resolveAlertsExcept as resolveAlertRows,
  upsertOpenAlert,
  type AlertResolution,
  type AlertToRaise,
  type OpenAlert,
} from './alert.repo.js';

export type { AlertResolution, AlertToRaise, OpenAlert } from './alert.repo.js';

/**
 * The operators' alerts: a job that finds something wrong raises one (one open alert per campaign
 * and kind, its message refreshed on every run) and resolves it once the cause is gone. Each takes
 * `db` or the caller's transaction, so an alert changes together with what it is about.
 */

/** Raises the alert, or refreshes the message of the one already open. */
export async function raiseAlert(db: Db, alert: AlertToRaise): Promise<void> {
  await upsertOpenAlert(db, alert);
}

/** Resolves the open alerts of these kinds (for one campaign, when given) except those still in `keep`. */
export async function resolveAlertsExcept(db: Db, resolution: AlertResolution): Promise<number> {
  return resolveAlertRows(db, resolution);
}

/** The operators' banner: every open alert, oldest first. */
export async function listOpenAlerts(db: Db): Promise<OpenAlert[]> {
  return findOpenAlerts(db);
}

/** The open alert of this kind for one campaign (the pools page shows it). */
export async function findOpenAlert(db: Db, campaignId: string, kind: string) {
  return findOpenAlertRow(db, campaignId, kind);
}
