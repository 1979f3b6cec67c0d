import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadConfig, LoadResult, Phase } from './load-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

type Message =
  | { type: 'phase'; phase: Phase }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

/**
 * Runs the load client in its own Node process, so that its CPU time is its own (it still shares
 * the machine's cores with the servers). `onPhase` is called with the client's pid at the start and
 * the end of the measured window.
 */
export function runLoadInChild(
  cfg: LoadConfig,
  onPhase: (phase: Phase, clientPid: number) => void,
  onSpawn: (child: ChildProcess) => void = () => undefined,
  nodeArgs: string[] = [],
  nodeBin = process.execPath,
): Promise<LoadResult> {
  const child = fork(path.join(here, 'load-worker.ts'), [], {
    execPath: nodeBin,
    execArgv: [...nodeArgs, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onSpawn(child);
  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: Message) => {
      if (m.type === 'phase') onPhase(m.phase, child.pid!);
      else if (m.type === 'result') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new Error(`load client failed: ${m.message}`));
      }
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`load client exited (${code ?? signal}) without a result`));
    });
    child.on('error', reject);
    child.send(cfg);
  });
}
