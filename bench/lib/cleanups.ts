import type { ChildProcess } from 'node:child_process';

/**
 * Everything a benchmark starts is stopped here, in reverse order, also on error or Ctrl-C; and
 * no child process outlives the benchmark.
 */

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
const livePids = new Set<number>();
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

/** Runs every cleanup once, the last registered first; a failing one does not stop the others. */
export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c.run();
      } catch (e) {
        console.error(`[bench] cleanup ${c.name}:`, e instanceof Error ? e.message : e);
      }
    }
  })();
  return cleaning;
}

/** Ctrl-C and SIGTERM clean up; and a last resort if the process exits without cleaning. */
export function cleanUpOnSignalsAndExit(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`[bench] ${sig}: cleaning up`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
  process.once('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
}

/** A child the 'exit' last resort kills if it is still running then. */
export function trackChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  livePids.add(child.pid);
  child.once('exit', () => livePids.delete(child.pid!));
}
