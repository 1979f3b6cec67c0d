import { randomUUID } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { parseCampaignForm, readForm, type CampaignForm } from '../src/campaigns/campaign-admin.form.js';
import {
  emptyCampaignForm,
  formatCampaignForm,
  formErrorsFromDefinition,
} from '../src/campaigns/campaign-admin.format.js';
import { findCampaignById, findCampaignBySlug } from '../src/campaigns/campaign.repo.js';
import { CampaignDefinitionSchema, type CampaignDefinition } from '../src/campaigns/campaign.schema.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { buildStaff, OpsBrowser, staffSessions } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);

const { supervisor } = staffSessions(app, deps);

/** Posts the campaign form as the browser does: multipart, with the page's token. */
async function postForm(ops: OpsBrowser, path: string, form: Partial<CampaignForm>, withToken = true) {
  const token = await ops.token('/ops/campaigns/new');
  const req = ops.agent.post(path);
  if (withToken) req.field('_csrf', token);
  for (const [k, v] of Object.entries(form)) req.field(k, v ?? '');
  return req;
}

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_id', 'campaign_id', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'like', 'campaign.%')
    .orderBy('id')
    .execute();

const newSlug = () => `ca-${randomUUID().slice(0, 10)}`;

describe('the campaign form (parsing)', () => {
  it('when the demo campaign is formatted and parsed again, then the definition comes back unchanged', () => {
    const def = demoCampaignDefinition(new Date());
    const parsed = parseCampaignForm(formatCampaignForm(def, 'open'));
    expect(parsed).toEqual({ ok: true, definition: def, state: 'open' });
  });

  // Items as an operator types them: no line breaks, no leading Q:/A:, trimmed, not empty.
  const item = fc
    .string({ minLength: 1, maxLength: 30 })
    .map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ').trim())
    .filter((s) => s !== '' && !/^[QＱAＡ][:：]/.test(s) && !/[:：]/.test(s.slice(0, 1)));
  const para = fc.array(item, { minLength: 1, maxLength: 3 }).map((xs) => xs.join('\n'));
  const key = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
  const pairs = fc.uniqueArray(fc.record({ key, label: item }), {
    minLength: 1,
    maxLength: 4,
    selector: (p) => p.key,
  });
  const amount = fc.integer({ min: 1, max: 1_000_000 });
  const definition: fc.Arbitrary<CampaignDefinition> = fc
    .record({
      companyName: item,
      title: item,
      apology: fc.array(para, { minLength: 1, maxLength: 3 }),
      signatories: fc.array(item, { maxLength: 2 }),
      incidentSummary: para,
      leakedItems: pairs,
      leakedNotes: fc.array(item, { maxLength: 2 }),
      emoney: fc.option(
        fc.record({
          amountYen: amount,
          productName: item,
          source: fc.constantFrom('pool' as const, 'vendor' as const),
          brands: pairs,
          notes: fc.array(item, { maxLength: 2 }),
        }),
      ),
      bookCard: fc.option(fc.record({ amountYen: amount, productName: item, leadTimeNote: item })),
      donation: fc.record({ amountYen: amount, recipient: item, description: para }),
      faq: fc.array(fc.record({ question: item, answer: fc.array(item, { minLength: 1, maxLength: 3 }) }), {
        maxLength: 3,
      }),
      fallbackNumber: fc.option(item, { nil: undefined }),
      days: fc.integer({ min: 0, max: 3000 }),
      gap: fc.integer({ min: 1, max: 400 }),
    })
    .map((r) => {
      const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      return {
        slug: 'prop-test',
        companyName: r.companyName,
        title: r.title,
        apology: r.apology,
        signatories: r.signatories,
        incidentSummary: r.incidentSummary,
        leakedItems: r.leakedItems,
        leakedNotes: r.leakedNotes,
        options: { emoney: r.emoney, bookCard: r.bookCard, donation: r.donation },
        dataChoice: { erasureNote: r.title, erasureWarning: r.companyName, optoutNote: r.title },
        deadline: day(r.days),
        purgeDeadline: day(r.days + r.gap),
        postmarkRule: r.title,
        contactCentre: {
          name: r.companyName,
          freeDial: '0120-000-000',
          ...(r.fallbackNumber ? { fallbackNumber: r.fallbackNumber } : {}),
          hours: r.title,
          notes: [],
        },
        faq: r.faq,
        trademarkNotes: [],
      };
    });

  test.prop([definition])(
    'when any valid definition is formatted into the form and parsed back, then it is the same and passes the schema',
    (def) => {
      const parsed = parseCampaignForm(formatCampaignForm(def, 'draft'));
      expect(parsed).toEqual({ ok: true, definition: def, state: 'draft' });
      expect(CampaignDefinitionSchema.safeParse(def).success).toBe(true);
    },
  );

  test.prop([fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.string(), fc.array(fc.string())))])(
    'when any body is posted, then the parser answers with a definition or Japanese messages and never throws',
    (body) => {
      const r = parseCampaignForm(readForm(body));
      if (!r.ok) for (const m of Object.values(r.errors)) expect(m).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    },
  );

  it('when the form is empty, then every required field has a Japanese message naming it', () => {
    const r = parseCampaignForm(readForm({}));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.slug).toMatch(/スラッグ/);
    expect(r.errors.companyName).toBe('会社名を入力してください');
    expect(r.errors.apology).toMatch(/お詫び文/);
    expect(r.errors.leakedItems).toMatch(/漏えいした項目/);
    expect(r.errors.emoneyEnabled).toMatch(/お詫びの品を少なくとも1つ/);
    expect(r.errors.deadline).toMatch(/手続き期限/);
    expect(r.errors.contactFreeDial).toMatch(/フリーダイヤル/);
  });

  it('when lines are malformed, then the message names the field and the line', () => {
    const form = {
      ...formatCampaignForm(demoCampaignDefinition(new Date()), 'draft'),
      leakedItems: 'name: 氏名\n住所だけ\nname: 重複',
      emoneyBrands: 'Edy: 楽天Edy',
      emoneyAmountYen: '５００円',
      faq: '質問がQなし\nQ: 質問\n',
      deadline: '2024-02-30',
    };
    const r = parseCampaignForm(form);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.leakedItems).toBe('漏えいした項目の2行目は「キー: 表示名」の形式で入力してください');
    expect(r.errors.emoneyBrands).toMatch(/1行目: キーは英小文字/);
    expect(r.errors.emoneyAmountYen).toBeUndefined(); // full-width digits and 円 are fine
    expect(r.errors.faq).toMatch(/1行目: 質問は「Q:」で始めて/);
    expect(r.errors.deadline).toMatch(/実在する日付/);
  });

  it('when the definition check reports paths, then they land on form fields in Japanese', () => {
    expect(
      formErrorsFromDefinition({
        'options.emoney.brands.0.key': 'Invalid string',
        'contactCentre.freeDial': 'Too small',
        purgeDeadline: '消去期限は手続き期限より後にしてください',
      }),
    ).toEqual({
      emoneyBrands: '電子マネーの種類の入力内容に誤りがあります',
      contactFreeDial: 'フリーダイヤルの入力内容に誤りがあります',
      purgeDeadline: '消去期限は手続き期限より後にしてください',
    });
  });
});

