import { writeBatch, type BatchContext } from './import.batch.js';
import type { PreparedRow } from './import.encoding.js';

/**
 * Rows gathered into batches, one batch written while the next is read. A batch's failure is kept
 * and thrown at the next add, flush or written(), so reading stops at the first failed batch.
 */
export class BatchQueue {
  private batch: PreparedRow[] = [];
  /** Registration codes given in the batch being gathered (a batch's codes are unique). */
  codes = new Set<string>();
  /** Resolves when the previous batch is in; a rejection is kept and re-thrown at the next await. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: BatchContext,
    private readonly batchSize: number,
    private readonly onProgress?: (p: { rowsRead: number; imported: number }) => void,
  ) {}

  async add(row: PreparedRow): Promise<void> {
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  /** Waits for the batch being written, then starts writing the one gathered. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    await this.pending;
    const rows = this.batch;
    this.batch = [];
    this.codes = new Set();
    const { report } = this.ctx;
    this.pending = writeBatch(this.ctx, rows).then(() =>
      this.onProgress?.({ rowsRead: report.report.rowsRead, imported: report.report.imported }),
    );
    this.pending.catch(() => undefined); // handled at the next await
  }

  /** Every batch written (or the first failure thrown). */
  written(): Promise<void> {
    return this.pending;
  }

  /** Waits for the batch being written, whatever its outcome. */
  async settled(): Promise<void> {
    await this.pending.catch(() => undefined);
  }
}
