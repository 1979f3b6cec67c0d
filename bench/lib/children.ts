import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { executablePath, processTree } from './procfs.js';

/** A server the benchmark started: its process, and the last lines it wrote (for error reports). */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  tail(): string;
  /** Lines written to stdout/stderr so far (with LOG_LEVEL=warn: warnings and errors). */
  lineCount(): number;
}

export function spawnService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  nodeBin = process.execPath,
): ServiceProcess {
  const child = spawn(nodeBin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const lines: string[] = [];
  let count = 0;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      count++;
      lines.push(line.length > 500 ? `${line.slice(0, 500)} …` : line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, pid: child.pid, tail: () => lines.join('\n'), lineCount: () => count };
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls `url` until it answers 200; fails early when the process exits. */
export async function waitForHttpOk(service: ServiceProcess, url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(
        `${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before serving:\n${service.tail()}`,
      );
    }
    if ((await getStatus(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs} ms:\n${service.tail()}`);
}

/**
 * Waits until the process tree holds at least `n` processes running the root's own executable (a
 * node cluster: the primary and its forks), whatever that binary is called.
 */
export async function waitForProcesses(rootPid: number, n: number, timeoutMs: number): Promise<void> {
  const exe = executablePath(rootPid);
  if (!exe) throw new Error(`cannot read /proc/${rootPid}/exe: is the process gone?`);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (processTree(rootPid).filter((p) => executablePath(p) === exe).length >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${n} processes of ${exe} under pid ${rootPid} within ${timeoutMs} ms`);
}

/**
 * SIGTERM to the service (it shuts its cluster down itself), then SIGKILL to whatever of its tree
 * is left after `graceMs`. Only the pids of this tree are signalled.
 */
export async function stopService(service: ServiceProcess, graceMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const tree = processTree(service.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
  ]);
  const leftovers = tree.filter((pid) => pid !== service.pid && processTree(pid).length > 0);
  if (timedOut) child.kill('SIGKILL');
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (timedOut) await exited;
}
