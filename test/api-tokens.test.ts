import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { ApiClient } from './support/api.js';
import { useTestDeps } from './support/context.js';
import { staffSessions } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);
const api = new ApiClient(app);
const { admin, supervisor } = staffSessions(app, deps);

const tokenIn = (html: string) => /value="(owabi_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
const tokensOf = (staffId: string) =>
  deps.db.selectFrom('api_tokens').selectAll().where('created_by', '=', staffId).execute();

describe('the console page for API tokens', () => {
  it('when an administrator creates a token, then it is shown once, stored only as its SHA-256, audited, and works within its scopes', async () => {
    const { staff, ops } = await admin();
    const page = await ops.get('/ops/api-tokens');
    expect(page.status).toBe(200);
    expect(page.text).toContain('APIトークンの作成');
    const created = await ops.post(
      '/ops/api-tokens',
      { name: '着信表示', scopes: 'exports', days: '30' },
      '/ops/api-tokens',
    );
    expect(created.status).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = tokenIn(created.text);
    expect(token).toBeDefined();

    const [row] = await tokensOf(staff.id);
    expect(row!.token_hash.equals(createHash('sha256').update(token!).digest())).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token!.slice(6, 20));
    expect(row!.scopes).toEqual(['exports']);
    expect(row!.expires_at.getTime() - row!.created_at.getTime()).toBe(30 * 86_400_000);
    const list = await ops.get('/ops/api-tokens');
    expect(list.text).toContain('着信表示');
    expect(tokenIn(list.text)).toBeUndefined();
    const audit = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('staff_id', '=', staff.id)
      .where('action', 'like', 'api.%')
      .execute();
    expect(audit).toEqual([
      {
        action: 'api.token_create',
        details: { tokenId: row!.id, scopes: ['exports'], expiresAt: row!.expires_at.toISOString() },
      },
    ]);

    expect((await api.get('/api/v1/ops/suppression?limit=1', { token })).status).toBe(200);
    expect((await api.get(`/api/v1/ops/campaigns/1/report`, { token })).status).toBe(403);
  });

  it('when a token is revoked on the page, then the API refuses it at once, and the revocation is audited', async () => {
    const { staff, ops } = await admin();
    const created = await ops.post(
      '/ops/api-tokens',
      { name: 'マーケ', scopes: 'exports', days: '7' },
      '/ops/api-tokens',
    );
    const token = tokenIn(created.text)!;
    const [row] = await tokensOf(staff.id);
    const revoked = await ops.post(`/ops/api-tokens/${row!.id}/revoke`, {}, '/ops/api-tokens');
    expect(revoked.status).toBe(303);
    expect((await api.get('/api/v1/ops/suppression', { token })).status).toBe(401);
    expect((await tokensOf(staff.id))[0]!.revoked_by).toBe(staff.id);
    const actions = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('staff_id', '=', staff.id)
      .where('action', 'like', 'api.token%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'api.token_create',
      'api.token_revoke',
      'api.token_refused',
    ]);
    expect((await ops.post(`/ops/api-tokens/${row!.id}/revoke`, {}, '/ops/api-tokens')).status).toBe(404);
  });

  it('when the form is wrong (no scope, too long a validity, no name), then the page says why per field and nothing is created', async () => {
    const { staff, ops } = await admin();
    const res = await ops.post('/ops/api-tokens', { name: '', days: '400' }, '/ops/api-tokens');
    expect(res.status).toBe(400);
    expect(res.text).toContain('トークンの名前を入力してください。');
    expect(res.text).toContain('権限を1つ以上選んでください。');
    expect(res.text).toContain('有効期間は365日以内にしてください。');
    const foreign = await ops.post(
      '/ops/api-tokens',
      { name: 'x', scopes: 'staff_admin', days: '1' },
      '/ops/api-tokens',
    );
    expect(foreign.status).toBe(400);
    expect(await tokensOf(staff.id)).toHaveLength(0);
  });

  it('when a supervisor opens the page or posts to it, then it is refused (administrators only)', async () => {
    const { staff, ops } = await supervisor();
    expect((await ops.get('/ops/api-tokens')).status).toBe(403);
    expect((await ops.post('/ops/api-tokens', { name: 'x', scopes: 'exports', days: '1' })).status).toBe(403);
    expect(await tokensOf(staff.id)).toHaveLength(0);
  });
});
