import { parentPort, workerData } from 'node:worker_threads';
import { letterBlockWriter } from './import.bulk-letters.js';
import { bulkChunkWorker, type BulkChunkIn, type BulkChunkOut, type BulkSetup } from './import.bulk-rows.js';

/**
 * A worker thread of the bulk import: chunks of rows in, COPY text and fingerprints out
 * (import.bulk-rows.ts); then blocks of the load's COPY text in, letter lines out
 * (import.bulk-letters.ts). Every result's bytes are transferred, not copied.
 */
export type BulkWorkerMessage = ({ kind: 'rows' } & BulkChunkIn) | { kind: 'letters'; copyText: Uint8Array };
export type BulkWorkerReply = { seq: number; out?: BulkChunkOut | Uint8Array; error?: string };

const setup = workerData as BulkSetup;
const rows = bulkChunkWorker(setup);
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
    parentPort!.postMessage({ seq: m.seq, error: err instanceof Error ? err.message : String(err) });
  }
});
