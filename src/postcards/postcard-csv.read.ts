import { CsvFormatError, csvRecords } from '../platform/csv-records.js';
import { checkHeader, parseRow, postcardRowSchema, type CsvCard } from './postcard-csv.schema.js';
import { CSV_REPORT } from './postcard.messages.js';
import type { PostcardBatchRow, PostcardOutcome } from './postcard.table.js';

/** Reading an OCR file: the whole file is validated row by row before anything is written. */

export const MAX_LISTED_BAD_ROWS = 1000;

export interface CsvBadRow {
  line: number;
  messages: string[];
}

export interface CsvImportReport {
  /** Data rows read (the header not counted). */
  rows: number;
  imported: number;
  outcomes: Partial<Record<PostcardOutcome, number>>;
  badRowCount: number;
  /** The first MAX_LISTED_BAD_ROWS bad rows. */
  badRows: CsvBadRow[];
  /** Set when the file as a whole could not be read: then nothing was imported. */
  fileError: string | null;
}

export class CsvReport implements CsvImportReport {
  rows = 0;
  imported = 0;
  outcomes: Partial<Record<PostcardOutcome, number>> = {};
  badRowCount = 0;
  badRows: CsvBadRow[] = [];
  fileError: string | null = null;
  bad(line: number, messages: string[]) {
    this.badRowCount++;
    if (this.badRows.length < MAX_LISTED_BAD_ROWS) this.badRows.push({ line, messages });
  }
  count(outcome: PostcardOutcome) {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    this.imported++;
  }
  plain(): CsvImportReport {
    this.badRows.sort((a, b) => a.line - b.line);
    return { ...this };
  }
}

async function* once(buf: Buffer) {
  yield buf;
}

/** Reads and validates the whole file; returns the good cards in tray order. */
export async function readCards(
  file: Buffer,
  batch: PostcardBatchRow,
  keyed: Set<number>,
  report: CsvReport,
  now: Date,
) {
  const schema = postcardRowSchema(batch.physical_count, now);
  const cards: CsvCard[] = [];
  const lineOfSeq = new Map<number, number>();
  let headerSeen = false;
  for await (const records of csvRecords(once(file))) {
    for (const rec of records) {
      if (!headerSeen) {
        headerSeen = true;
        const problem = checkHeader(rec);
        if (problem) throw new CsvFormatError(rec.line, problem);
        continue;
      }
      report.rows++;
      const r = parseRow(rec, schema);
      if ('messages' in r) {
        report.bad(rec.line, r.messages);
        continue;
      }
      const seq = r.card.seq;
      const earlier = lineOfSeq.get(seq);
      if (earlier !== undefined) report.bad(rec.line, [CSV_REPORT.seqRepeated(seq, earlier)]);
      else if (keyed.has(seq)) report.bad(rec.line, [CSV_REPORT.seqTaken(seq)]);
      else {
        lineOfSeq.set(seq, rec.line);
        cards.push(r.card);
      }
    }
  }
  if (!headerSeen) throw new CsvFormatError(1, CSV_REPORT.empty);
  if (report.rows === 0) throw new CsvFormatError(2, CSV_REPORT.headerOnly);
  return cards.sort((a, b) => a.seq - b.seq);
}
