import pLimit from 'p-limit';

/**
 * Maps with at most `limit` calls in flight (the database has cores to spare, but not unlimited).
 * After the first failure no further item starts; the calls in flight are awaited, then that first
 * error is thrown, so nothing of this call still runs once it has returned or thrown.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const run = pLimit({ concurrency: limit, rejectOnClear: true });
  let failure: { err: unknown } | undefined;
  const settled = await Promise.allSettled(
    items.map((item) =>
      run(async () => {
        try {
          return await fn(item);
        } catch (err) {
          failure ??= { err };
          run.clearQueue(); // the items not started are rejected with an AbortError and never run
          throw err;
        }
      }),
    ),
  );
  if (failure) throw failure.err;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}
