import { runLoad } from './load.js';
import type { LoadConfig } from './load-types.js';

/**
 * Entry of the forked load-client process: receives a LoadConfig, reports the phases (so that the
 * parent can read CPU counters at the edges of the measured window) and then the result.
 */
process.once('message', (cfg: LoadConfig) => {
  runLoad(cfg, (phase) => process.send?.({ type: 'phase', phase })).then(
    (result) => process.send?.({ type: 'result', result }, () => process.exit(0)),
    (err: unknown) =>
      process.send?.({ type: 'error', message: err instanceof Error ? err.stack : String(err) }, () =>
        process.exit(1),
      ),
  );
});
