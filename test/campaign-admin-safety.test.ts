import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CampaignForm } from '../src/campaigns/campaign-admin.form.js';
import { formatCampaignForm } from '../src/campaigns/campaign-admin.format.js';
import { findCampaignById, findCampaignBySlug } from '../src/campaigns/campaign.repo.js';
import { endOfDayJst } from '../src/campaigns/campaign.schema.js';
import { jstDateTime } from '../src/purge/purge.messages.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildRedemption, giftsOfEveryKind } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

// The real clock: staff sign in with a TOTP. Nothing here runs the purge itself.
const deps = useTestDeps();
const app = createApp(deps);
const DAY = 86_400_000;
const jstDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * DAY + 9 * 3_600_000).toISOString().slice(0, 10);

const signIn = async (role: 'supervisor' | 'clerk' | 'auditor' | 'admin' = 'supervisor') => {
  const staff = await buildStaff(deps, role);
  return { staff, ops: await new OpsBrowser(app).signIn(staff) };
};

async function postForm(ops: OpsBrowser, path: string, form: Partial<CampaignForm> & Record<string, string>) {
  const token = await ops.token('/ops/campaigns/new');
  const req = ops.agent.post(path).field('_csrf', token);
  for (const [k, v] of Object.entries(form)) req.field(k, v ?? '');
  return req;
}

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'campaign_id', 'reason', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'not like', 'staff.%')
    .orderBy('id')
    .execute();

describe('campaign changes that need an explicit confirmation', () => {
  it('when the purge deadline is moved within the next 7 days, then the form names what will be deleted and when, and saves and audits only once that very date is confirmed', async () => {
    const { staff, ops } = await signIn();
    const campaign = await buildCampaign(deps);
    const [a] = await Promise.all([buildCustomer(deps, campaign), buildCustomer(deps, campaign)]);
    await buildRedemption(deps, { customer: a!, option: 'book_card' });
    const before = await findCampaignById(deps.db, campaign.id);
    const purgeDeadline = jstDay(3);
    const form = { ...formatCampaignForm(campaign.def, 'open'), deadline: jstDay(1), purgeDeadline };
    const path = `/ops/campaigns/${campaign.id}`;

    const warned = await postForm(ops, path, form);
    expect(warned.status).toBe(409);
    expect(warned.text).toContain('7日以内に個人情報の消去が始まります');
    const startsAt = new Date(endOfDayJst(purgeDeadline).getTime() - DAY);
    expect(warned.text).toContain(`消去は ${jstDateTime(startsAt)}（日本時間）以降の最初の定時実行`);
    expect(warned.text).toContain('お客様 2 名分の個人情報（2 行）');
    expect(warned.text).toContain('まだお届けしていないお詫びの品: 未発送の図書カード 1 件');
    expect(warned.text).toContain(`name="confirmPurge" type="checkbox" value="${purgeDeadline}"`);
    expect(warned.text).toContain('まだ保存していません');
    expect(warned.text).not.toContain('保存しました');
    // A confirmation of another date does not count.
    expect((await postForm(ops, path, { ...form, confirmPurge: jstDay(4) })).status).toBe(409);
    expect(await findCampaignById(deps.db, campaign.id)).toEqual(before);
    expect(await auditOf(staff.id)).toEqual([]);

    const saved = await postForm(ops, path, { ...form, confirmPurge: purgeDeadline });
    expect(saved.status).toBe(303);
    expect((await findCampaignById(deps.db, campaign.id))!.purge_deadline_at).toEqual(
      endOfDayJst(purgeDeadline),
    );
    const entries = await auditOf(staff.id);
    expect(entries.map((e) => e.action)).toEqual(['campaign.update', 'campaign.purge_soon_confirmed']);
    expect(entries[1]).toMatchObject({
      campaign_id: campaign.id,
      details: {
        slug: campaign.slug,
        purgeDeadline,
        purgeDeadlineBefore: campaign.def.purgeDeadline,
        purgeStartsAt: startsAt.toISOString(),
        personalRows: 2,
        undelivered: { book_card: 1, donation: 0, emoney: 0 },
      },
    });

    // Nothing new is brought closer by a later edit of another field: it saves at once.
    expect((await postForm(ops, path, { ...form, title: '題名だけ変更' })).status).toBe(303);
  });

  it('when the purge deadline moves earlier but the purge stays more than 7 days away, then the edit saves at once', async () => {
    const { staff, ops } = await signIn();
    const campaign = await buildCampaign(deps);
    const form = {
      ...formatCampaignForm(campaign.def, 'open'),
      deadline: jstDay(5),
      purgeDeadline: jstDay(9),
    };
    expect((await postForm(ops, `/ops/campaigns/${campaign.id}`, form)).status).toBe(303);
    expect((await auditOf(staff.id)).map((e) => e.action)).toEqual(['campaign.update']);
  });

  it('when a new campaign would be purged within 7 days, then creating it asks for the same confirmation', async () => {
    const { ops } = await signIn();
    const slug = `cs-${randomUUID().slice(0, 10)}`;
    const form = {
      ...formatCampaignForm(demoCampaignDefinition(new Date(), slug), 'draft'),
      deadline: jstDay(0),
      purgeDeadline: jstDay(2),
    };
    const warned = await postForm(ops, '/ops/campaigns', form);
    expect(warned.status).toBe(409);
    expect(warned.text).toContain('お客様 0 名分の個人情報（0 行）');
    expect(await findCampaignBySlug(deps.db, slug)).toBeUndefined();
    expect((await postForm(ops, '/ops/campaigns', { ...form, confirmPurge: jstDay(2) })).status).toBe(303);
    expect(await findCampaignBySlug(deps.db, slug)).toBeDefined();
  });

  it('when an open campaign is given a procedure deadline in the past, then the form warns and saves only with the confirmation; a draft does not ask', async () => {
    const { staff, ops } = await signIn();
    const campaign = await buildCampaign(deps);
    const past = jstDay(-2);
    const form = { ...formatCampaignForm(campaign.def, 'open'), deadline: past };
    const path = `/ops/campaigns/${campaign.id}`;

    const warned = await postForm(ops, path, form);
    expect(warned.status).toBe(409);
    expect(warned.text).toContain(`手続き期限 ${past} は既に過ぎています`);
    expect(warned.text).toContain(`name="confirmPastDeadline" type="checkbox" value="${past}"`);
    expect((await findCampaignById(deps.db, campaign.id))!.definition.deadline).toBe(campaign.def.deadline);

    expect((await postForm(ops, path, { ...form, confirmPastDeadline: past })).status).toBe(303);
    expect((await findCampaignById(deps.db, campaign.id))!.definition.deadline).toBe(past);
    const entries = await auditOf(staff.id);
    expect(entries.map((e) => e.action)).toEqual(['campaign.update', 'campaign.past_deadline_confirmed']);
    expect(entries[1]!.details).toEqual({
      slug: campaign.slug,
      deadline: past,
      deadlineBefore: campaign.def.deadline,
    });

    const draft = await buildCampaign(deps);
    const asDraft = { ...formatCampaignForm(draft.def, 'draft'), deadline: past };
    expect((await postForm(ops, `/ops/campaigns/${draft.id}`, asDraft)).status).toBe(303);
  });
});

