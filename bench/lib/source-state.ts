import { execFileSync } from 'node:child_process';

/** The code under test: the commit, and how many files of the working tree differ from it. */
export function sourceState(repoRoot: string): { commit: string; dirty_files: number } {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return {
      commit: git(['rev-parse', '--short', 'HEAD']).trim(),
      dirty_files: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
    };
  } catch {
    return { commit: 'unknown', dirty_files: -1 };
  }
}
