import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeXml, inflateEntry, zipEntries } from '../server/src/modules/ledger-excel/ledger-excel.zip';
import { AppError } from '../server/src/platform/errors';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  leader: 'Leader-E2e-2026!',
  unit: 'Unit-E2e-2026!',
  follow: 'Follow-E2e-2026!',
};

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

async function fillDate(scope: Page | ReturnType<Page['locator']>, label: string, date: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(date);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const shanghai = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);

describe('reports: the leader downloads the comprehensive report; standing-committee minutes become tasks the 督查室 follows', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let eduTask = 0;
  const today = shanghai(new Date());
  const yesterday = shanghai(new Date(Date.now() - 86_400_000));
  const nextMonth = shanghai(new Date(Date.now() + 30 * 86_400_000));

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'DCS', name: '市委督查室', shortName: '督查室', type: 'followup_office' },
      { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit' },
      { code: 'FIN', name: '市财政局党组', shortName: '财政局', type: 'inspected_unit' },
    ]) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        code: o.code,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        supervisorLine: null,
        parentId: ids.get('ROOT'),
      });
      ids.set(o.code, created.id);
    }
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.leader', 'leader', '领导小组赵组长', 'ROOT', PW.leader],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit],
      ['e2e.follow', 'followup', '督查室孙督查', 'DCS', PW.follow],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }

    // A round with two units, each with a problem and its measures.
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    for (const [code, text] of [
      ['EDU', '基层党组织建设薄弱，“三会一课”制度落实不到位。'],
      ['FIN', '专项资金管理不规范，存在违规拨付问题。'],
    ] as const) {
      const ru = (
        await officeApi.call<{ id: number }>('POST', `/rounds/${round.id}/units`, {
          unitOrgId: ids.get(code),
          teamId: null,
        })
      ).id;
      await officeApi.call('PUT', `/round-units/${ru}/feedback`, {
        body: `一、${text}`,
        deliveredOn: today,
        version: 0,
      });
      await officeApi.call('POST', `/round-units/${ru}/problems`, {
        number: '一、1.',
        categoryCode: 'party_building',
        description: text,
        source: 'feedback',
        severity: 'medium',
        measures: [
          { content: '制定整改清单，逐项销号。', type: 'deadline', deadline: nextMonth },
          { content: '建立长效机制。', type: 'long_term', deadline: '2030-06-30' },
        ],
      });
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
    expect(errors).toEqual([]);
  });

  async function newPage(opts: { width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    return page;
  }

  it('leader: opens Reports and downloads the comprehensive report of the round', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.leader', PW.leader);
    await page.getByRole('menuitem', { name: '报告与汇报' }).click();
    await pickOption(page, page.getByRole('combobox', { name: '巡察轮次' }), '五届市委第一轮巡察');
    await shot(page, 'reports-01-leader');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-comprehensive').click(),
    ]);
    expect(download.suggestedFilename()).toBe('关于五届市委第一轮巡察整改进展情况的综合报告.docx');
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const bad = () => new AppError(400, 'VALIDATION_FAILED', { detail: 'not a zip' });
    const entries = zipEntries(bytes, bad);
    const xml = inflateEntry(bytes, entries.get('word/document.xml')!, 10_000_000, bad).toString('utf8');
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1]!)).join('');
    expect(text).toContain('关于五届市委第一轮巡察整改进展情况的综合报告');
    expect(text).toContain('共涉及被巡察党组织2个，反馈问题2个，制定整改措施4项。');
    expect(text).toContain('市教育局党委');
  });

  it('office: records the standing-committee minutes with two decisions, which become tasks', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto('/reports');
    await page.getByRole('tab', { name: '会议纪要' }).click();
    await page.getByTestId('minutes-create').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '录入会议纪要' });
    await fillDate(modal, '会议日期', today);
    await modal.getByLabel('纪要编号').fill('市委常委会会议纪要〔2026〕12号');
    await modal.getByLabel('纪要标题').fill('市委常委会听取五届市委第一轮巡察情况汇报的会议纪要');
    await modal.getByLabel('纪要内容').fill('会议听取了第一轮巡察情况汇报，对涉及全局性的重要事项作出部署。');
    const first = modal.getByTestId('decision-0');
    await first.getByLabel('事项1').fill('市教育局党委限期整改“三会一课”制度落实问题');
    await pickOption(page, first.getByLabel('承办单位'), '市教育局党委');
    await fillDate(first, '办结时限', yesterday);
    await modal.getByTestId('decision-add').click();
    const second = modal.getByTestId('decision-1');
    await second.getByLabel('事项2').fill('市财政局党组完善专项资金管理制度');
    await pickOption(page, second.getByLabel('承办单位'), '市财政局党组');
    await fillDate(second, '办结时限', nextMonth);
    await shot(page, 'reports-02-minutes-form');
    const res = await withResponse(page, '/minutes', () => page.getByTestId('minutes-save').click());
    expect(res.status()).toBe(201);
    const minutes = (await res.json()) as { id: number; tasks: { id: number; ownerOrgId: number }[] };
    expect(minutes.tasks.length).toBe(2);
    eduTask = minutes.tasks.find((x) => x.ownerOrgId === ids.get('EDU'))!.id;
    await page.getByTestId(`minutes-${minutes.id}`).getByText('2项任务').waitFor();
    await shot(page, 'reports-03-minutes-recorded');
  });

  it('督查室: sees the task overdue and urges the unit', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.follow', PW.follow);
    await page.getByRole('menuitem', { name: '限时办结' }).click();
    const card = page.getByTestId(`task-${eduTask}`);
    await card.getByTestId('task-overdue').waitFor();
    await card.getByTestId('task-urge').click();
    await page.getByTestId('task-act-text').fill('请于3日内报送整改落实情况。');
    const res = await withResponse(page, `/tasks/${eduTask}/urge`, () => page.getByTestId('task-act-ok').click());
    expect(res.status()).toBe(200);
    await card.getByText('已催办1次').waitFor();
    await shot(page, 'reports-04-urged');
  });

  it('unit (phone): sees only its own task and reports it done', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/tasks');
    const card = page.getByTestId(`task-${eduTask}`);
    await card.waitFor();
    expect(await page.getByTestId('tasks-list').locator('.ant-list-item').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await card.getByTestId('task-report').click();
    await page.getByTestId('task-act-text').fill('已制定“三会一课”落实清单，1—6月逐月督查并通报3次。');
    const res = await withResponse(page, `/tasks/${eduTask}/report`, () => page.getByTestId('task-act-ok').click());
    expect(res.status()).toBe(200);
    await card.getByTestId('task-status').getByText('已报办结').waitFor();
    await shot(page, 'reports-05-unit-reported', true);
  });

  it('督查室: reads the report and closes the task', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.follow', PW.follow);
    await page.goto('/tasks');
    const card = page.getByTestId(`task-${eduTask}`);
    await card.getByText('逐月督查并通报3次', { exact: false }).waitFor();
    await card.getByTestId('task-accept').click();
    const res = await withResponse(page, `/tasks/${eduTask}/accept`, () => page.getByTestId('task-act-ok').click());
    expect(res.status()).toBe(200);
    await card.getByTestId('task-status').getByText('已办结').waitFor();
    await button(card, '办理记录').click();
    const log = page.locator('.ant-modal').filter({ hasText: '办理记录' });
    await log.getByText('催办', { exact: true }).waitFor();
    await log.getByText('办结', { exact: true }).waitFor();
    await shot(page, 'reports-06-closed-log');
  });
});
