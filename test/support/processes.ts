import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';

/** Every process a test file started: none outlives the file, even when a test failed midway. */
const started = new Set<ChildProcess>();
afterAll(async () => {
  const alive = [...started].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    alive.map(
      (c) =>
        new Promise<void>((resolve) => {
          const kill = setTimeout(() => c.kill('SIGKILL'), 15_000); // after its graceful stop
          c.once('exit', () => (clearTimeout(kill), resolve()));
          c.kill('SIGTERM');
        }),
    ),
  );
}, 30_000);

/** A service or CLI run as its own process, its output collected, for start/stop and exit-code tests. */
export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches; rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runProcess(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunningProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let out = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs = 90_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then(({ code, signal }) => {
          if (pattern.test(out)) return;
          done();
          reject(new Error(`exited (${code ?? signal}) before ${pattern}; output:\n${out.slice(-3000)}`));
        });
        listeners.add(check);
        check();
      }),
  };
}

/** The environment of a child process without the test runner's own service settings. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|REDIS_URL|NODE_ENV|VITEST.*|OWABI_ROLE|SEED_DEMO|DATA_DIR)$/.test(key))
      delete env[key];
  }
  return { ...env, ...extra };
}
