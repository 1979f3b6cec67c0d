import { parentPort } from 'node:worker_threads';
import { customerCopyChunk, type RowChunkSpec } from './scale-rows.js';

/** Worker thread of RowWorkers: one chunk of COPY text per message. */
parentPort!.on('message', ({ id, spec }: { id: number; spec: RowChunkSpec }) => {
  try {
    parentPort!.postMessage({ id, text: customerCopyChunk(spec) });
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
