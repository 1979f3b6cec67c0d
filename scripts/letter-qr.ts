import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { letterQrImages, type QrFormat } from '../src/letters/letter-qr.js';

/**
 * `npx tsx scripts/letter-qr.ts --letters letters.csv --out qr/ [--format svg|png]`: one QR image
 * per letter of a letter print file (the import's or a reissue's), named by its registration code,
 * for a print vendor that wants images rather than the verification_url column. It reads only the
 * file (no database, no secret): the file's once-only, audited download stays the only way to a
 * letter. The folder is created private (0700), like the file it is made from.
 */
const { values } = parseArgs({
  options: { letters: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
});
const format = (values.format ?? 'svg') as QrFormat;
if (!values.letters || !values.out || (format !== 'svg' && format !== 'png')) {
  console.error('usage: npx tsx scripts/letter-qr.ts --letters letters.csv --out DIR [--format svg|png]');
  process.exit(64);
}
await fs.mkdir(values.out, { recursive: true, mode: 0o700 });
let written = 0;
const skipped: number[] = [];
for await (const qr of letterQrImages(createReadStream(values.letters), format, (line) =>
  skipped.push(line),
)) {
  await fs.writeFile(path.join(values.out, qr.name), qr.body, { mode: 0o600 });
  written++;
}
console.log(JSON.stringify({ written, skippedLines: skipped }));
if (skipped.length > 0) process.exitCode = 65;
