import { describe, expect, it } from 'vitest';
import { inParallel } from '../src/platform/in-parallel.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inParallel', () => {
  it('keeps at most `limit` calls in flight and returns the results in the order of the items', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await inParallel([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick(n);
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing after the first failure, waits for the calls in flight, then throws that failure', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const err = await inParallel([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      try {
        await tick(n === 1 ? 1 : 20);
        if (n <= 2) throw new Error(`call ${n}`);
      } finally {
        settled.push(n);
      }
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('call 1');
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([1, 2]);
  });
});
