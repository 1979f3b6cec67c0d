import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readHeads } from '../src/audit/audit.heads.js';
import { listEntries } from '../src/audit/audit.repo.js';
import { audit } from '../src/audit/audit.service.js';
import { createApp } from '../src/app/create-app.js';
import { useOwnerDb, useTestDeps } from './support/context.js';
import { buildCampaign } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

const deps = useTestDeps();
const owner = useOwnerDb();
const app = createApp(deps);

/** Rolls a transaction back on purpose, after the test has looked inside it. */
class Rollback extends Error {}

const signedIn = async (role: 'auditor' | 'admin' | 'supervisor' | 'clerk') => {
  const staff = await buildStaff(deps, role);
  return { staff, ops: await new OpsBrowser(app).signIn(staff) };
};

/** Ids shown in the list, in order. */
const idsOn = (html: string) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => m[1]!);

const entriesOf = (campaignId: string) => listEntries(deps.db, { campaignId }, 1000);

describe('the audit log pages', () => {
  it('when an auditor filters by campaign and action prefix, then only those entries show, newest first', async () => {
    const campaign = await buildCampaign(deps);
    const { staff, ops } = await signedIn('auditor');
    for (const action of ['test.alpha', 'test.alpha.more', 'test.beta_x', 'test.betaQx', 'other.alpha'])
      await audit(deps.db, { staffId: staff.id, action, campaignId: campaign.id }, new Date());
    const ids = (await entriesOf(campaign.id)).map((e) => e.id);

    const alpha = await ops.get(`/ops/audit?campaign=${campaign.id}&action=test.alpha`);
    expect(alpha.status).toBe(200);
    expect(idsOn(alpha.text)).toEqual([ids[3], ids[4]]);
    // `_` is a character here, not LIKE's wildcard.
    const beta = await ops.get(`/ops/audit?campaign=${campaign.id}&action=TEST.BETA_`);
    expect(idsOn(beta.text)).toEqual([ids[2]]);
    // Empty fields mean "no filter".
    const all = await ops.get(`/ops/audit?campaign=${campaign.id}&action=&staff=&from=&to=`);
    expect(idsOn(all.text)).toEqual(ids);
    expect(all.text).toContain('test.betaQx');
  });

  it('when an entry is listed, then its action, target and details read in Japanese, keys and values kept as recorded', async () => {
    const campaign = await buildCampaign(deps);
    const { staff, ops } = await signedIn('auditor');
    const details = { step: 'totp', batchIds: ['7', '8'], filter: { from: '2026-04-01' } };
    const event = { staffId: staff.id, targetType: 'staff', targetId: staff.id, campaignId: campaign.id };
    await audit(deps.db, { ...event, action: 'staff.sign_in', details }, new Date());
    const html = (await ops.get(`/ops/audit?campaign=${campaign.id}`)).text;
    expect(html).toContain('<td>ログイン</td>');
    expect(html).toContain(`<td>スタッフ：<span translate="no">${staff.id}</span></td>`);
    expect(html).toMatch(/<dt>段階<\/dt>\s*<dd>確認コード（TOTP）<\/dd>/);
    expect(html).toMatch(/<dt>出荷バッチのID<\/dt>\s*<dd><span translate="no">7、8<\/span><\/dd>/);
    expect(html).toMatch(/<dt>開始日<\/dt>\s*<dd><span translate="no">2026-04-01<\/span><\/dd>/);
    expect(html.slice(html.indexOf('<table'))).not.toMatch(/staff\.sign_in|step|batchIds/);
  });

  it('when filtered by staff and by Japanese dates, then the day boundary is midnight in Japan', async () => {
    const campaign = await buildCampaign(deps);
    const { staff, ops } = await signedIn('admin');
    const other = await buildStaff(deps, 'clerk');
    // 23:30 on 1 January and 00:30 on 2 January 2030 in Japan.
    await audit(
      deps.db,
      { staffId: staff.id, action: 't.late', campaignId: campaign.id },
      new Date('2030-01-01T14:30:00Z'),
    );
    await audit(
      deps.db,
      { staffId: staff.id, action: 't.early', campaignId: campaign.id },
      new Date('2030-01-01T15:30:00Z'),
    );
    await audit(
      deps.db,
      { staffId: other.id, action: 't.other', campaignId: campaign.id },
      new Date('2030-01-01T15:40:00Z'),
    );
    const [otherId, earlyId, lateId] = (await entriesOf(campaign.id)).map((e) => e.id);

    const day2 = await ops.get(`/ops/audit?campaign=${campaign.id}&from=2030-01-02&to=2030-01-02`);
    expect(idsOn(day2.text)).toEqual([otherId, earlyId]);
    const day1 = await ops.get(`/ops/audit?campaign=${campaign.id}&to=2030-01-01`);
    expect(idsOn(day1.text)).toEqual([lateId]);
    const byStaff = await ops.get(`/ops/audit?campaign=${campaign.id}&staff=${other.id}`);
    expect(idsOn(byStaff.text)).toEqual([otherId]);
  });

  it('when there are more entries than a page, then the next page continues below the last id', async () => {
    const campaign = await buildCampaign(deps);
    const { staff, ops } = await signedIn('auditor');
    for (let i = 0; i < 103; i++)
      await audit(deps.db, { staffId: staff.id, action: 'test.page', campaignId: campaign.id }, new Date());
    const ids = (await entriesOf(campaign.id)).map((e) => e.id);

    const first = await ops.get(`/ops/audit?campaign=${campaign.id}`);
    expect(idsOn(first.text)).toEqual(ids.slice(0, 100));
    const next = /href="(\/ops\/audit\?[^"]*before=\d+[^"]*)">さらに古い記録/
      .exec(first.text)![1]!
      .replace(/&amp;/g, '&');
    const second = await ops.get(next);
    expect(idsOn(second.text)).toEqual(ids.slice(100));
    expect(second.text).not.toContain('さらに古い記録');
  });

  it('when a filter is malformed, then 400 with a message for that field and nothing listed', async () => {
    const { ops } = await signedIn('auditor');
    const cases: [string, RegExp][] = [
      ['staff=abc', /スタッフを一覧から選んでください/],
      ['campaign=1;drop', /キャンペーンを一覧から選んでください/],
      ['from=2024-13-45', /開始日は YYYY-MM-DD/],
      ['to=2024-02-30', /終了日は YYYY-MM-DD/],
      ['from=2024-05-02&to=2024-05-01', /終了日は開始日以降/],
      ['action=%25', /操作の種類は/],
      ['before=-1', /ページの指定が正しくありません/],
      ['staff=1&staff=2', /スタッフを一覧から選んでください/],
      ['campaign=99999999999999999999999', /キャンペーンを一覧から選んでください/],
    ];
    for (const [query, message] of cases) {
      for (const path of ['/ops/audit', '/ops/audit/export.csv']) {
        const res = await ops.get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(res.text, query).toMatch(message);
        expect(res.text, query).toContain('検索条件をご確認ください');
      }
    }
  });

  it('when an auditor exports, then the CSV holds the filtered entries with their hashes, and the export is audited', async () => {
    const campaign = await buildCampaign(deps);
    const { staff, ops } = await signedIn('auditor');
    await audit(
      deps.db,
      {
        staffId: staff.id,
        action: 'test.export',
        campaignId: campaign.id,
        reason: '=SUM(A1)',
        details: { n: 1 },
      },
      new Date(),
    );
    await audit(deps.db, { staffId: null, action: 'test.export', campaignId: campaign.id }, new Date());
    const entries = await entriesOf(campaign.id);

    const res = await ops.get(`/ops/audit/export.csv?campaign=${campaign.id}`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?audit-log-\d{14}\.csv/);
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,at,staff_id,staff_username,action,target_type,target_id,campaign_id,reason,details,prev_hash,hash',
    );
    expect(lines.slice(1)).toEqual([
      `${entries[0]!.id},${entries[0]!.at.toISOString()},,,test.export,,,${campaign.id},,{},${entries[0]!.prev_hash.toString('hex')},${entries[0]!.hash.toString('hex')}`,
      // A reason that looks like a formula is defused.
      `${entries[1]!.id},${entries[1]!.at.toISOString()},${staff.id},${staff.username},test.export,,,${campaign.id},'=SUM(A1),"{""n"":1}",${entries[1]!.prev_hash.toString('hex')},${entries[1]!.hash.toString('hex')}`,
    ]);
    const logged = await listEntries(deps.db, { staffId: staff.id, action: 'audit.export' }, 10);
    expect(logged.map((e) => e.details)).toContainEqual({
      filter: { campaign: campaign.id },
      upToId: expect.stringMatching(/^\d+$/),
    });
    // The file is named by the export's date and time in Japan, not in UTC.
    const jst = new Date(logged[0]!.at.getTime() + 9 * 3_600_000).toISOString().slice(0, 19);
    expect(res.headers['content-disposition']).toContain(`audit-log-${jst.replace(/\D/g, '')}.csv`);
  });

  it('when an auditor verifies the chain, then the page says how many entries were checked and that it is intact, audited', async () => {
    const { staff, ops } = await signedIn('auditor');
    const res = await ops.post('/ops/audit/verify', {}, '/ops/audit');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/正常：[\d,]+件の記録を検証し/);
    const [entry] = await listEntries(deps.db, { staffId: staff.id, action: 'audit.verify' }, 1);
    expect(entry!.details).toMatchObject({ valid: true, brokenAt: null, entries: expect.any(Number) });
    // The head, with the verification's own entry, went to the file outside the database.
    expect(BigInt((await readHeads(deps.config.AUDIT_HEAD_FILE!)).at(-1)!.id)).toBeGreaterThanOrEqual(
      BigInt(entry!.id),
    );
  });

  it('when a supervisor or a clerk asks for the audit log, then 403', async () => {
    for (const role of ['supervisor', 'clerk'] as const) {
      const { ops } = await signedIn(role);
      expect((await ops.get('/ops/audit')).status).toBe(403);
      expect((await ops.get('/ops/audit/export.csv')).status).toBe(403);
      expect((await ops.post('/ops/audit/verify')).status).toBe(403);
    }
  });
});

describe('the audit chain', () => {
  // Rewriting, truncating and re-chaining behind the trigger: test/security/audit-chain-tamper.test.ts.
  it('when even the owner updates, deletes or truncates audit entries, then the trigger refuses (the service has no such privilege: test/security/audit-role.test.ts)', async () => {
    const campaign = await buildCampaign(deps);
    await audit(deps.db, { staffId: null, action: 'test.immutable', campaignId: campaign.id }, new Date());
    const [entry] = await entriesOf(campaign.id);
    // Each in a transaction rolled back whatever happens: a missing guard could not empty the shared log.
    for (const statement of [
      sql`update audit_log set reason = 'edited' where id = ${entry!.id}`,
      sql`delete from audit_log where id = ${entry!.id}`,
      sql`truncate audit_log`,
    ]) {
      const attempt = owner()
        .transaction()
        .execute(async (trx) => {
          await statement.execute(trx);
          throw new Rollback();
        });
      await expect(attempt).rejects.toThrow(/append-only/);
    }
    expect(await entriesOf(campaign.id)).toEqual([entry]);
  });
});
