/** Helpers for tests of the database's own guards: keys, triggers and the locks they take. */

/**
 * The SQLSTATE of the statement's refusal when its message or detail names `naming` (so another
 * table's key refusing it does not pass for this one); otherwise what was said, or 'not refused'.
 */
export async function refusalNaming(work: Promise<unknown>, naming: string): Promise<string | undefined> {
  const e = (await work.then(
    () => undefined,
    (err: unknown) => err,
  )) as { code?: string; message?: string; detail?: string } | undefined;
  if (!e) return 'not refused';
  const said = `${e.message ?? ''} ${e.detail ?? ''}`;
  return said.includes(naming) ? e.code : `${e.code}: ${said}`;
}

/** Whether `p` is still pending after `ms`: it waits for a lock. */
export const stillWaiting = (p: Promise<unknown>, ms = 300) =>
  Promise.race([
    p.then(
      () => false,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(true), ms)),
  ]);
