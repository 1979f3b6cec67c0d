import { parentPort, workerData } from 'node:worker_threads';
import { bulkChunkWorker, type BulkChunkIn, type BulkSetup } from './import.bulk-rows.js';

/** A worker thread of the bulk import: chunks in, COPY text and fingerprints out (see import.bulk-rows.ts). */
const work = bulkChunkWorker(workerData as BulkSetup);
parentPort!.on('message', (chunk: BulkChunkIn & { seq: number }) => {
  try {
    const out = work(chunk);
    parentPort!.postMessage({ seq: chunk.seq, out }, [
      out.customers.buffer as ArrayBuffer,
      out.personal.buffer as ArrayBuffer,
      out.tokens.buffer as ArrayBuffer,
      out.ids.buffer as ArrayBuffer,
      out.lines.buffer as ArrayBuffer,
      out.fingerprints.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    parentPort!.postMessage({ seq: chunk.seq, error: err instanceof Error ? err.message : String(err) });
  }
});
