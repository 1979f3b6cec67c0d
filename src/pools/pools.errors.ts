import { AppError } from '../platform/errors.js';
import { POOL_TEXT } from './pools.messages.js';

/** Refusals of a code upload, each also about the form's file field. */
const uploadRefused = (code: 'validation' | 'conflict', message: string) =>
  new AppError(code, () => message, { fields: { file: message } });

/** The campaign takes no codes: `reason` (from poolUploadRefusal) says why. */
export const PoolUploadRefused = (reason: string) => uploadRefused('validation', reason);
export const NoCodeFile = () => uploadRefused('validation', POOL_TEXT.chooseFile);
/** Another upload stored some of the same codes between the check and the insert. */
export const CodesTakenMeanwhile = () => uploadRefused('conflict', POOL_TEXT.takenMeanwhile);
