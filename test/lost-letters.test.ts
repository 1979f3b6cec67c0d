import { randomUUID } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { ContactActionTokens } from '../src/contact/contact-token.js';
import { LostLetterSchema } from '../src/contact/lost-letter.schema.js';
import { searchLostLetter } from '../src/contact/lost-letter.service.js';
import { normaliseBirthDate, normaliseKanaName } from '../src/customers/lost-letter.js';
import { eraseCustomerNow } from '../src/erasure/erasure.service.js';
import { useTestDeps } from './support/context.js';
import { act, auditActions, REASON, requestsOf, tokenFrom, useDataDir } from './support/contact-flow.js';
import { buildCampaign, buildStaff } from './support/factories.js';
import { importPeople, type PersonRow } from './support/letters.js';
import { staffSessions, type OpsBrowser } from './support/ops.js';

const deps = useTestDeps({}, { DATA_DIR: useDataDir() });
const app = createApp(deps);
const { clerk, auditor, supervisor } = staffSessions(app, deps);

const NO_MATCH = '3項目すべてが一致するお客様は見つかりませんでした';

/** Someone of their own: a kana name, birth date and postal code nobody else in the run has. */
function someone(): PersonRow {
  const n = Math.floor(Math.random() * 1e7);
  const kana = `ミツカル ${[...String(n)].map((d) => 'アイウエオカキクケコ'[Number(d)]).join('')}`;
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (n % 12)).padStart(2, '0');
  return {
    ref: `L${randomUUID().slice(0, 8)}`,
    name: `失念 ${n}`,
    kana,
    birthDate: `19${50 + (n % 40)}-${month}-${day}`,
    postalCode: `${String(100 + (n % 800)).padStart(3, '0')}-${String(n % 10000).padStart(4, '0')}`,
  };
}

async function imported(campaign: Campaign, ...people: PersonRow[]) {
  const { letters } = await importPeople(deps, campaign, people);
  const ids = [];
  for (const l of letters) {
    const row = await deps.db
      .selectFrom('customers')
      .select('id')
      .where('registration_code', '=', l.registrationCode)
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

const search = (
  ops: OpsBrowser,
  campaign: Campaign,
  p: Partial<Record<keyof PersonRow, string>>,
  reason = REASON,
) =>
  ops.post(
    '/ops/contact/lost-letter',
    {
      campaign: campaign.slug,
      kanaName: p.kana ?? '',
      birthDate: p.birthDate ?? '',
      postalCode: p.postalCode ?? '',
      reason,
    },
    '/ops/contact/lost-letter',
  );

/** Hiragana, half-width digits turned full-width, no space, slashes: as a caller might say it. */
const spokenForm = (p: PersonRow) => ({
  kana: p.kana
    .replace(/[\u30a1-\u30f6]/gu, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x60))
    .replace(' ', ''),
  birthDate: p.birthDate
    .replace(/-0?/g, '/')
    .replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)),
  postalCode: p.postalCode.replace('-', ''),
});

