import type { Response } from 'express';
import type { AuditRow } from '../audit/audit.table.js';
import { CSV_BOM, csvFileName, jstCsvDateTime, toCsv } from '../platform/csv-export.js';
import type { AuditExport } from './audit-log.service.js';

/** The audit log as a CSV download, streamed a page at a time (the log can be long). */

const CSV_HEADER = [
  'id',
  'at',
  'staff_id',
  'staff_username',
  'action',
  'target_type',
  'target_id',
  'campaign_id',
  'reason',
  'details',
  'prev_hash',
  'hash',
];

const csvRow = (names: Map<string, string>) => (e: AuditRow) => [
  e.id,
  e.at.toISOString(),
  e.staff_id,
  e.staff_id ? (names.get(e.staff_id) ?? '') : '',
  e.action,
  e.target_type,
  e.target_id,
  e.campaign_id,
  e.reason,
  JSON.stringify(e.details),
  e.prev_hash.toString('hex'),
  e.hash.toString('hex'),
];

/** Waits while the client is slow; gives up quietly when it has gone. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Sends the export; stops fetching when the client has gone. */
export async function sendAuditCsv(res: Response, { names, pages }: AuditExport, at: Date): Promise<void> {
  const row = csvRow(names);
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    // Named by the date and time in Japan (YYYYMMDDhhmmss), not in UTC.
    .attachment(csvFileName('audit-log', jstCsvDateTime(at).replace(/\D/g, '')));
  try {
    await write(res, CSV_BOM + toCsv([CSV_HEADER]));
    if (!res.destroyed)
      for await (const rows of pages) {
        if (rows.length) await write(res, toCsv(rows.map(row)));
        if (res.destroyed) break;
      }
    res.end();
  } catch (err) {
    // The header has gone: the client must see a broken download, not a complete-looking file.
    res.destroy();
    throw err;
  }
}
