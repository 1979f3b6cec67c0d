import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Router } from 'express';
import { consoleSections } from '../src/app/console-sections.js';
import { AppError } from '../src/platform/errors.js';
import { createApp } from '../src/app/create-app.js';
import { createLogger } from '../src/platform/logger.js';
import { useTestDeps } from './support/context.js';
import { buildBookCardRedemption, buildCampaign } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(String(chunk));
    cb();
  },
});
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-ops-errors-'));
const deps = useTestDeps({ logger: createLogger('info', sink) }, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
/** A console section that fails on purpose: a crash, and an error the console raises itself. */
const failing = () => {
  const router = Router();
  router.get('/crash', () => {
    throw new Error('boom with a detail that must not be shown');
  });
  router.get('/queue-away', () => {
    throw new AppError('unavailable', 'ジョブキューに接続されていません。');
  });
  return router;
};
const app = createApp(deps, { opsSections: [...consoleSections(), failing] });

const signedIn = async (role: 'admin' | 'supervisor' | 'clerk' | 'auditor') =>
  new OpsBrowser(app).signIn(await buildStaff(deps, role));

/** The console's menu as the page lists it: [href, label] pairs. */
function menuOf(html: string): string[] {
  const nav = /<nav class="wrap wide ops-nav" aria-label="業務メニュー">([\s\S]*?)<\/nav>/.exec(html)?.[1];
  return nav ? [...nav.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]!) : [];
}

const CUSTOMER_HEADER = 'お詫びの品 お手続きサイト';
const CONSOLE_HEADER = 'Owabi 業務コンソール';