describe('campaigns in the console', () => {
  it('when a supervisor fills in the form, then the campaign is created as a draft, audited, and listed', async () => {
    const { staff, ops } = await supervisor();
    const slug = newSlug();
    const form = { ...formatCampaignForm(demoCampaignDefinition(new Date(), slug), 'draft') };
    const res = await postForm(ops, '/ops/campaigns', form);
    expect(res.status).toBe(303);
    const row = await findCampaignBySlug(deps.db, slug);
    expect(row).toMatchObject({ state: 'draft', company_name: '株式会社デモ教育サービス' });
    expect(row!.definition).toEqual(demoCampaignDefinition(new Date(), slug));
    expect(res.headers.location).toBe(`/ops/campaigns/${row!.id}/edit?saved=1`);
    expect((await ops.get(res.headers.location!)).text).toContain('保存しました');
    expect((await ops.get('/ops/campaigns')).text).toContain(slug);
    expect(await auditOf(staff.id)).toEqual([
      {
        action: 'campaign.create',
        target_id: row!.id,
        campaign_id: row!.id,
        details: { slug, state: 'draft' },
      },
    ]);
    // A draft is not public.
    expect((await supertest(app).get(`/c/${slug}`)).status).toBe(404);
  });

  it('when a campaign is edited, then customers see the new text and the audit names what changed', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const page = await ops.get(`/ops/campaigns/${campaign.id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="companyName"');
    const form = { ...formatCampaignForm(campaign.def, 'open'), title: '新しいタイトル' };
    const res = await postForm(ops, `/ops/campaigns/${campaign.id}`, form);
    expect(res.status).toBe(303);
    const row = await findCampaignById(deps.db, campaign.id);
    expect(row).toMatchObject({ state: 'open', slug: campaign.slug, closed_at: null });
    expect(row!.definition.title).toBe('新しいタイトル');
    const landing = await supertest(createApp(deps)).get(`/c/${campaign.slug}`);
    expect(landing.text).toContain('新しいタイトル');

    const closing = await postForm(ops, `/ops/campaigns/${campaign.id}`, { ...form, state: 'closed' });
    expect(closing.status).toBe(303);
    expect(await findCampaignById(deps.db, campaign.id)).toMatchObject({
      state: 'closed',
      closed_at: expect.any(Date),
    });
    const entries = await auditOf(staff.id);
    expect(entries.map((e) => e.details)).toEqual([
      { slug: campaign.slug, changed: ['title'], stateFrom: 'open', stateTo: 'open' },
      { slug: campaign.slug, changed: [], stateFrom: 'open', stateTo: 'closed' },
    ]);
  });

  it('when an edit is invalid, then the form comes back with Japanese messages per field and nothing is written', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const before = await findCampaignById(deps.db, campaign.id);
    const form = {
      ...formatCampaignForm(campaign.def, 'draft'),
      title: '変わってはいけない',
      purgeDeadline: campaign.def.deadline,
      companyName: '',
    };
    const res = await postForm(ops, `/ops/campaigns/${campaign.id}`, form);
    expect(res.status).toBe(400);
    expect(res.text).toContain('消去期限は手続き期限より後の日付にしてください');
    expect(res.text).toContain('会社名を入力してください');
    expect(res.text).toMatch(/id="f-companyName"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('変わってはいけない'); // what was typed is kept
    expect(await findCampaignById(deps.db, campaign.id)).toEqual(before);
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it('when a slug is taken, then creating says so on the slug field and the existing campaign is untouched', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const form = { ...formatCampaignForm(campaign.def, 'draft'), companyName: '乗っ取り株式会社' };
    const res = await postForm(ops, '/ops/campaigns', form);
    expect(res.status).toBe(409);
    expect(res.text).toContain(`スラッグ「${campaign.slug}」は既に使われています`);
    expect((await findCampaignById(deps.db, campaign.id))!.company_name).toBe('株式会社デモ教育サービス');
  });

  it('when a leaked-item key that customers have is removed, then the edit is refused', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    await buildCustomer(deps, campaign, { leakedItems: ['phone'] });
    const form = {
      ...formatCampaignForm(campaign.def, 'draft'),
      leakedItems: campaign.def.leakedItems
        .filter((i) => i.key !== 'phone')
        .map((i) => `${i.key}: ${i.label}`)
        .join('\n'),
    };
    const res = await postForm(ops, `/ops/campaigns/${campaign.id}`, form);
    expect(res.status).toBe(400);
    expect(res.text).toContain('使われている行は削除できません: 「電話番号」');
  });

  it('when the token is missing, then the post is refused and nothing is written', async () => {
    const { ops } = await supervisor();
    const slug = newSlug();
    const res = await postForm(
      ops,
      '/ops/campaigns',
      formatCampaignForm(demoCampaignDefinition(new Date(), slug), 'draft'),
      false,
    );
    expect(res.status).toBe(403);
    expect(await findCampaignBySlug(deps.db, slug)).toBeUndefined();
  });

  it('when a campaign was purged, then it cannot be edited; "purged" cannot be chosen by hand', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const form = formatCampaignForm(campaign.def, 'draft');
    const byHand = await postForm(ops, `/ops/campaigns/${campaign.id}`, { ...form, state: 'purged' });
    expect(byHand.status).toBe(400);
    expect(byHand.text).toContain('状態は「準備中」「受付中」「終了」から選んでください');
    await deps.db.updateTable('campaigns').set({ state: 'purged' }).where('id', '=', campaign.id).execute();
    const res = await postForm(ops, `/ops/campaigns/${campaign.id}`, form);
    expect(res.status).toBe(409);
    expect(res.text).toContain('消去済みのキャンペーンは変更できません');
  });

  it('when a clerk opens the campaign pages, then access is refused', async () => {
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    expect((await ops.get('/ops/campaigns')).status).toBe(403);
    expect((await ops.get('/ops/campaigns/new')).status).toBe(403);
  });

  it('when the new-campaign page is opened, then it offers real fields with defaults', async () => {
    const { ops } = await supervisor();
    const res = await ops.get('/ops/campaigns/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('enctype="multipart/form-data"');
    for (const name of [
      'slug',
      'apology',
      'leakedItems',
      'emoneyBrands',
      'faq',
      'deadline',
      'contactFreeDial',
    ]) {
      expect(res.text).toContain(`name="${name}"`);
    }
    expect(emptyCampaignForm().state).toBe('draft');
  });
});
