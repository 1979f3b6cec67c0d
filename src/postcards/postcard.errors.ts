import { errorFactory, type AppError } from '../platform/errors.js';
import { BATCH_PAGE, NOTICE_PAGE, POSTCARD_REFUSALS as M, SECOND_KEYING } from './postcard.messages.js';

/** Console errors of the postcard pages (texts in postcard.messages.ts). */

export const BatchClosed = errorFactory('conflict', () => M.batchClosed);
/** Postcards come in after the deadline too: only open and closed campaigns take them. */
export const NoPostcardsTaken = errorFactory('conflict', () => M.noPostcards);
export const CloseCountMismatch = errorFactory('conflict', (_c, keyed: number, physical: number) =>
  M.closeCountMismatch(keyed, physical),
);
export const CloseSecondKeyingIncomplete = errorFactory('conflict', (_c, keyed: number, physical: number) =>
  M.closeSecondKeyingIncomplete(keyed, physical),
);
const countBelowKeyed = errorFactory('validation', (_c, maxSeq: number) => M.countBelowKeyed(maxSeq));
/** The physical count may not drop below what is keyed (the field says so too). */
export const CountBelowKeyed = Object.assign(
  (maxSeq: number): AppError => {
    const error = countBelowKeyed(maxSeq);
    error.fields.physicalCount = M.countBelowKeyedField;
    return error;
  },
  { is: countBelowKeyed.is },
);
export const CountFixedBySecondKeying = errorFactory('conflict', () => M.countFixedBySecondKeying);
export const SeqTaken = errorFactory('conflict', (_c, seq: number) => M.seqTaken(seq));
export const SeqBeyondCount = errorFactory('validation', (_c, seq: number, physical: number) =>
  M.seqBeyondCount(seq, physical),
);
export const NotKeyedTwice = errorFactory('validation', () => M.notKeyedTwice);
export const FirstKeyingOpen = errorFactory('conflict', () => M.firstKeyingOpen);
/** The second keying is a second person's reading. */
export const SecondKeyerRefused = errorFactory('forbidden', () => SECOND_KEYING.refused);
export const CsvFirstKeyingOnly = errorFactory('conflict', () => M.csvFirstKeyingOnly);
export const FollowupDone = errorFactory('conflict', () => M.followupDone);
export const ReadingsOnlyForMismatch = errorFactory('validation', () => M.readingsOnlyForMismatch);
export const ReadingsIncomplete = errorFactory('conflict', () => M.readingsIncomplete);
export const NoticeDone = errorFactory('conflict', () => NOTICE_PAGE.alreadyDone);

export const UploadTooLarge = errorFactory('validation', (_c, maxBytes: number) =>
  BATCH_PAGE.fileTooLarge(maxBytes / 1024 / 1024),
);
export const UploadOneFileOnly = errorFactory('validation', () => BATCH_PAGE.oneFileOnly);
export const UploadUnreadable = errorFactory('validation', () => BATCH_PAGE.fileUnreadable);
/** A multipart form's CSRF token, checked after its parser ran (the app-level check skips uploads). */
export const UploadCsrfRejected = errorFactory('csrf', (c) => c.common.csrf);

type Refusal = { is(err: unknown): err is AppError };

/** What the batch screen's forms (a card, the count, closing, the upload) may be refused with. */
export const BATCH_REFUSALS: readonly Refusal[] = [
  BatchClosed,
  NoPostcardsTaken,
  CloseCountMismatch,
  CloseSecondKeyingIncomplete,
  CountBelowKeyed,
  CountFixedBySecondKeying,
  SeqTaken,
  SeqBeyondCount,
  NotKeyedTwice,
  FirstKeyingOpen,
  SecondKeyerRefused,
  CsvFirstKeyingOnly,
];

/** What the follow-up page's forms (resolve a card, mark a notice done) may be refused with. */
export const FOLLOWUP_REFUSALS: readonly Refusal[] = [
  FollowupDone,
  ReadingsOnlyForMismatch,
  ReadingsIncomplete,
  NoticeDone,
];
