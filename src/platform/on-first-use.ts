/**
 * A value made when first asked for, then kept (modules loaded on demand: the AWS SDK, BullMQ). A
 * failed attempt is not kept: the next ask tries again.
 */
export class OnFirstUse<T> {
  private value: Promise<T> | undefined;

  constructor(private readonly make: () => Promise<T>) {}

  get(): Promise<T> {
    this.value ??= this.make().catch((err: unknown) => {
      this.value = undefined;
      throw err;
    });
    return this.value;
  }

  /** What was made, or undefined when it never was (not asked for, or the attempt failed). */
  async made(): Promise<T | undefined> {
    return this.value?.catch(() => undefined);
  }
}