describe('the purge page of a campaign: undelivered gifts and the override', () => {
  it('when a supervisor opens it and records an override, then the page lists the gifts by number, and the override is stored with who, when and why, and audited', async () => {
    const { staff, ops } = await signIn();
    const campaign = await buildCampaign(deps);
    const gifts = await giftsOfEveryKind(deps, campaign, new Date());
    const page = `/ops/campaigns/${campaign.id}/purge`;

    const shown = await ops.get(page);
    expect(shown.status).toBe(200);
    for (const id of gifts.undelivered) expect(shown.text).toContain(id);
    for (const id of gifts.delivered) expect(shown.text).not.toMatch(new RegExp(`[>、]${id}[<、]`));
    expect(shown.text).toContain('未発送の図書カード');
    expect(shown.text).toContain(`action="/ops/campaigns/${campaign.id}/purge/override"`);
    for (const c of gifts.customers) expect(shown.text).not.toContain(c.fullName);
    expect((await ops.get(`/ops/campaigns/${campaign.id}/edit`)).text).toContain(`href="${page}"`);

    const short = await ops.post(`${page}/override`, { reason: '短い', confirm: 'yes' }, page);
    expect(short.status).toBe(400);
    expect(short.text).toContain('理由を10文字以上で入力してください');
    const unconfirmed = await ops.post(
      `${page}/override`,
      { reason: '十分に長い理由をここに書きます。' },
      page,
    );
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('確認欄にチェックを入れてから記録してください');

    const reason = '配送業者の倒産で再発送ができないため。部長承認（稟議 R-1）。';
    const done = await ops.post(`${page}/override`, { reason, confirm: 'yes' }, page);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${page}?recorded=3`);
    const after = await ops.get(done.headers.location!);
    expect(after.text).toContain('上書きを記録しました');
    expect(after.text).toContain(staff.username);
    expect(after.text).toContain(reason);
    const { rows } = await sql<{ staff_id: string; reason: string; redemption_ids: string[] }>`
      select staff_id, reason, redemption_ids::text[] as redemption_ids
        from purge_overrides where campaign_id = ${campaign.id}`.execute(deps.db);
    expect(rows).toEqual([{ staff_id: staff.id, reason, redemption_ids: gifts.undelivered }]);
    const audit = (await auditOf(staff.id)).filter((e) => e.action === 'purge.override');
    expect(audit).toEqual([
      {
        action: 'purge.override',
        campaign_id: campaign.id,
        reason,
        details: expect.objectContaining({ total: 3 }),
      },
    ]);
  });

  it('when a clerk or an auditor tries the purge page or the override, then access is refused and nothing is recorded', async () => {
    const campaign = await buildCampaign(deps);
    await giftsOfEveryKind(deps, campaign, new Date());
    for (const role of ['clerk', 'auditor'] as const) {
      const { ops } = await signIn(role);
      expect((await ops.get(`/ops/campaigns/${campaign.id}/purge`)).status).toBe(403);
      const post = await ops.post(`/ops/campaigns/${campaign.id}/purge/override`, {
        reason: '権限のない人が書いた理由です。',
        confirm: 'yes',
      });
      expect(post.status).toBe(403);
    }
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from purge_overrides where campaign_id = ${campaign.id}`.execute(deps.db);
    expect(rows[0]!.n).toBe('0');
  });
});
