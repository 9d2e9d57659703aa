import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  unit: 'Unit-E2e-2026!',
  head: 'Head-E2e-2026!',
  sys: 'Sys-E2e-2026!',
};

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

describe('notices: the warning chain reaches a unit user through the bell; the office sees every delivery', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  let hook: http.Server;
  const posts: string[] = [];
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();

  beforeAll(async () => {
    // The webhook gateway (an SMS / 政务 IM stand-in) accepts everything it is sent.
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        posts.push(body);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));

    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit' },
    ]) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        ...o,
        supervisorLine: null,
        parentId: ids.get('ROOT'),
      });
      ids.set(o.code, created.id);
    }
    for (const [username, role, displayName, org, pw, email] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office, null],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit, 'li@edu.example.gov.cn'],
      ['e2e.head', 'unit_head', '教育局张书记', 'EDU', PW.head, 'zhang@edu.example.gov.cn'],
      ['e2e.sys', 'sysadmin', '系统管理员', 'XCB', PW.sys, null],
    ] as const) {
      const u = await admin.call<{ id: number; initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
        email,
      });
      ids.set(username, u.id);
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }
    // Out of the app: the webhook to the gateway above; SMTP to a port where nothing listens (it fails and retries).
    const hookPort = (hook.address() as AddressInfo).port;
    const sys = await apiLogin(server.baseUrl, 'e2e.sys', PW.sys); // 三员分立: system settings are the 系统管理员's
    await sys.call('PUT', '/settings/system/system.webhook', {
      value: { enabled: true, url: `http://127.0.0.1:${hookPort}/notify`, secret: 'e2e-webhook-secret' },
      version: 0,
    });
    await sys.call('PUT', '/settings/system/system.smtp', {
      value: { enabled: true, host: '127.0.0.1', port: 9, secure: false, user: '', from: 'rectify@example.gov.cn' },
      version: 0,
    });
    await sys.close();

    // A measure owned by the unit's liaison, due in five days: the 20- and 10-day steps are due.
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    const ru = (
      await officeApi.call<{ id: number }>('POST', `/rounds/${round.id}/units`, {
        unitOrgId: ids.get('EDU'),
        teamId: null,
      })
    ).id;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await officeApi.call('PUT', `/round-units/${ru}/feedback`, {
      body: '一、党的建设方面\n1.基层党组织建设薄弱，“三会一课”制度落实不到位。',
      deliveredOn: today,
      version: 0,
    });
    await officeApi.call('POST', `/round-units/${ru}/problems`, {
      number: '一、1.',
      categoryCode: 'party_building',
      description: '基层党组织建设薄弱，“三会一课”制度落实不到位。',
      source: 'feedback',
      severity: 'medium',
      measures: [
        {
          content: '制定“三会一课”落实清单，逐月督查通报。',
          type: 'deadline',
          deadline: addDays(today, 5),
          ownerUserId: ids.get('e2e.unit'),
        },
      ],
    });
    // The office runs the daily warnings now (the scheduler ran today's at start, before there was data).
    const run = await officeApi.call<{ status: string; result: { created: number } }>(
      'POST',
      '/notices/job-runs/warnings.daily/run',
    );
    expect(run.status).toBe('done');
    expect(run.result.created).toBeGreaterThanOrEqual(2);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
    await new Promise<void>((r) => hook?.close(() => r()));
  });

  async function newPage(opts: { width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    return page;
  }

  it('the unit liaison sees the bell count, opens the notices and marks them read', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.unit', PW.unit);
    const bell = page.getByTestId('notice-bell');
    await expect.poll(() => bell.getAttribute('data-count')).toBe('1');
    await shot(page, 'notices-01-bell');
    await bell.click();
    await page.waitForURL('**/notices');
    const item = page.getByTestId('notice-item').first();
    await item.getByText('整改期限提醒').waitFor();
    await item.getByText('还有5天到期').waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    await shot(page, 'notices-02-list');
    const res = await withResponse(page, '/read', () => item.getByRole('button', { name: '标为已读' }).click());
    expect(res.status()).toBe(200);
    await expect.poll(() => item.getAttribute('data-unread')).toBe('false');
    await expect.poll(() => bell.getAttribute('data-count')).toBe('0');
    await shot(page, 'notices-03-read');
  });

  it('on a phone, the unit head reads its notice without sideways scrolling', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.head', PW.head);
    await expect.poll(() => page.getByTestId('notice-bell').getAttribute('data-count')).toBe('1');
    await page.goto('/notices');
    await page.getByTestId('notice-item').first().waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'notices-04-phone');
    await page.getByTestId('notices-read-all').click();
    await expect.poll(() => page.getByTestId('notice-bell').getAttribute('data-count')).toBe('0');
  });

  it('the office sees every delivery and its state: the webhook sent, the e-mail failing and retried with backoff', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto('/notices');
    await page.getByRole('tab', { name: '投递记录' }).click();
    const counts = page.getByTestId('delivery-counts');
    await counts.getByText('已发送 2').waitFor();
    await counts.getByText('待发送 2').waitFor();
    await page.getByRole('cell', { name: 'Webhook（短信/政务IM网关）' }).first().waitFor();
    await page.getByTestId('delivery-status').filter({ hasText: '待发送' }).first().waitFor();
    expect(posts.length).toBe(2);
    await shot(page, 'notices-05-deliveries');
    await page.getByRole('tab', { name: '任务运行' }).click();
    await page.getByRole('cell', { name: 'warnings.daily' }).first().waitFor();
    await shot(page, 'notices-06-job-runs');
    await page.getByRole('tab', { name: '预警信号' }).click();
    await page.getByText('按单位计算的整改预警信号').waitFor();
    expect(errors).toEqual([]);
  });
});
