import { AppError, errorFactory } from '../platform/errors.js';
import { FULFILMENT_TEXT as T } from './fulfilment-admin.messages.js';

/** The fulfilment console's refusals; the texts live in the domain's messages files. */

export const BatchNotFound = errorFactory('not_found', (c) => c.common.notFound(T.what.batch));
export const PurgeReportNotFound = errorFactory('not_found', (c) => c.common.notFound(T.what.purgeReport));

/** A shipped batch's manifest was deleted with the shipment (it is a copy of personal data). */
export const ManifestDeletedWithShipment = errorFactory('conflict', () => T.errors.shippedNoManifest);

// The two below carry a message per form field, which errorFactory does not take.

/** The upload form was sent without a file. */
export const NoShippedFileChosen = () =>
  new AppError('validation', () => T.errors.chooseFile, { fields: { file: T.errors.noFile } });

/** The shipped file does not start with the expected header: no column can be trusted, nothing is read. */
export const ShippedFileHeaderWrong = (columns: readonly string[]) =>
  new AppError('validation', () => T.errors.shippedHeader, {
    fields: { header: T.errors.shippedHeaderExpected(columns) },
  });
