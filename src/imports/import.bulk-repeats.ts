import { generateRegistrationCode } from '../customers/codes.js';
import { codeFingerprint, type BulkBlockOut } from './import.bulk-rows.js';
import { FingerprintSet } from './import.fingerprints.js';

/**
 * What repeats in the file, noticed as the blocks come back: a registration code drawn twice gets a
 * fresh one at once; a customer reference or a person seen twice (by a 64-bit fingerprint) is a
 * candidate the database then decides on with the full hashes. Also keeps each row's line by id,
 * so the report can name the lines the database takes out (12 bytes a row).
 */
export class BulkRepeats {
  private readonly codes = new FingerprintSet();
  private readonly refs = new FingerprintSet();
  private readonly persons = new FingerprintSet();
  readonly refCandidates: Buffer[] = [];
  readonly personCandidates: Buffer[] = [];
  /** Customers whose code repeated an earlier one, with their new code. */
  readonly recoded: { id: number; code: string }[] = [];
  private readonly blocks: { ids: Float64Array; lines: Int32Array }[] = [];

  /** Good rows seen. */
  rows = 0;

  note(out: BulkBlockOut): void {
    this.rows += out.ids.length;
    if (out.ids.length > 0) this.blocks.push({ ids: out.ids, lines: out.lines });
    const fp = out.fingerprints;
    for (let i = 0; i < out.ids.length; i++) {
      if (!this.codes.add(fp[6 * i]!, fp[6 * i + 1]!)) this.recode(out.ids[i]!);
      if (!this.refs.add(fp[6 * i + 2]!, fp[6 * i + 3]!)) this.refCandidates.push(prefix(fp, 6 * i + 2));
      if (!this.persons.add(fp[6 * i + 4]!, fp[6 * i + 5]!))
        this.personCandidates.push(prefix(fp, 6 * i + 4));
    }
  }

  private recode(id: number): void {
    for (;;) {
      const code = generateRegistrationCode();
      const [hi, lo] = codeFingerprint(code);
      if (this.codes.add(hi, lo)) {
        this.recoded.push({ id, code });
        return;
      }
    }
  }

  /** The file line of a loaded customer (ids increase with lines: blocks are numbered in order). */
  lineOf(id: number): number {
    if (this.blocks.length === 0) throw new Error(`customer ${id} is not of this import`);
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid]!.ids[0]! <= id) lo = mid;
      else hi = mid - 1;
    }
    const block = this.blocks[lo]!;
    const at = block.ids.indexOf(id);
    if (at < 0) throw new Error(`customer ${id} is not of this import`);
    return block.lines[at]!;
  }
}

/** The first 8 bytes of a hash, from its fingerprint's two halves. */
function prefix(fp: Uint32Array, at: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(fp[at]!, 0);
  b.writeUInt32BE(fp[at + 1]!, 4);
  return b;
}
