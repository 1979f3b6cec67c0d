import { Worker } from 'node:worker_threads';
import { keyedHexHasher } from '../../src/imports/import.encoding.js';
import { loginKeyAt, registrationCodeAt, type CodeKeys } from './scale-codes.js';

/**
 * The COPY text of customers [from, to) for the staging table (index, registration code, login-key
 * hash): the hash is the service's own (HMAC-SHA256 keyed with LOGIN_KEY_PEPPER, as
 * src/imports/import.encoding.ts computes it), so every seeded customer can log in. Without a
 * pepper the hash column is left NULL (the seed then writes a placeholder: nobody logs in).
 */
export interface RowChunkSpec {
  keys: CodeKeys;
  pepper: string | null;
  from: number;
  to: number;
}

export function customerCopyChunk(spec: RowChunkSpec): string {
  const hash = spec.pepper === null ? null : keyedHexHasher(spec.pepper);
  const lines: string[] = [];
  for (let i = spec.from; i < spec.to; i++) {
    const code = registrationCodeAt(spec.keys, i);
    const keyHash = hash ? `\\\\x${hash(loginKeyAt(spec.keys, i))}` : '\\N';
    lines.push(`${i}\t${code}\t${keyHash}\n`);
  }
  return lines.join('');
}

const WORKER_FILE = new URL('./scale-rows-worker.ts', import.meta.url).href;
/** Node 20's workers ignore `--import tsx`: the worker registers tsx itself, then loads the TypeScript. */
const WORKER_BOOT = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((tsx) => { tsx.register(); return import(workerData); });`;

/**
 * Worker threads that make the chunks while PostgreSQL writes the previous ones: the HMACs and
 * the codes of 30 million customers are minutes of CPU that need not wait for the database.
 */
export class RowWorkers {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(count: number) {
    this.workers = Array.from({ length: Math.max(1, count) }, () => {
      const w = new Worker(WORKER_BOOT, { eval: true, workerData: WORKER_FILE });
      w.on('message', (m: { id: number; text?: string; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.text!);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      return w;
    });
  }

  chunk(spec: RowChunkSpec): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, spec });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
