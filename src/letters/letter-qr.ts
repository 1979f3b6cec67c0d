import QRCode from 'qrcode';
import { csvRecords } from '../platform/csv-records.js';

/**
 * The letters' QR codes as images, for a print vendor that wants a PNG or SVG per letter instead of
 * the verification_url column. Made from the letter print file itself (the once-only, audited
 * download): nothing is read from the database, and no image can exist for a letter not in a file
 * that was handed out. Each image holds the verification address only (no login key).
 */
export type QrFormat = 'svg' | 'png';

// The verification address as the service prints it: …/c/<slug>/letter/<token>.
const LETTER_URL = /^https?:\/\/[^\s"'<>]+\/c\/[a-z0-9][a-z0-9-]{1,62}\/letter\/[A-Za-z0-9_-]{22}$/;

export const isLetterUrl = (s: string): boolean => LETTER_URL.test(s);

export async function renderLetterQr(url: string, format: QrFormat): Promise<Buffer> {
  if (!isLetterUrl(url)) throw new Error('not a letter verification address');
  const options = { errorCorrectionLevel: 'M' as const, margin: 4 };
  if (format === 'svg') return Buffer.from(await QRCode.toString(url, { ...options, type: 'svg' }), 'utf8');
  return QRCode.toBuffer(url, { ...options, type: 'png', scale: 8 });
}

export interface LetterQr {
  /** The file name: the registration code as printed (a public identifier), and the format. */
  name: string;
  body: Buffer;
}

/**
 * One image per letter of a letter print file (header first; the registration code in the first
 * column, the verification address in the column named verification_url). Lines without a valid
 * address are reported by line number and skipped.
 */
export async function* letterQrImages(
  printFile: AsyncIterable<Buffer | string>,
  format: QrFormat,
  skipped: (line: number) => void,
): AsyncGenerator<LetterQr> {
  let urlColumn = -1;
  for await (const records of csvRecords(printFile)) {
    for (const rec of records) {
      if (urlColumn < 0) {
        urlColumn = rec.fields.indexOf('verification_url');
        if (urlColumn < 0) throw new Error('the file has no verification_url column');
        continue;
      }
      const code = rec.fields[0] ?? '';
      const url = rec.fields[urlColumn] ?? '';
      if (rec.error || !/^[0-9A-Z-]{12,16}$/.test(code) || !isLetterUrl(url)) {
        skipped(rec.line);
        continue;
      }
      yield { name: `${code}.${format}`, body: await renderLetterQr(url, format) };
    }
  }
}
