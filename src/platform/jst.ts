import { FORMAT_JA } from '../messages/ja/format.js';
/**
 * Dates and times in Japan: the time zone of every campaign, customer and operator. One place, so
 * that a file name, a CSV cell and a page never disagree about which day it is.
 */
const OFFSET_MS = 9 * 3_600_000; // Japan keeps no daylight saving time
const shifted = (at: Date) => new Date(at.getTime() + OFFSET_MS).toISOString();

/** `2026-04-01` */
export const jstDay = (at: Date): string => shifted(at).slice(0, 10);
/** `20260401`, for a file name. */
export const jstStamp = (at: Date): string => jstDay(at).replace(/-/g, '');
/** `2026-04-01 09:30:00`, for a CSV cell. */
export const jstCsvDateTime = (at: Date): string => shifted(at).slice(0, 19).replace('T', ' ');

/** `2026年4月1日(水)` */
export const jstDate = (d: Date): string => FORMAT_JA.date(d);
/** `2026年4月1日 09:30` */
export const jstDateTime = (d: Date): string => FORMAT_JA.dateTime(d);
