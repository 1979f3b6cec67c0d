import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { csvRecords, CsvFormatError } from '../platform/csv-records.js';
import { campaignObjectKey } from '../platform/storage/storage.js';
import { CUSTOMER_CSV_COLUMNS } from './customer-csv.schema.js';
import { readHeader } from './import.rows.js';
import { IMPORT_TEXT } from './imports.messages.js';

/**
 * Files of a customer import run, in the object store under its campaign (the purge deletes them
 * with it), both encrypted: the uploaded CSV (personal data, deleted when the run ends) and the
 * letter print file (the only copy of the login keys, deleted once downloaded).
 */
export interface RunFiles {
  campaignId: string;
  runId: string;
}

export const importUploadKey = (campaignId: string, runId: string) =>
  campaignObjectKey(campaignId, 'imports', `run-${runId}.csv`);
export const lettersKey = ({ campaignId, runId }: RunFiles) =>
  campaignObjectKey(campaignId, 'letters', `run-${runId}-letters.csv`);
/** The letters of a run still importing, one part per write (import-runs.letter-parts.ts). */
export const letterPartsPrefix = ({ campaignId, runId }: RunFiles) =>
  `${campaignObjectKey(campaignId, 'letters', `run-${runId}-parts`)}/`;

/**
 * A CSV problem worded for the operator without quoting the file: a header that is really a data
 * row (a file without a header) would otherwise put a customer's name into the report.
 */
export function describeCsvError(err: CsvFormatError): string {
  if (!err.reason.startsWith('見出し行')) return IMPORT_TEXT.atLine(err.line, err.reason);
  const missing = /不足: ([a-z_, ]+)/.exec(err.reason)?.[1];
  return IMPORT_TEXT.badHeader(err.line, missing, CUSTOMER_CSV_COLUMNS);
}

/**
 * Reads only the first line of the request's upload (its temporary file): a wrong file is refused
 * at upload, before a run is queued.
 */
export async function checkCustomerCsvHeader(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const nl = head.indexOf(10);
  if (nl < 0 && head.length === 64 * 1024) return IMPORT_TEXT.headerTooLong;
  try {
    const firstLine = nl >= 0 ? head.subarray(0, nl + 1) : head;
    for await (const records of csvRecords(Readable.from([firstLine]))) {
      if (records[0]) readHeader(records[0]);
      return null;
    }
    return IMPORT_TEXT.atLine(1, IMPORT_TEXT.noHeader);
  } catch (err) {
    if (err instanceof CsvFormatError) return describeCsvError(err);
    throw err;
  }
}
