import type { Db } from '../platform/database.js';
import { findOpenAlerts, type OpenAlert } from './alert.repo.js';

export type { OpenAlert } from './alert.repo.js';

/** The operators' banner: every open alert, oldest first. */
export async function listOpenAlerts(db: Db): Promise<OpenAlert[]> {
  return findOpenAlerts(db);
}