describe('errors inside the console', () => {
  it('when a clerk follows a link outside their role, then the 403 is shown in the console with their menu, the roles that may open it, and a way back', async () => {
    const clerk = await signedIn('clerk');
    const res = await clerk.get('/ops/fulfilment');
    expect(res.status).toBe(403);
    expect(res.text).toContain(CONSOLE_HEADER);
    expect(res.text).not.toContain(CUSTOMER_HEADER);
    expect(menuOf(res.text)).toEqual(['/ops/postcards', '/ops/contact']);
    expect(res.text).toContain('<h1>この画面を開く権限がありません</h1>');
    expect(res.text).toContain('この画面を利用できる役割：管理者、スーパーバイザー');
    expect(res.text).toContain('あなたの役割：オペレーター');
    expect(res.text).toContain('<a href="/ops">業務コンソールのホームへ戻る</a>');
    // The section itself is outside the role: no link back into it.
    expect(res.text).not.toContain('「発送・寄付」の最初の画面へ戻る');
    // The sign-out form works from the error page too.
    expect(res.text).toMatch(/<form method="post" action="\/ops\/logout"[\s\S]*?name="_csrf" value="[^"]+"/);
  });

  it('when an auditor opens a page of the exports permission, then the page names the roles of that permission', async () => {
    const auditor = await signedIn('auditor');
    const res = await auditor.get('/ops/fulfilment/batches/1/manifest');
    expect(res.status).toBe(403);
    expect(res.text).toContain('この画面を利用できる役割：管理者、スーパーバイザー');
    expect(res.text).toContain('あなたの役割：監査担当');
    expect(menuOf(res.text)).toEqual(['/ops/reports', '/ops/audit']);
  });

  it('when a shipped manifest is downloaded again, then the 409 is shown in the console with a way back to the section', async () => {
    const campaign = await buildCampaign(deps);
    await buildBookCardRedemption(deps, campaign);
    const ops = await signedIn('supervisor');
    const page = `/ops/fulfilment/campaigns/${campaign.id}`;
    await ops.post(`${page}/cut`, {}, page);
    const batch = await deps.db
      .selectFrom('shipping_batches')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    await ops.post(`/ops/fulfilment/batches/${batch.id}/ship`, { confirm: 'yes' }, page);

    const res = await ops.get(`/ops/fulfilment/batches/${batch.id}/manifest`);
    expect(res.status).toBe(409);
    expect(res.text).toContain(CONSOLE_HEADER);
    expect(res.text).not.toContain(CUSTOMER_HEADER);
    expect(res.text).toContain('<h1>この操作は今は行えません</h1>');
    expect(res.text).toContain('発送とともに削除されています');
    expect(res.text).toContain('<a href="/ops/fulfilment">「発送・寄付」の最初の画面へ戻る</a>');
    expect(menuOf(res.text)).toContain('/ops/fulfilment');
    expect(res.text).not.toContain('この画面を利用できる役割');
  });

  it('when a console page does not exist, then the 404 is shown in the console with the menu and a way back', async () => {
    const admin = await signedIn('admin');
    for (const url of ['/ops/no-such-page', '/ops/fulfilment/batches/0/ship']) {
      const res = await admin.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).toContain('<h1>ページが見つかりません</h1>');
      expect(menuOf(res.text)).toHaveLength(9);
      expect(res.text).toContain('業務コンソールのホームへ戻る');
    }
    expect((await admin.get('/ops/fulfilment/batches/0/ship')).text).toContain(
      '<a href="/ops/fulfilment">「発送・寄付」の最初の画面へ戻る</a>',
    );
  });

  it('when a signed-in operator posts with a stale token, then the console explains it in its own words', async () => {
    const admin = await signedIn('admin');
    const res = await admin.agent.post('/ops/fulfilment/campaigns/1/cut').type('form').send({ _csrf: 'x' });
    expect(res.status).toBe(403);
    expect(res.text).toContain(CONSOLE_HEADER);
    expect(res.text).toContain('画面を開き直してから、もう一度操作してください');
    expect(res.text).not.toContain('お手続き');
    expect(res.text).not.toContain('この画面を利用できる役割');
    expect(menuOf(res.text)).toHaveLength(9);
  });

  it('when a console page crashes, then the console says so in its own words and the cause stays in the log', async () => {
    const admin = await signedIn('admin');
    const res = await admin.get('/ops/crash');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<h1>エラーが発生しました</h1>');
    expect(res.text).toContain('操作が完了していない可能性があります');
    expect(res.text).not.toContain('お手続き');
    expect(res.text).not.toContain('boom');
    expect(menuOf(res.text)).toHaveLength(9);
    // The log names the failure by kind and stack frame, never by its message (it can quote values).
    const logged = logLines.join('');
    expect(logged).toContain('"msg":"request failed"');
    expect(logged).toContain('"type":"Error"');
    expect(logged).toContain('ops-errors.test.ts');
    expect(logged).not.toContain('boom');

    const away = await admin.get('/ops/queue-away');
    expect(away.status).toBe(503);
    expect(away.text).toContain('ジョブキューに接続されていません。');
    expect(away.text).toContain('<h1>ただいま利用できません</h1>');
  });

  it('when nobody is signed in, then console pages still lead to the sign-in page, and an error shows no menu', async () => {
    const anon = new OpsBrowser(app);
    for (const url of ['/ops/fulfilment', '/ops/no-such-page']) {
      const res = await anon.get(url);
      expect(res.status, url).toBe(303);
      expect(res.headers.location).toBe('/ops/login');
    }
    const refused = await anon.agent.post('/ops/login').type('form').send({ username: 'x', password: 'y' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain(CONSOLE_HEADER);
    expect(refused.text).toContain('<a href="/ops/login">ログイン画面へ</a>');
    expect(menuOf(refused.text)).toEqual([]);
    expect(refused.text).not.toContain('action="/ops/logout"');
  });

  it('when the second factor is still due, then an error shows no menu', async () => {
    const admin = await buildStaff(deps, 'admin');
    const half = new OpsBrowser(app);
    const _csrf = await half.token('/ops/login');
    await half.agent
      .post('/ops/login')
      .type('form')
      .send({ _csrf, username: admin.username, password: admin.password });
    const res = await half.agent.post('/ops/login/totp').type('form').send({ code: '000000' });
    expect(res.status).toBe(403);
    expect(res.text).toContain(CONSOLE_HEADER);
    expect(menuOf(res.text)).toEqual([]);
  });

  it('when a customer page fails, then the customer error page is unchanged', async () => {
    const res = await new OpsBrowser(app).get('/c/no-such-campaign-x');
    expect(res.status).toBe(404);
    expect(res.text).toContain(CUSTOMER_HEADER);
    expect(res.text).not.toContain(CONSOLE_HEADER);
    expect(res.text).toContain('<h1>ページが見つかりません</h1>');
  });
});

describe('the site icon', () => {
  it('when a browser asks for /favicon.ico, then it gets an icon and no 404 is logged', async () => {
    const anon = new OpsBrowser(app);
    for (let i = 0; i < 3; i++) {
      const res = await anon.get('/favicon.ico').buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/(x-icon|vnd.microsoft.icon)/);
      expect((res.body as Buffer).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    }
    const requests = logLines.map(
      (l) => JSON.parse(l) as { req?: { path?: string }; res?: { status?: number } },
    );
    const favicon = requests.filter((r) => r.req?.path === '/favicon.ico');
    expect(favicon.length).toBeGreaterThanOrEqual(3);
    expect(favicon.filter((r) => r.res?.status === 404)).toEqual([]);
  });

  it('when a console page is shown, then its head names the icon', async () => {
    const res = await new OpsBrowser(app).get('/ops/login');
    expect(res.text).toContain('<link rel="icon" href="/static/favicon.ico"');
    expect((await new OpsBrowser(app).get('/static/favicon.ico')).status).toBe(200);
  });
});
