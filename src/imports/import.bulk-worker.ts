import { parentPort, workerData } from 'node:worker_threads';
import { letterBlockWriter } from './import.bulk-letters.js';
import { usePostalTable } from '../customers/address-lookup.js';
import { CsvFormatError } from '../platform/csv-records.js';
import { bulkBlockWorker, type BulkBlockIn, type BulkBlockOut, type BulkSetup } from './import.bulk-rows.js';

/**
 * A worker thread of the bulk import: blocks of the file in, COPY text and fingerprints out
 * (import.bulk-rows.ts); then blocks of the load's COPY text in, letter lines out
 * (import.bulk-letters.ts). Every result's bytes are transferred, not copied.
 */
export type BulkWorkerMessage = ({ kind: 'rows' } & BulkBlockIn) | { kind: 'letters'; copyText: Uint8Array };
export interface BulkWorkerReply {
  seq: number;
  out?: BulkBlockOut | Uint8Array;
  error?: string;
  /** A file that cannot be read on (CsvFormatError), rebuilt as one by the caller. */
  csv?: { line: number; reason: string };
}

const setup = workerData as BulkSetup;
usePostalTable(setup.postalTable);
const rows = bulkBlockWorker(setup);
const letters = letterBlockWriter(setup.secret, setup.letterLink);

parentPort!.on('message', (m: BulkWorkerMessage & { seq: number }) => {
  try {
    if (m.kind === 'letters') {
      const out = letters(m.copyText);
      parentPort!.postMessage({ seq: m.seq, out }, [out.buffer as ArrayBuffer]);
      return;
    }
    const out = rows(m);
    parentPort!.postMessage({ seq: m.seq, out }, [
      out.customers.buffer as ArrayBuffer,
      out.personal.buffer as ArrayBuffer,
      out.tokens.buffer as ArrayBuffer,
      out.ids.buffer as ArrayBuffer,
      out.lines.buffer as ArrayBuffer,
      out.fingerprints.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const csv = err instanceof CsvFormatError ? { line: err.line, reason: err.reason } : undefined;
    parentPort!.postMessage({ seq: m.seq, error: err instanceof Error ? err.message : String(err), csv });
  }
});
