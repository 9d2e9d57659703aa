import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = { admin: 'Rectify-Sec-2026!', office: 'Office-E2e-2026!' };

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('满意度测评: the office configures a survey and prints codes, the public answers on a phone, the office reads the result', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const consoles = new Map<Page, string[]>();
  let roundUnitId = 0;
  let codes: string[] = [];
  let office: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    const rootId = root.items.find((o) => o.code === 'ROOT')!.id;
    const xcb = await admin.call<{ id: number }>('POST', '/organisations', {
      code: 'XCB',
      name: '市委巡察工作领导小组办公室',
      shortName: '巡察办',
      type: 'inspection_office',
      parentId: rootId,
    });
    const edu = await admin.call<{ id: number }>('POST', '/organisations', {
      code: 'EDU',
      name: '市教育局党委',
      shortName: '教育局',
      type: 'inspected_unit',
      parentId: rootId,
    });
    const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
      username: 'e2e.office',
      displayName: '巡察办王科长',
      orgId: xcb.id,
      role: 'office',
    });
    await (await firstLogin(server.baseUrl, 'e2e.office', u.initialPassword, PW.office)).close();
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    roundUnitId = (
      await officeApi.call<{ id: number }>('POST', `/rounds/${round.id}/units`, { unitOrgId: edu.id, teamId: null })
    ).id;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(opts: { width?: number; height?: number; mobile?: boolean } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
      isMobile: opts.mobile,
      hasTouch: opts.mobile,
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    consoles.set(page, watchConsole(page));
    return page;
  }

  it('office: writes the questionnaire, makes a batch of codes and prints the sheet with QR codes', async () => {
    office = await newPage();
    await signIn(office, 'e2e.office', PW.office);
    await office.getByRole('menuitem', { name: '满意度测评' }).click();
    await office.getByTestId('survey-create').click();
    const modal = office.locator('.ant-modal').filter({ hasText: '新建测评' });
    await modal.getByLabel('测评名称').fill('五届市委第一轮巡察整改满意度测评');
    await pickOption(office, modal.getByLabel('被测评单位'), '教育局');
    await office.keyboard.press('Escape'); // a multiple select keeps its list open over the dialog
    await office.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    const created = await withResponse(office, '/api/v1/surveys', () => office.getByTestId('survey-create-ok').click());
    expect(created.status()).toBe(201);

    await office.getByTestId('question-text-0').fill('您对该单位巡察整改工作的总体评价');
    await office.getByTestId('add-text').click();
    await office.getByTestId('question-text-1').fill('您对整改工作的意见建议');
    const saved = await withResponse(office, '/api/v1/surveys/', () => office.getByTestId('survey-save').click());
    expect(saved.status()).toBe(200);
    await shot(office, 'surveys-01-questionnaire');

    await office.getByTestId('tab-batches').click();
    await pickOption(office, office.getByLabel('单位', { exact: true }), '教育局');
    await office.getByLabel('数量').fill('12');
    const made = await withResponse(office, '/batches', () => office.getByTestId('batch-create').click());
    expect(made.status()).toBe(201);
    await office.getByTestId('print-sheet').waitFor();
    await expect.poll(() => office.getByTestId('sheet-card').count()).toBe(12);
    expect(await office.locator('.survey-sheet-card svg').count()).toBe(12); // a QR code on each card
    codes = await office.getByTestId('sheet-code').allInnerTexts();
    expect(codes).toHaveLength(12);
    for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await shot(office, 'surveys-02-print-sheet');
    // As printed: only the grid of cards, three to a row on A4.
    await office.emulateMedia({ media: 'print' });
    await shot(office, 'surveys-03-print-sheet-paper', true);
    await office.emulateMedia({ media: 'screen' });

    await button(office, '返回').click();
    await office.getByTestId('survey-open').click();
    const opened = await withResponse(office, '/open', () => button(office.locator('.ant-popconfirm'), '确定').click());
    expect(opened.status()).toBe(200);
    await expect.poll(() => office.getByTestId('survey-status').textContent()).toBe('进行中');
  });

  it('public: answers from the code’s URL on a 375-px phone, in 简体 and in English, and by typing a code in', async () => {
    const phone = await newPage({ width: 375, height: 812, mobile: true });
    await phone.goto(`/survey/${codes[0]}`);
    const q1 = phone.getByTestId('question-q1');
    await q1.waitFor();
    await phone.getByText('市教育局党委').waitFor();
    expect(await overflow(phone)).toBeLessThanOrEqual(1);
    await q1.getByText('满意', { exact: true }).click();
    await q1.getByPlaceholder('补充说明（选填）').fill('整改到位，群众看得见');
    await phone.getByTestId('question-q2').locator('textarea').fill('希望建立长效机制');
    await shot(phone, 'surveys-04-public-phone', true);
    const sent = await withResponse(phone, '/public/survey-answers', () => phone.getByTestId('survey-submit').click());
    expect(sent.status()).toBe(201);
    await phone.getByTestId('survey-thanks').waitFor();
    await shot(phone, 'surveys-05-public-thanks');

    // English, from the language switch.
    await phone.goto(`/survey/${codes[1]}`);
    await phone.getByTestId('question-q1').waitFor();
    await pickOption(phone, phone.getByRole('combobox', { name: '语言' }), 'English');
    const en = phone.getByTestId('question-q1');
    await en.getByText('Not satisfied', { exact: true }).waitFor();
    expect(await overflow(phone)).toBeLessThanOrEqual(1);
    await en.getByText('Not satisfied', { exact: true }).click();
    await shot(phone, 'surveys-06-public-english');
    expect(
      (await withResponse(phone, '/public/survey-answers', () => phone.getByTestId('survey-submit').click())).status(),
    ).toBe(201);
    await phone.getByTestId('survey-thanks').waitFor();

    // Typed in by hand, in lower case and without dashes; back to 简体.
    await pickOption(phone, phone.getByRole('combobox', { name: 'Language' }), '简体中文');
    await phone.getByTestId('survey-again').click();
    await phone.getByTestId('survey-code-input').fill(codes[2]!.replace(/-/g, '').toLowerCase());
    await button(phone, '开始作答').click();
    const typed = phone.getByTestId('question-q1');
    await typed.getByText('基本满意', { exact: true }).click();
    expect(
      (await withResponse(phone, '/public/survey-answers', () => phone.getByTestId('survey-submit').click())).status(),
    ).toBe(201);
    await phone.getByTestId('survey-thanks').waitFor();

    // The first code again: refused, it answered once.
    await phone.goto(`/survey/${codes[0]}`);
    await phone.getByTestId('survey-refused').getByText('该测评码已使用').waitFor();
    await shot(phone, 'surveys-07-public-used');
    // The expected refusals of this page: 401 of /auth/me (nobody signed in) and 409 of the used code.
    const seen = consoles.get(phone)!;
    seen.splice(0, seen.length, ...seen.filter((e) => !/status of (401|409)/.test(e)));
  });

  it('office: sees three answers, the response rate and the satisfaction rate per question', async () => {
    await office.reload();
    await office.getByTestId('tab-results').click();
    const unit = office.getByTestId(`result-unit-${roundUnitId}`);
    await unit.waitFor();
    // 满意 + 基本满意 satisfied, 不满意 not: 2 of 3.
    await expect.poll(() => office.getByTestId(`rate-${roundUnitId}-q1`).textContent()).toBe('满意率 66.7%');
    await unit.getByText('整改到位，群众看得见').waitFor();
    await unit.getByText('希望建立长效机制').waitFor();
    await office.getByText('25%').first().waitFor(); // 3 of 12 codes used
    await shot(office, 'surveys-08-results', true);
  });

  it('left no errors in the browser console', async () => {
    // 401 of /auth/me before anyone signs in (the login page and the public page) is expected.
    expect([...consoles.values()].flat().filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
