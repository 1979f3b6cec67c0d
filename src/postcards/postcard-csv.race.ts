import { isLockConflict } from '../platform/pg-retry.js';

/**
 * Another upload into the same batch at the same moment (chunks of files share the batch) may take
 * a position between a chunk's check and its insert, or deadlock with it: the chunk is rolled back
 * whole and tried again, when the positions it lost are reported as taken.
 */
const lostARace = (err: unknown) =>
  isLockConflict(err) ||
  ((err as { code?: string }).code === '23505' &&
    (err as { constraint?: string }).constraint === 'postcard_entries_batch_id_seq_keying_key');

export async function retryWhenRaced(writeChunk: () => Promise<void>, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeChunk();
    } catch (err) {
      if (attempt >= attempts || !lostARace(err)) throw err;
    }
  }
}
