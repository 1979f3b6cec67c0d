/** Small helpers of the bulk import's steps (import.bulk.ts). */

/** Both results; when one fails, waits for the other to stop touching the load tables, then throws. */
export async function allOrFirstFailure<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

export type PhaseTimer = <T>(name: string, work: Promise<T>) => Promise<T>;

export function phaseTimer(onPhase?: (phase: string, ms: number) => void): PhaseTimer {
  return async (name, work) => {
    const started = performance.now();
    const result = await work;
    onPhase?.(name, performance.now() - started);
    return result;
  };
}
