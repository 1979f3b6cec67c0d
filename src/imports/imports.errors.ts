import { AppError, errorFactory, type ErrorCode } from '../platform/errors.js';
import { IMPORT_TEXT } from './imports.messages.js';

/** Refusals of the imports domain. An upload's refusals are also shown beside its file field. */
const uploadRefused = (code: ErrorCode, message: string) =>
  new AppError(code, () => message, { fields: { file: message } });

export const ImportRunNotFound = errorFactory('not_found', (c) => c.common.notFound(IMPORT_TEXT.importRun));
/** Another import of the campaign holds its lease (import.lease.ts). */
export const ImportAlreadyRunning = errorFactory('conflict', () => IMPORT_TEXT.alreadyRunning);

export const ImportIntoPurgedCampaign = () => uploadRefused('conflict', IMPORT_TEXT.purgedCampaign);
export const NoCustomerFile = () => uploadRefused('validation', IMPORT_TEXT.chooseFile);
export const EmptyCustomerFile = () => uploadRefused('validation', IMPORT_TEXT.emptyFile);
/** The file's first line is not the customer CSV's header: `problem` says how, by line. */
export const CustomerCsvHeaderInvalid = (problem: string) => uploadRefused('validation', problem);

export const LettersNotReady = errorFactory('conflict', () => IMPORT_TEXT.lettersNotReady);
export const NoLetters = errorFactory('conflict', () => IMPORT_TEXT.noLetters);
export const LettersUnreadable = (cause: unknown) =>
  new AppError('unavailable', () => IMPORT_TEXT.lettersUnreadable, { cause });
