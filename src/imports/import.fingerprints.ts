/**
 * A set of 64-bit fingerprints (two 32-bit halves), open addressing in one typed array: about 16
 * bytes a key, where a Set of strings takes five times that. The bulk import keeps three (codes,
 * customer references, persons) to notice a repeat without asking the database for every row. A
 * fingerprint seen twice is only a candidate: the database decides on the full values.
 */
export class FingerprintSet {
  private slots: Uint32Array;
  private size = 0;

  constructor(capacity = 1 << 16) {
    // A power of two, so that a mask finds the slot.
    let slots = 16;
    while (slots < capacity) slots *= 2;
    this.slots = new Uint32Array(2 * slots);
  }

  /** Adds the fingerprint; false when it was there already. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    // (0, 0) marks a free slot; such a fingerprint is stored as (0, 1), a harmless extra candidate.
    if (hi === 0 && lo === 0) lo = 1;
    if (2 * (this.size + 1) > this.slots.length / 2) this.grow();
    const added = FingerprintSet.place(this.slots, hi, lo);
    if (added) this.size++;
    return added;
  }

  private static place(slots: Uint32Array, hi: number, lo: number): boolean {
    const mask = slots.length / 2 - 1;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const h = slots[2 * i]!;
      const l = slots[2 * i + 1]!;
      if (h === 0 && l === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        return true;
      }
      if (h === hi && l === lo) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) FingerprintSet.place(this.slots, old[i]!, old[i + 1]!);
    }
  }
}
