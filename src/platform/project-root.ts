import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding `views/` and `package.json`, found by walking up: the same answer from
 * `src/…` run by tsx and from the compiled `dist/src/…`.
 */
export function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'views'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no views/ folder above ${from}`);
  }
}
