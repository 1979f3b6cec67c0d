import { errorFactory } from '../platform/errors.js';
import { REPORT_TEXT } from './reports.messages.js';

/** An unknown campaign id (or not an id at all) in a report's address. */
export const ReportCampaignNotFound = errorFactory('not_found', (c) =>
  c.common.notFound(REPORT_TEXT.campaign),
);
/** A CSV file name that is no report's. */
export const ReportNotFound = errorFactory('not_found', (c) => c.common.notFound(REPORT_TEXT.report));
