import path from 'node:path';
import type { Config } from '../platform/config.js';

/**
 * What the audit chain needs from outside the database: the HMAC key (AUDIT_HMAC_KEY) and the
 * append-only file its head is exported to (AUDIT_HEAD_FILE, by default DATA_DIR/audit-heads.log).
 * Set once per process by whoever parses the configuration (the app, the job handlers, the
 * command-line tools, the test support): `recordAudit` is called from many places with a
 * transaction only, and must never fall back to an unkeyed hash.
 */
export interface AuditSettings {
  key: Buffer;
  headFile: string;
}

let current: AuditSettings | undefined;

type AuditConfig = Pick<Config, 'AUDIT_HMAC_KEY' | 'AUDIT_HEAD_FILE' | 'DATA_DIR'>;

export const auditHeadFile = (config: Pick<Config, 'AUDIT_HEAD_FILE' | 'DATA_DIR'>): string =>
  path.resolve(config.AUDIT_HEAD_FILE ?? path.join(config.DATA_DIR, 'audit-heads.log'));

export function configureAudit(config: AuditConfig): AuditSettings {
  current = { key: Buffer.from(config.AUDIT_HMAC_KEY, 'utf8'), headFile: auditHeadFile(config) };
  return current;
}

export function auditSettings(): AuditSettings {
  if (!current) {
    throw new Error('the audit chain is not configured in this process (configureAudit was not called)');
  }
  return current;
}