describe('lost letters: the search', () => {
  it('when all three match one customer, even as said on the phone, then the masked record opens with the same reissue request as a look-up by code', async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    const [id] = await imported(campaign, p, someone());
    const { staff, ops } = await clerk();
    const res = await search(ops, campaign, spokenForm(p));
    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="/ops/contact/customers/${id}/reissue"`);
    expect(res.text).not.toContain(p.name);
    expect(res.text).toContain('失＊');

    const asked = await act(ops, id!, 'reissue', { actionToken: tokenFrom(res.text), confirm: 'yes' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('お知らせの再発行を依頼しました');
    const requests = await requestsOf(deps, id!);
    expect(requests).toMatchObject([{ kind: 'reissue', status: 'pending', requested_by: staff.id }]);

    const entries = await auditActions(deps, staff.id);
    const entry = entries.find((e) => e.action === 'contact.lost_letter_search')!;
    expect(entry).toMatchObject({ target_id: id, details: { matches: 1 } });
    expect((entry.details as { noteId?: string }).noteId).toBeTruthy();
    const text = JSON.stringify(entries);
    for (const v of [p.kana, p.kana.replace(' ', ''), p.birthDate, p.postalCode, p.name, REASON])
      expect(text).not.toContain(v);
  });

  it('when nobody matches, then the form says so plainly, shows nobody and the search is audited', async () => {
    const campaign = await buildCampaign(deps);
    await imported(campaign, someone());
    const { staff, ops } = await clerk();
    const res = await search(ops, campaign, someone());
    expect(res.status).toBe(200);
    expect(res.text).toContain(NO_MATCH);
    expect(res.text).not.toContain('/reissue"');
    const entries = await auditActions(deps, staff.id);
    expect(entries).toMatchObject([
      { action: 'contact.lost_letter_search', target_id: null, details: { matches: 0 } },
    ]);
  });

  it('when two customers share all three values, then nobody is shown and the operator is told why', async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    await imported(campaign, p, { ...p, ref: `L${randomUUID().slice(0, 8)}`, name: '別人 二郎' });
    const { staff, ops } = await clerk();
    const res = await search(ops, campaign, p);
    expect(res.status).toBe(200);
    expect(res.text).toContain('お一人に絞れません');
    expect(res.text).not.toContain('/reissue"');
    expect((await auditActions(deps, staff.id))[0]).toMatchObject({
      details: { matches: 2 },
      target_id: null,
    });
  });

  it('when the customer was erased, then the search no longer finds them', async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    const [id] = await imported(campaign, p);
    await eraseCustomerNow(deps, id!);
    const { ops } = await clerk();
    expect((await search(ops, campaign, p)).text).toContain(NO_MATCH);
  });

  it.each(['kana', 'birthDate', 'postalCode'] as const)(
    'when %s is left out, then 400 names the field, nothing is searched and nothing is recorded',
    async (field) => {
      const campaign = await buildCampaign(deps);
      const p = someone();
      const { staff, ops } = await clerk();
      const res = await search(ops, campaign, { ...p, [field]: '' });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`id="${field === 'kana' ? 'kanaName' : field}-error"`);
      expect(await auditActions(deps, staff.id)).toEqual([]);
      const counted = await deps.db
        .selectFrom('lost_letter_searches')
        .select('id')
        .where('staff_id', '=', staff.id)
        .execute();
      expect(counted).toEqual([]);
    },
  );

  it("when the reason holds the caller's kana name, then it is refused and nothing is kept", async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    await imported(campaign, p);
    const { staff, ops } = await clerk();
    const res = await search(ops, campaign, p, `${p.kana} 様より着信`);
    expect(res.status).toBe(400);
    const notes = await sql`select id from contact_notes where staff_id = ${staff.id}`.execute(deps.db);
    expect(notes.rows).toEqual([]);
  });
});

describe('lost letters: who may search, and how often', () => {
  it('when an auditor opens or posts the search, then 403', async () => {
    const campaign = await buildCampaign(deps);
    const { ops } = await auditor();
    expect((await ops.get('/ops/contact/lost-letter')).status).toBe(403);
    const { ops: c } = await clerk();
    const _csrf = await c.token('/ops/contact/lost-letter');
    expect(_csrf).toBeTruthy();
    const res = await ops.post('/ops/contact/lost-letter', { campaign: campaign.slug, kanaName: 'ア' });
    expect(res.status).toBe(403);
  });

  it('when a supervisor searches, then it works as for a clerk', async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    const [id] = await imported(campaign, p);
    const { ops } = await supervisor();
    expect((await search(ops, campaign, p)).text).toContain(`/ops/contact/customers/${id}/reissue`);
  });

  it('when a staff member searches more than 10 times in an hour, then the next is refused and audited, and a colleague is not', async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    await imported(campaign, p);
    const { staff, ops } = await clerk();
    for (let i = 0; i < 10; i++) expect((await search(ops, campaign, someone())).status).toBe(200);
    const refused = await search(ops, campaign, p);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('1時間に10件まで');
    expect(refused.text).not.toContain('/reissue"');
    expect((await auditActions(deps, staff.id)).at(-1)).toMatchObject({
      action: 'contact.lost_letter_limited',
    });
    const { ops: colleague } = await clerk();
    expect((await search(colleague, campaign, p)).text).toContain('/reissue"');
  });
});

describe('lost letters: all three must match', () => {
  const tokens = new ContactActionTokens(deps.config.STAFF_SESSION_SECRET);
  const fixture = (async () => {
    const campaign = await buildCampaign(deps);
    const p = someone();
    const [id] = await imported(campaign, p);
    const staff = await buildStaff(deps, 'clerk');
    return { campaign, p, id: id!, staff };
  })();
  // A clock an hour further on each search: the hourly limit is not what this is about.
  let hours = 0;
  const later = { ...deps, now: () => new Date(Date.now() + ++hours * 3_600_000) };

  const other = {
    kana: (p: PersonRow) => `${p.kana}ア`,
    birthDate: (p: PersonRow) => p.birthDate.replace(/^(\d{4})/, (y) => String(Number(y) - 1)),
    postalCode: (p: PersonRow) => p.postalCode.replace(/\d$/, (d) => String((Number(d) + 1) % 10)),
  };

  test.prop([fc.subarray(['kana', 'birthDate', 'postalCode'] as const, { minLength: 0 })], { numRuns: 20 })(
    'when any of the three differs, then nobody is found; when none does, the customer is',
    async (differing) => {
      const { campaign, p, id, staff } = await fixture;
      const said = { ...p };
      for (const f of differing) said[f] = other[f](p);
      const form = LostLetterSchema.parse({
        campaign: campaign.slug,
        kanaName: said.kana,
        birthDate: said.birthDate,
        postalCode: said.postalCode,
        reason: REASON,
      });
      const outcome = await searchLostLetter(later, tokens, { staffId: staff.id, reason: REASON }, form);
      if (differing.length === 0) expect(outcome).toMatchObject({ kind: 'one', view: { customerId: id } });
      else expect(outcome).toEqual({ kind: 'none' });
    },
  );

  test.prop([fc.stringMatching(/^[\u30a1-\u30f3]{1,8}( [\u30a1-\u30f3]{1,8})?$/)])(
    'when a kana name is given in hiragana, with or without spaces or in half-width, then it normalises to the same',
    (kana) => {
      const hiragana = kana.replace(/[\u30a1-\u30f6]/gu, (c) =>
        String.fromCodePoint(c.codePointAt(0)! - 0x60),
      );
      const base = normaliseKanaName(kana);
      expect(normaliseKanaName(hiragana)).toBe(base);
      expect(normaliseKanaName(kana.replace(' ', '\u3000'))).toBe(base);
      expect(normaliseKanaName(` ${kana.replace(' ', '')} `)).toBe(base);
    },
  );

  test.prop([fc.date({ min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })])(
    'when a birth date is written with slashes, kanji or full-width digits, then it normalises to the ISO day',
    (d) => {
      const iso = d.toISOString().slice(0, 10);
      const [y, m, day] = iso.split('-').map(Number);
      const wide = (s: string) => s.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      expect(normaliseBirthDate(iso)).toBe(iso);
      expect(normaliseBirthDate(`${y}/${m}/${day}`)).toBe(iso);
      expect(normaliseBirthDate(wide(`${y}年${m}月${day}日`))).toBe(iso);
    },
  );

  it('when a half-width katakana name is given, then it matches the full-width one', () => {
    expect(normaliseKanaName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe(normaliseKanaName('やまだ たろう'));
    expect(normaliseBirthDate('1980-02-30')).toBeNull();
  });
});
