import type http from 'node:http';
import { formatForPrint } from '../../src/customers/codes.js';
import { choiceFor } from './load-choices.js';
import {
  BenchFailure,
  CookieJar,
  csrfOf,
  WindowEnded,
  type HttpReply,
  type SendRequest,
} from './load-http.js';
import type { MeasuredWindow } from './load-window.js';

/** What one complete redemption needs: the campaign, the letters, the connection and the window. */
export interface RedeemFlowContext {
  slug: string;
  distinctClientIps: boolean;
  /** "code", "key" of each seeded customer, by index. */
  creds: [string, string][];
  send: SendRequest;
  window: MeasuredWindow;
}

type PageCall = (
  step: string,
  method: string,
  path: string,
  expect: number,
  fields?: Record<string, string>,
) => Promise<HttpReply>;

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A new browser for customer `i`: its own cookie jar and, behind a proxy, its own address. */
function newBrowser(ctx: RedeemFlowContext, i: number): PageCall {
  const jar = new CookieJar();
  const extra: http.OutgoingHttpHeaders = ctx.distinctClientIps
    ? { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }
    : {};
  return async (step, method, path, expect, fields) => {
    if (ctx.window.stopping) throw new WindowEnded();
    const headers: http.OutgoingHttpHeaders = { ...extra, accept: 'text/html' };
    const cookie = jar.header();
    if (cookie) headers.cookie = cookie;
    if (fields) headers['content-type'] = FORM;
    const res = await ctx.send(step, method, path, headers, fields ? form(fields) : undefined);
    jar.absorb(res.headers['set-cookie']);
    if (res.status !== expect) throw new BenchFailure(`${step}:${res.status}`, res.body.slice(0, 200));
    return res;
  };
}

/** Customer `i` redeems: login → choice → confirm → complete, six page requests, every page checked. */
export async function redeemOnce(ctx: RedeemFlowContext, i: number): Promise<void> {
  const [code, key] = ctx.creds[i]!;
  const slug = ctx.slug;
  const call = newBrowser(ctx, i);
  const choice = choiceFor(i);
  const loginPage = await call('1 GET login', 'GET', `/c/${slug}/login`, 200);
  const login = await call('2 POST login', 'POST', `/c/${slug}/login`, 303, {
    _csrf: csrfOf(loginPage, '2 POST login'),
    registrationCode: formatForPrint(code),
    loginKey: key,
  });
  if (login.headers.location !== `/c/${slug}/my`)
    throw new BenchFailure('2 POST login:location', String(login.headers.location));
  const my = await call('3 GET my', 'GET', `/c/${slug}/my`, 200);
  const confirm = await call('4 POST confirm', 'POST', `/c/${slug}/my/confirm`, 200, {
    _csrf: csrfOf(my, '3 GET my'),
    ...choice,
  });
  if (!confirm.body.includes('お手続き内容の確認'))
    throw new BenchFailure('4 POST confirm:page', 'not the confirmation page');
  const complete = await call('5 POST complete', 'POST', `/c/${slug}/my/complete`, 303, {
    _csrf: csrfOf(confirm, '4 POST confirm'),
    ...choice,
    action: 'complete',
  });
  if (complete.headers.location !== `/c/${slug}/my?done=1`)
    throw new BenchFailure('5 POST complete:location', String(complete.headers.location));
  const done = await call('6 GET done', 'GET', `/c/${slug}/my?done=1`, 200);
  if (!done.body.includes('お手続きが完了しました'))
    throw new BenchFailure('6 GET done:page', 'no completion message');
  if (choice.option === 'emoney' && !/class="code"[^>]*>[^<]{6,}</.test(done.body))
    throw new BenchFailure('6 GET done:code', 'no gift code shown');
  ctx.window.recordRedemption(choice);
}
