import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { generateRegistrationCode } from '../src/customers/codes.js';
import { createApp } from '../src/app/create-app.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import { POSTCARD_CSV_HEADER } from '../src/postcards/postcard-csv.schema.js';
import { CSV_REPORT } from '../src/postcards/postcard.messages.js';
import { duplicateReason } from '../src/postcards/postcard.rules.js';
import { lockBatch, shareBatch } from '../src/postcards/postcard.repo.js';
import { redeemOnWeb } from '../src/redemption/redemption.service.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, redeem, type TestCustomer } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);

const today = () => jstDay(new Date());

/** A clerk with a fresh batch of `physicalCount` cards in a campaign of `people` customers. */
async function setup(physicalCount: number, people = 0, secondKeying = false) {
  const campaign = await buildCampaign(deps);
  const customers = await Promise.all(Array.from({ length: people }, () => buildCustomer(deps, campaign)));
  const staff = await buildStaff(deps, 'clerk');
  const ops = await new OpsBrowser(app).signIn(staff);
  const opened = await ops.post(
    `/ops/postcards/c/${campaign.slug}/batches`,
    { label: 'OCR', physicalCount: String(physicalCount), ...(secondKeying ? { secondKeying: '1' } : {}) },
    `/ops/postcards/c/${campaign.slug}`,
  );
  const batchId = /batches\/(\d+)$/.exec(opened.headers.location!)![1]!;
  const page = `/ops/postcards/batches/${batchId}`;
  const upload = async (csv: string | Buffer, name = 'ocr.csv') =>
    ops.agent
      .post(`${page}/upload`)
      .field('_csrf', await ops.token(page))
      .attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), name);
  return { campaign, customers, staff, ops, batchId, page, upload };
}

type Flag = 0 | 1 | 2; // 2 is a misread flag
type Flags = [book: Flag, donation: Flag, emoney: Flag, erasure: Flag, stop: Flag];
const row = (seq: number | string, code: string, f: Flags, postmark = today()) =>
  [seq, code, ...f, postmark].join(',');
const csv = (...rows: string[]) => [POSTCARD_CSV_HEADER, ...rows].join('\r\n') + '\r\n';

const entriesOf = (batchId: string) =>
  deps.db.selectFrom('postcard_entries').selectAll().where('batch_id', '=', batchId).orderBy('seq').execute();
const redemptionsOf = (campaign: Campaign) =>
  deps.db.selectFrom('redemptions').selectAll().where('campaign_id', '=', campaign.id).execute();
const codeOf = (c: TestCustomer | undefined) => c!.registrationCode;

