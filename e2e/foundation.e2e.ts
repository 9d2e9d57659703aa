import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption, pickTreeNode, withResponse } from './support/ui';

const NEW_PASSWORD = 'E2e-Chief-Pass-2026!';
const LIAISON_PASSWORD = 'Liaison-Pass-2026!';

describe('foundation: sign-in, organisations, users, languages', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let initialPassword = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 1366, height: 860 },
    });
    page = await context.newPage();
    errors = watchConsole(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('signs in as admin with the one-time password and must change it first', async () => {
    await page.goto('/');
    await page.waitForURL('**/login');
    await expect.poll(() => page.getByRole('heading', { name: '登录' }).isVisible()).toBe(true);
    await shot(page, '01-login');

    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill(server.adminPassword);
    await button(page, '登录').click();

    await page.getByRole('heading', { name: '请修改密码' }).waitFor();
    await page.getByTestId('password-policy').waitFor();
    await shot(page, '02-forced-password-change');

    await page.getByLabel('当前密码').fill(server.adminPassword);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await button(page, '修改密码').click();

    await page.getByTestId('greeting').waitFor();
    expect(await page.getByTestId('greeting').textContent()).toContain('安全管理员');
    expect(await page.getByTestId('home-role').textContent()).toBe('安全管理员');
    expect(await page.getByTestId('home-org').textContent()).toBe('中共市委');
    await shot(page, '03-home');
  });

  it('creates an organisation in the tree', async () => {
    await page.getByRole('menuitem', { name: /组织机构/ }).click();
    await page.waitForURL('**/admin/organisations');
    await page.getByRole('cell', { name: '中共市委', exact: true }).waitFor();

    await page.getByTestId('org-create').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('编码').fill('E2E-EDU');
    await drawer.getByLabel('名称', { exact: true }).fill('市教育局');
    await drawer.getByLabel('简称').fill('教育局');
    await pickTreeNode(page, drawer.getByLabel('上级单位'), '中共市委（市委）');
    await shot(page, '04-organisation-form');
    const res = await withResponse(page, '/api/v1/organisations', () => page.getByTestId('org-save').click());
    expect(res.status()).toBe(201);

    await page.getByRole('cell', { name: '市教育局', exact: true }).waitFor();
    await shot(page, '05-organisations');
  });

  it('creates a user and shows the one-time password once', async () => {
    await page.getByRole('menuitem', { name: /用户管理/ }).click();
    await page.waitForURL('**/admin/users');
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();

    await page.getByTestId('user-create').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('用户名').fill('e2e.liaison');
    await drawer.getByLabel('姓名').fill('张联络');
    await pickTreeNode(page, drawer.getByLabel('所属单位'), '市教育局（教育局）');
    await pickOption(page, drawer.getByLabel('角色'), '被巡察单位联络员');
    await drawer.getByLabel('电子邮箱').fill('zhang@example.gov.cn');
    const res = await withResponse(page, '/api/v1/users', () => page.getByTestId('user-save').click());
    expect(res.status()).toBe(201);

    const secret = page.getByTestId('initial-password');
    await secret.waitFor();
    initialPassword = (await secret.textContent())?.trim() ?? '';
    expect(initialPassword.length).toBeGreaterThanOrEqual(8);
    await shot(page, '06-user-initial-password');
    await button(page.locator('.ant-modal-footer'), '关闭').click();
    await page.getByRole('cell', { name: 'e2e.liaison', exact: true }).waitFor();
    await page.getByRole('cell', { name: '张联络', exact: true }).waitFor();
  });

  it('the new user signs in with the one-time password and is sent back to login when the session ends', async () => {
    const other = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 1280, height: 800 },
    });
    const p2 = await other.newPage();
    await p2.goto('/login');
    // Keyboard only: type, Tab, type, Enter.
    await p2.getByLabel('用户名').fill('e2e.liaison');
    await p2.keyboard.press('Tab');
    await p2.keyboard.type(initialPassword);
    await p2.keyboard.press('Enter');
    await p2.getByRole('heading', { name: '请修改密码' }).waitFor();
    await p2.getByLabel('当前密码').fill(initialPassword);
    await p2.getByLabel('新密码', { exact: true }).fill(LIAISON_PASSWORD);
    await p2.getByLabel('确认新密码').fill(LIAISON_PASSWORD);
    await p2.getByLabel('确认新密码').press('Enter');
    await p2.getByTestId('greeting').waitFor();
    expect(await p2.getByTestId('home-role').textContent()).toBe('被巡察单位联络员');
    expect(await p2.getByTestId('home-org').textContent()).toBe('市教育局');
    expect(await p2.getByRole('menuitem', { name: /用户管理/ }).count()).toBe(0);
    await p2.getByRole('menuitem', { name: /组织机构/ }).waitFor();
    await shot(p2, '06b-liaison-home');

    // The security administrator resets the password: every session of that user ends.
    await page
      .getByRole('row', { name: /e2e\.liaison/ })
      .getByRole('button', { name: /更多/ })
      .click();
    await page.getByRole('menuitem', { name: /重置密码/ }).click();
    await button(page.locator('.ant-modal-confirm-btns'), '确认').click();
    await page.getByTestId('initial-password').waitFor();
    await button(page.locator('.ant-modal-footer'), '关闭').click();

    // The liaison's next request finds the session gone and lands on the login page with the reason.
    await p2.getByRole('menuitem', { name: /组织机构/ }).click();
    await p2.waitForURL('**/login');
    await p2.getByText('会话已过期，请重新登录').waitFor();
    await shot(p2, '06c-session-ended');
    await other.close();
  });

  it('switches to 繁體 and to English, menu included', async () => {
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), '繁體中文');
    await page.getByRole('menuitem', { name: /組織機構/ }).waitFor();
    await page.getByRole('menuitem', { name: /使用者管理/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
    await shot(page, '07-zh-TW');

    await pickOption(page, page.getByRole('combobox', { name: '語言' }), 'English');
    await page.getByRole('menuitem', { name: /Organisations/ }).waitFor();
    await page.getByRole('menuitem', { name: /Users/ }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('rectify.lang'))).toBe('en');
    await shot(page, '08-en');
  });

  it('signs out back to the login page', async () => {
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByText('You have signed out').waitFor();
    await shot(page, '09-signed-out');
  });

  it('locks an account after 5 wrong passwords and says so', async () => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('nobody-here');
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('Password', { exact: true }).fill(`wrong-${i}`);
      const res = await withResponse(page, '/api/v1/auth/login', () => button(page, 'Sign in').click());
      expect(res.status()).toBe(401);
      await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong username or password');
    }
    await page.getByLabel('Password', { exact: true }).fill('wrong-6');
    const res = await withResponse(page, '/api/v1/auth/login', () => button(page, 'Sign in').click());
    expect(res.status()).toBe(423);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('locked');
    await shot(page, '10-locked');
  });

  it('left no errors in the browser console', () => {
    // 401 from /auth/me before signing in and the wrong-password answers are expected.
    const unexpected = errors.filter((e) => !/status of 40[13]|status of 423/.test(e));
    expect(unexpected).toEqual([]);
  });
});
