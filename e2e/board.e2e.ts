import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeXml, inflateEntry, zipEntries } from '../server/src/modules/ledger-excel/ledger-excel.zip';
import { AppError } from '../server/src/platform/errors';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption } from './support/ui';

const DEMO_PASSWORD = 'Demo-Passw0rd-2026!';

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

/** Every chart of a container has drawn its canvas. */
async function chartsDrawn(scope: Page, ids: string[]) {
  for (const id of ids) await scope.getByTestId(id).locator('canvas').first().waitFor();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * 数着改 on the demo dataset: the leader opens the board, sees the charts, clicks a red unit and lands
 * on the ledger sheet with exactly that unit's late measures; the 大屏 view renders, in 简体, 繁體 and English.
 */
describe('board: the leader drills from a red unit to its late measures; the wall display renders', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD }, ['--demo']);
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('board → red unit → its overdue rows in the ledger; 大屏 in three languages', async () => {
    const page = await context.newPage();
    const errors = watchConsole(page);
    await signIn(page, 'leader', DEMO_PASSWORD);
    await page.goto('/board');
    await page.getByTestId('board').waitFor();
    // The demo's headline figures (SPEC §1), the same as the ledger's.
    await expect.poll(() => page.getByTestId('board-figure-measures-value').textContent()).toBe('5,310条');
    expect(await page.getByTestId('board-figure-rate-value').textContent()).toBe('93.7%');
    expect(await page.getByTestId('board-figure-units-value').textContent()).toBe('77个');
    await chartsDrawn(page, ['chart-status', 'chart-category', 'chart-trend', 'chart-ranking']);
    await shot(page, 'board-01-leader', true);

    // A red unit: its light opens the ledger on its overdue measures, as many as the ranking says.
    await page.getByTestId('light-filter').getByText(/红灯/).click();
    const red = page.locator('[data-testid="ranking-row-red"]').first();
    await red.waitFor();
    const unitName = (await red.getAttribute('data-unit'))!;
    const overdue = Number(await red.locator('td').nth(5).textContent());
    expect(overdue).toBeGreaterThan(0);
    await red.locator('[data-testid^="light-"]').click();
    await page.waitForURL(/\/ledger\?.*unitOrgId=\d+.*overdue=true/);
    await page.getByText(`共 ${overdue} 条`, { exact: true }).waitFor();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    const shown = await rows.count();
    expect(shown).toBe(Math.min(overdue, 50));
    for (let i = 0; i < shown; i++) expect(await rows.nth(i).textContent()).toContain(unitName);
    await shot(page, 'board-02-red-unit-ledger');

    // The same leader then takes the comprehensive report (all rounds: the board's selection) as Word.
    await page.getByRole('menuitem', { name: '报告与汇报' }).click();
    await page.waitForURL(/\/reports/);
    await page.getByTestId('download-comprehensive').waitFor();
    await shot(page, 'board-03-reports');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-comprehensive').click(),
    ]);
    const title = '关于历轮巡察整改进展情况的综合报告';
    expect(download.suggestedFilename()).toBe(`${title}.docx`);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const bad = () => new AppError(400, 'VALIDATION_FAILED', { detail: 'not a zip' });
    const entries = zipEntries(bytes, bad);
    const xml = inflateEntry(bytes, entries.get('word/document.xml')!, 50_000_000, bad).toString('utf8');
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1]!)).join('');
    expect(text).toContain(title);
    // The report's figures are the board's: 77 units, 5,310 measures; the red unit is in its table.
    expect(text).toContain('历轮共涉及被巡察党组织77个');
    expect(text).toContain('制定整改措施5310项');
    expect(text).toContain(unitName);

    // Filters narrow everything; the wall display opens on the same selection in its own window.
    await page.goto('/board');
    await page.getByTestId('board').waitFor();
    const [screen] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-screen').click()]);
    await screen.getByTestId('screen').waitFor();
    await expect.poll(() => screen.getByTestId('board-figure-measures-value').textContent()).toBe('5,310条');
    await chartsDrawn(screen, ['chart-status', 'chart-category', 'chart-trend', 'chart-ranking']);
    await screen.setViewportSize({ width: 1920, height: 1080 });
    await screen.waitForTimeout(300); // charts follow the new size on their resize observer
    await shot(screen, 'board-04-screen-zh-CN');
    await screen.close();

    // 繁體 and English: the board and the wall display.
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), '繁體中文');
    await page.goto('/board');
    await page.getByText('單位排名與紅黃綠燈').waitFor();
    await chartsDrawn(page, ['chart-status', 'chart-trend']);
    await shot(page, 'board-05-zh-TW', true);
    await page.goto('/screen');
    await page.getByText('巡察整改監督 · 整改態勢').waitFor();
    await chartsDrawn(page, ['chart-status', 'chart-category', 'chart-trend', 'chart-ranking']);
    await shot(page, 'board-06-screen-zh-TW');
    await page.goto('/board');
    await pickOption(page, page.getByRole('combobox', { name: '語言' }), 'English');
    await page.goto('/board');
    await page.getByText('Unit ranking and lights').waitFor();
    await chartsDrawn(page, ['chart-status', 'chart-trend']);
    await shot(page, 'board-07-en', true);
    await page.goto('/screen');
    await page.getByText('Rectification supervision · overview').waitFor();
    await chartsDrawn(page, ['chart-status', 'chart-category', 'chart-trend', 'chart-ranking']);
    await shot(page, 'board-08-screen-en');

    // Phone width: no sideways scrolling on the board.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/board');
    await page.getByTestId('board').waitFor();
    await chartsDrawn(page, ['chart-status']);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'board-09-phone');
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  }, 300_000);
});
