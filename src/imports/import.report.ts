/** What an import did. It names lines and columns, never personal data or keys. */
export interface BadRow {
  line: number;
  /** CSV column, or "*" for the row as a whole (e.g. wrong number of fields). */
  column: string;
  message: string;
}

export interface LikelyDuplicate {
  line: number;
  /** The customer (already imported, or earlier in the file) who appears to be the same person. */
  existingRegistrationCode: string;
}

export interface ImportReport {
  rowsRead: number;
  imported: number;
  /** Rows whose customer_ref was imported by an earlier run: nothing added, no letter printed. */
  alreadyImported: number;
  /** Rows not imported because of errors (a row may have several entries in badRows). */
  badRowCount: number;
  /** At most MAX_LISTED entries. */
  badRows: BadRow[];
  likelyDuplicateCount: number;
  /** At most MAX_LISTED entries. */
  likelyDuplicates: LikelyDuplicate[];
  /**
   * Rows imported with a doubt about the address (its prefecture is not its postal code's): to
   * check before the letters go out. Absent in reports of runs from before it was counted.
   */
  addressWarningCount?: number;
  /** At most MAX_LISTED entries. */
  addressWarnings?: BadRow[];
  durationMs: number;
}

export const MAX_LISTED = 1000;

export class ReportBuilder {
  readonly report: ImportReport = {
    rowsRead: 0,
    imported: 0,
    alreadyImported: 0,
    badRowCount: 0,
    badRows: [],
    likelyDuplicateCount: 0,
    likelyDuplicates: [],
    addressWarningCount: 0,
    addressWarnings: [],
    durationMs: 0,
  };

  badRow(line: number, issues: { column: string; message: string }[]): void {
    this.report.badRowCount++;
    for (const issue of issues) {
      if (this.report.badRows.length >= MAX_LISTED) break;
      this.report.badRows.push({ line, ...issue });
    }
  }

  likelyDuplicate(line: number, existingRegistrationCode: string): void {
    this.report.likelyDuplicateCount++;
    if (this.report.likelyDuplicates.length < MAX_LISTED) {
      this.report.likelyDuplicates.push({ line, existingRegistrationCode });
    }
  }

  /** The row is imported, but its address is doubtful (see ImportReport.addressWarnings). */
  addressWarning(line: number, column: string, message: string): void {
    this.report.addressWarningCount = (this.report.addressWarningCount ?? 0) + 1;
    const list = (this.report.addressWarnings ??= []);
    if (list.length < MAX_LISTED) list.push({ line, column, message });
  }

  /** Lists sorted by line: batches resolve rows out of order (bad rows at once, others later). */
  finish(startedAt: number): ImportReport {
    this.report.badRows.sort((a, b) => a.line - b.line);
    this.report.likelyDuplicates.sort((a, b) => a.line - b.line);
    this.report.addressWarnings?.sort((a, b) => a.line - b.line);
    this.report.durationMs = Math.round(performance.now() - startedAt);
    return this.report;
  }
}

/**
 * The import stopped part-way. Batches before the failure are committed and their letters are in
 * the first `committedLetterBytes` bytes of the letter file: keep those, they hold the only copy of
 * those login keys. Bytes after it belong to a batch that was rolled back, unless `commitUncertain`
 * (the COMMIT itself failed, so the database must be checked before discarding them).
 */
export class ImportAbortedError extends Error {
  constructor(
    readonly report: ImportReport,
    readonly committedLetterBytes: number,
    readonly commitUncertain: boolean,
    cause: unknown,
  ) {
    super(`import stopped: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