describe('OCR CSV upload of keyed postcards', () => {
  it('when every row is good, then each card is decided like a keyed one, set-based, with intents, opt-outs and an audit entry', async () => {
    const t = await setup(6, 5);
    const [a, b, c, d, e] = t.customers;
    await redeem(deps, t.campaign, e!.id, { option: 'donation', dataChoice: 'none' });
    const res = await t.upload(
      csv(
        row(1, codeOf(a), [1, 0, 0, 0, 1]),
        row(
          2,
          codeOf(b)
            .toLowerCase()
            .replace(/(.{4})(?=.)/g, '$1-'),
          [0, 1, 0, 1, 0],
        ),
        row(3, codeOf(c), [1, 1, 0, 0, 0]),
        row(4, codeOf(d), [0, 0, 1, 0, 0]),
        row(5, codeOf(e), [1, 0, 0, 0, 0]),
        row(6, codeOf(a), [0, 1, 0, 0, 0]), // the same customer again in the same file
      ),
    );
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    expect(res.text).toContain('データ行 6 行のうち <strong>6</strong> 行を取り込みました。');
    const entries = await entriesOf(t.batchId);
    expect(entries.map((x) => x.outcome)).toEqual([
      'accepted',
      'accepted',
      'invalid',
      'invalid',
      'duplicate',
      'duplicate',
    ]);
    expect(entries.every((x) => x.entered_by === t.staff.id && x.keying === 1)).toBe(true);
    expect(entries[1]!.registration_code).toBe(codeOf(b));

    const rs = await redemptionsOf(t.campaign);
    const byCustomer = new Map(rs.map((r) => [r.customer_id, r]));
    expect(byCustomer.get(a!.id)).toMatchObject({
      channel: 'postcard',
      option: 'book_card',
      data_choice: 'marketing_optout',
    });
    expect(byCustomer.get(b!.id)).toMatchObject({
      channel: 'postcard',
      option: 'donation',
      data_choice: 'erasure',
    });
    expect(byCustomer.get(e!.id)).toMatchObject({ channel: 'web' });
    expect(byCustomer.has(c!.id) || byCustomer.has(d!.id)).toBe(false);
    const intents = await deps.db
      .selectFrom('outbox')
      .select('job_id')
      .where('job_id', 'in', [`fulfil-${byCustomer.get(a!.id)!.id}`, `fulfil-${byCustomer.get(b!.id)!.id}`])
      .execute();
    expect(intents).toHaveLength(2);
    const optOuts = await deps.db
      .selectFrom('suppression_list')
      .select('customer_id')
      .where('campaign_id', '=', t.campaign.id)
      .execute();
    expect(optOuts.map((o) => o.customer_id)).toEqual([a!.id]);
    const audit = await deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'postcard.csv_import')
      .where('target_id', '=', t.batchId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ cards: 6, firstSeq: 1, lastSeq: 6 });

    // All six positions keyed: the batch closes.
    expect((await t.ops.post(`${t.page}/close`, {}, t.page)).status).toBe(303);
  });

  it('when some rows are bad, then each is reported with its line number and left out, and the good rows are imported', async () => {
    const t = await setup(20, 3);
    const [a, b, c] = t.customers;
    const misread = codeOf(c).slice(0, 11) + (codeOf(c).endsWith('2') ? '3' : '2');
    const file = csv(
      row(1, codeOf(a), [1, 0, 0, 0, 0]), // line 2: good
      row(2, codeOf(b), [2, 0, 0, 0, 0]), // line 3: flag 2
      row(3, '', [0, 1, 0, 0, 0]), // line 4: empty code
      row(4, misread, [0, 1, 0, 0, 0]), // line 5: check character
      row(1, codeOf(b), [0, 1, 0, 0, 0]), // line 6: seq repeated
      row(21, codeOf(b), [0, 1, 0, 0, 0]), // line 7: beyond the tray
      row(6, codeOf(b), [0, 1, 0, 0, 0], jstDay(new Date(Date.now() + 2 * 86400_000))), // line 8: future
      row(7, codeOf(b), [0, 1, 0, 0, 0], '2026-13-01'), // line 9: not a date
      '8,' + codeOf(b) + ',0,1,0,0', // line 10: a column short
      row('x', codeOf(b), [0, 1, 0, 0, 0]), // line 11: seq not a number
      row(12, generateRegistrationCode(), [0, 1, 0, 0, 0]), // line 12: unknown code — a card, invalid
      row(13, codeOf(b), [0, 1, 0, 0, 0], '2026/1/5'), // line 13: good, another date form
    );
    const res = await t.upload(file);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'データ行 12 行のうち <strong>3</strong> 行を取り込みました。誤りのある <strong>9</strong> 行は取り込んでいません。',
    );
    const lines = [...res.text.matchAll(/<tr><td class="num">(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)].map(
      (m) => [Number(m[1]), m[2]!],
    );
    expect(lines.map(([l]) => l)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const message = Object.fromEntries(lines);
    expect(message[3]).toContain('book_card は 0 か 1');
    expect(message[4]).toContain('登録コードが空です');
    expect(message[5]).toContain('チェック文字');
    expect(message[6]).toContain('2 行目と重複');
    expect(message[7]).toContain('実枚数（20 枚）を超えて');
    expect(message[8]).toContain('未来の日付');
    expect(message[9]).toContain('消印日は');
    expect(message[10]).toContain('列の数が 6 です');
    expect(message[11]).toContain('seq は 1 以上の整数');

    const entries = await entriesOf(t.batchId);
    expect(entries.map((e) => [e.seq, e.outcome])).toEqual([
      [1, 'accepted'],
      [12, 'invalid'],
      [13, 'accepted'],
    ]);
    expect(entries[2]!.postmark_date).toBe('2026-01-05');

    // The gaps are keyed by hand, in tray order.
    const screen = await t.ops.get(t.page);
    expect(screen.text).toContain('はがき 2 番 / 20 枚');

    // Uploading the same file again writes nothing new: keyed positions are reported.
    const again = await t.upload(file);
    expect(again.status).toBe(400);
    expect(again.text).toContain('1 番はすでに入力されています');
    expect(await entriesOf(t.batchId)).toHaveLength(3);
  });

  it('when the header is wrong, the file is empty, has only a header, is not UTF-8 or has an unclosed quote, then 400 and nothing is imported', async () => {
    const t = await setup(5, 1);
    const good = row(1, codeOf(t.customers[0]), [1, 0, 0, 0, 0]);
    const cases: [string | Buffer, string][] = [
      [
        ['seq,code,book_card,donation,emoney,erasure,stop_marketing,postmark_date', good].join('\n'),
        '1行目の見出しは',
      ],
      [POSTCARD_CSV_HEADER.split(',').reverse().join(',') + '\n' + good, '1行目の見出しは'],
      [POSTCARD_CSV_HEADER + '\n', 'データ行がありません'],
      [
        Buffer.from([
          0xef,
          0xbb,
          0xbf,
          ...Buffer.from(POSTCARD_CSV_HEADER.toUpperCase() + '\n'),
          0x82,
          0xa0,
          0x0a,
        ]),
        'UTF-8 として読めません',
      ],
      [POSTCARD_CSV_HEADER + '\n1,"' + codeOf(t.customers[0]) + ',1,0,0,0,0,' + today(), '引用符'],
    ];
    for (const [file, message] of cases) {
      const res = await t.upload(file);
      expect(res.status, message).toBe(400);
      expect(res.text).toContain('何も取り込んでいません');
      expect(res.text).toContain(message);
    }
    expect(await entriesOf(t.batchId)).toHaveLength(0);
  });

  it('when no file or an empty one is sent, or the file is too large, then 400 with a clear message', async () => {
    const t = await setup(5);
    const none = await t.ops.agent.post(`${t.page}/upload`).field('_csrf', await t.ops.token(t.page));
    expect(none.status).toBe(400);
    expect(none.text).toContain('CSV ファイルを選んでください。');
    const empty = await t.upload(Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const huge = await t.upload(Buffer.alloc(21 * 1024 * 1024, 0x31));
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('ファイルが大きすぎます');
  });

  it('when a multipart post carries no or a wrong CSRF token, then 403; other routes never skip the check for multipart', async () => {
    const t = await setup(5, 1);
    const file = Buffer.from(csv(row(1, codeOf(t.customers[0]), [1, 0, 0, 0, 0])));
    const noToken = await t.ops.agent.post(`${t.page}/upload`).attach('file', file, 'a.csv');
    expect(noToken.status).toBe(403);
    const wrong = await t.ops.agent
      .post(`${t.page}/upload`)
      .field('_csrf', 'nope')
      .attach('file', file, 'a.csv');
    expect(wrong.status).toBe(403);
    expect(await entriesOf(t.batchId)).toHaveLength(0);
    const elsewhere = await t.ops.agent
      .post(`${t.page}/close`)
      .field('_csrf', await t.ops.token(t.page))
      .field('x', '1');
    expect(elsewhere.status).toBe(403);
  });

  it('when the batch is keyed twice, then the file is the first keying: pending verification, no redemption yet', async () => {
    const t = await setup(2, 2, true);
    const res = await t.upload(
      csv(row(1, codeOf(t.customers[0]), [1, 0, 0, 0, 0]), row(2, codeOf(t.customers[1]), [0, 1, 0, 0, 0])),
    );
    expect(res.status).toBe(200);
    expect((await entriesOf(t.batchId)).map((e) => e.outcome)).toEqual([
      'pending_verification',
      'pending_verification',
    ]);
    expect(await redemptionsOf(t.campaign)).toHaveLength(0);
    // A second file is refused: the first keying is complete.
    const second = await t.upload(csv(row(1, codeOf(t.customers[0]), [1, 0, 0, 0, 0])));
    expect(second.status).toBe(409);
    expect(second.text).toContain('CSV で取り込めるのは1回目の入力だけです');
  });
  it("when a customer's cards fall far apart in a long file, then the first in tray order is accepted and the later one names it, whichever chunk commits first", async () => {
    const t = await setup(2002, 1);
    const a = codeOf(t.customers[0]);
    const rows = [row(1, a, [1, 0, 0, 0, 0])];
    for (let seq = 2; seq <= 2001; seq++) rows.push(row(seq, generateRegistrationCode(), [1, 0, 0, 0, 0]));
    rows.push(row(2002, a, [0, 1, 0, 0, 0]));
    const res = await t.upload(csv(...rows));
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    expect(res.text).toContain('データ行 2002 行のうち <strong>2002</strong> 行を取り込みました。');
    const entries = await entriesOf(t.batchId);
    expect(entries).toHaveLength(2002);
    expect(entries[0]).toMatchObject({ seq: 1, outcome: 'accepted' });
    expect(entries[2001]).toMatchObject({
      seq: 2002,
      outcome: 'duplicate',
      reason: CSV_REPORT.sameFileAccepted(1),
      redemption_id: entries[0]!.redemption_id,
    });
    expect(await redemptionsOf(t.campaign)).toMatchObject([{ option: 'book_card', channel: 'postcard' }]);
  });

  it('when the same file is uploaded twice at the same moment, then each card is keyed once and redeemed once, the other upload reports its positions as taken', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await setup(5, 5);
      const file = csv(...t.customers.map((c, i) => row(i + 1, codeOf(c), [1, 0, 0, 0, 0])));
      const both = await Promise.all([t.upload(file), t.upload(file)]);
      // One may start when the other has keyed every position: the first keying is then complete
      // (409). Otherwise both report (400 when none of the rows could be imported).
      const reports = both.filter((r) => r.status !== 409);
      const imported = reports.map((r) =>
        Number(/のうち <strong>(\d+)<\/strong> 行を取り込みました/.exec(r.text)?.[1]),
      );
      expect(imported.reduce((x, y) => x + y)).toBe(5);
      for (const [i, r] of reports.entries()) {
        expect(r.status).toBe(imported[i] === 0 ? 400 : 200);
        if (imported[i]! < 5) expect(r.text).toContain(CSV_REPORT.seqTaken(5));
      }
      const entries = await entriesOf(t.batchId);
      expect(entries.map((e) => [e.seq, e.outcome])).toEqual([1, 2, 3, 4, 5].map((s) => [s, 'accepted']));
      const rs = await redemptionsOf(t.campaign);
      expect(rs).toHaveLength(5);
      expect(new Set(rs.map((r) => r.id))).toEqual(new Set(entries.map((e) => e.redemption_id)));
    }
  });
  it("when the web redeems between the file's lookup and its insert, then both of the customer's cards are duplicates of the web redemption", async () => {
    const t = await setup(2, 1);
    const c = t.customers[0]!;
    // The web redemption waits uncommitted: the file's lookup does not see it, its insert waits on it.
    const web = await deps.db.startTransaction().execute();
    const { redemptionId } = await redeemOnWeb(
      web,
      t.campaign,
      c.id,
      { option: 'donation', dataChoice: 'none' },
      new Date(),
    );
    const upload = t.upload(csv(row(1, codeOf(c), [1, 0, 0, 0, 0]), row(2, codeOf(c), [0, 1, 0, 0, 0])));
    await waitForLockWait('%insert into redemptions%');
    await web.commit().execute();
    expect((await upload).status).toBe(200);
    const [standing] = await redemptionsOf(t.campaign);
    const reason = duplicateReason({ channel: 'web', redeemedAt: standing!.redeemed_at });
    expect((await entriesOf(t.batchId)).map((e) => [e.seq, e.outcome, e.reason, e.redemption_id])).toEqual([
      [1, 'duplicate', reason, redemptionId],
      [2, 'duplicate', reason, redemptionId],
    ]);
  });

  it("when a clerk waits for a batch that a file's chunk holds, then a chunk that comes later waits behind the clerk", async () => {
    const t = await setup(2);
    const chunk1 = await deps.db.startTransaction().execute();
    await shareBatch(chunk1, t.batchId);
    const clerk = await deps.db.startTransaction().execute();
    const clerkHas = lockBatch(clerk, t.batchId);
    await waitForLockWait('%pg_advisory_xact_lock(%postcard_batches%');
    const chunk2 = await deps.db.startTransaction().execute();
    let chunk2Has = false;
    const chunk2Lock = shareBatch(chunk2, t.batchId).then(() => (chunk2Has = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(chunk2Has).toBe(false); // not let in beside the first chunk while the clerk waits
    await chunk1.commit().execute();
    await clerkHas;
    expect(chunk2Has).toBe(false);
    await clerk.commit().execute();
    await chunk2Lock;
    await chunk2.commit().execute();
  });
});

/** Until a session of the test database running a statement like `pattern` waits for a lock. */
async function waitForLockWait(pattern: string) {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query like ${pattern}`.execute(
      deps.db,
    );
    if (Number(rows[0]!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('nobody waited for a lock');
}
