import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { letterBlockWriter } from './import.bulk-letters.js';
import { CsvFormatError } from '../platform/csv-records.js';
import { bulkBlockWorker, type BulkBlockIn, type BulkBlockOut, type BulkSetup } from './import.bulk-rows.js';
import type { BulkWorkerMessage, BulkWorkerReply } from './import.bulk-worker.js';

/**
 * The bulk import's worker threads, for the whole import: blocks of records during the load, then
 * blocks of letters. Work goes round-robin; the caller awaits the results in the order it sent
 * them, so the file's order is kept. Compiled, the worker is the .js beside this
 * file; from the TypeScript sources (tests, tsx) it is the .ts, loaded through tsx. The threads
 * start with the first block sent to them: a file of one block is worked out on the calling thread
 * (starting a thread costs more than such a block).
 */
/**
 * A block needs a few MB; without limits each thread's heap grows to hundreds of MB before V8
 * collects, and the import's memory with it.
 */
const LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

export class BulkThreads {
  private workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (o: BulkBlockOut | Uint8Array) => void; reject: (e: Error) => void }
  >();
  private seq = 0;
  private failure: Error | undefined;

  constructor(
    private readonly setup: BulkSetup,
    private readonly count: number,
  ) {}

  /** Threads started so far (none until the first block is sent to them with run). */
  get started(): number {
    return this.workers.length;
  }

  /** The block worked out here, on the calling thread: for a file whose only block it is. */
  runHere(block: BulkBlockIn): Promise<BulkBlockOut> {
    return settledHere(() => bulkBlockWorker(this.setup)(block));
  }

  /**
   * A block of the load's COPY text as letter lines: in a thread, or here when the load never
   * started the threads (a file of one block has few letters).
   */
  letters(copyText: Uint8Array): Promise<Uint8Array> {
    if (this.workers.length > 0) return this.send({ kind: 'letters', copyText }, [copyText.buffer]);
    this.writeLetters ??= letterBlockWriter(this.setup.secret, this.setup.letterLink);
    const write = this.writeLetters;
    return settledHere(() => write(copyText));
  }

  private writeLetters: ((copyText: Uint8Array) => Uint8Array) | undefined;

  private start(): void {
    const { setup, count } = this;
    const self = fileURLToPath(import.meta.url);
    const fromSource = self.endsWith('.ts');
    const file = self.replace(
      /import\.bulk-threads\.(ts|js)$/,
      `import.bulk-worker.${fromSource ? 'ts' : 'js'}`,
    );
    this.workers = Array.from({ length: count }, () => {
      const w = fromSource
        ? new Worker(tsxBootstrap(file), {
            eval: true,
            workerData: setup,
            execArgv: [],
            resourceLimits: LIMITS,
          })
        : new Worker(file, { workerData: setup, resourceLimits: LIMITS });
      w.on('message', (m: BulkWorkerReply) => this.settle(m));
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`import worker stopped (exit ${code})`)));
      return w;
    });
  }

  /** The block's result; results resolve in any order, the caller awaits them in sending order. */
  run(block: BulkBlockIn): Promise<BulkBlockOut> {
    if (this.workers.length === 0) this.start();
    return this.send({ kind: 'rows', ...block }, [block.bytes.buffer]);
  }

  private send<T extends BulkBlockOut | Uint8Array>(
    message: BulkWorkerMessage,
    transfer: ArrayBufferLike[],
  ): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    try {
      this.workers[seq % this.workers.length]!.postMessage({ ...message, seq }, transfer as ArrayBuffer[]);
    } catch (err) {
      // Not sent (a value that cannot be cloned): no reply will come.
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // Waiting only once sent: replies and thread failures come as events, never before this returns.
    return new Promise<T>((resolve, reject) =>
      this.waiting.set(seq, { resolve: resolve as (o: BulkBlockOut | Uint8Array) => void, reject }),
    );
  }

  private settle(m: BulkWorkerReply): void {
    const waiter = this.waiting.get(m.seq);
    this.waiting.delete(m.seq);
    if (m.out) waiter?.resolve(m.out);
    else if (m.csv) waiter?.reject(new CsvFormatError(m.csv.line, m.csv.reason));
    else waiter?.reject(new Error(m.error ?? 'import worker failed'));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function settledHere<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** From the TypeScript sources: tsx's loader registered in the thread, then the worker imported. */
const tsxBootstrap = (file: string) =>
  `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`;
