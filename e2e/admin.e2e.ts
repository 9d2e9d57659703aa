import fs from 'node:fs';
import path from 'node:path';
import { authenticator } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { ROOT, startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Chief-E2e-2026!',
  sys: 'Sys-Keeper-2026!',
  audit: 'Log-Reader-2026!',
};

/** Organisations for a realistic tree (and the README screenshot). */
const ORGS: { code: string; name: string; shortName: string; type: string; line?: string; parent?: string }[] = [
  { code: 'CDI', name: '市纪委监委', shortName: '市纪委', type: 'discipline_office', parent: 'ROOT' },
  {
    code: 'CDI-1',
    name: '市纪委监委第一监督检查室',
    shortName: '一室',
    type: 'supervisor',
    line: 'discipline',
    parent: 'CDI',
  },
  { code: 'ORG', name: '市委组织部', shortName: '组织部', type: 'supervisor', line: 'organisation', parent: 'ROOT' },
  { code: 'PROP', name: '市委宣传部', shortName: '宣传部', type: 'supervisor', line: 'propaganda', parent: 'ROOT' },
  { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office', parent: 'ROOT' },
  { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit', parent: 'ROOT' },
  { code: 'HEALTH', name: '市卫生健康委党组', shortName: '卫健委', type: 'inspected_unit', parent: 'ROOT' },
  { code: 'HOUSING', name: '市住房和城乡建设局党组', shortName: '住建局', type: 'inspected_unit', parent: 'ROOT' },
  { code: 'CAD', name: '市人民防空办公室党组', shortName: '人防办', type: 'inspected_unit', parent: 'ROOT' },
  { code: 'DIST-A', name: '红塔区委', shortName: '红塔区', type: 'party_committee', parent: 'ROOT' },
  { code: 'DIST-A-EDU', name: '红塔区教育体育局党组', shortName: '区教体局', type: 'inspected_unit', parent: 'DIST-A' },
];

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

describe('administration pages, each for its own administrator (三员分立)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const ids = new Map<string, number>();
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of ORGS) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        code: o.code,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        supervisorLine: o.line ?? null,
        parentId: ids.get(o.parent ?? 'ROOT') ?? null,
      });
      ids.set(o.code, created.id);
    }
    await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get('CDI-1') });
    for (const [username, role, displayName, pw] of [
      ['sys.admin', 'sysadmin', '系统管理员甲', PW.sys],
      ['audit.admin', 'auditor', '审计管理员乙', PW.audit],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get('ROOT'),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }
  });

  afterAll(async () => {
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage() {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 1366, height: 860 },
    });
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  }

  it('security administrator: organisation tree, liaison links, roles, security settings, import errors, tokens', async () => {
    const page = await newPage();
    await signIn(page, 'admin', PW.admin);
    // The audit log is the audit administrator's alone: not in this menu, and 403 by address.
    expect(await page.getByRole('menuitem', { name: /审计日志/ }).count()).toBe(0);
    await page.goto('/admin/audit');
    await page.getByText('您的角色没有访问此页面的权限。').waitFor();
    await shot(page, 'admin-01-forbidden');

    await page.goto('/admin/organisations');
    await page.getByText('红塔区委', { exact: true }).waitFor();
    await page.getByRole('button', { name: /全部展开/ }).click();
    await page.getByText('红塔区教育体育局党组', { exact: true }).waitFor();
    await shot(page, 'admin-02-organisations');
    if (process.env.DOCS_SCREENSHOT) {
      fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png'), animations: 'disabled' });
    }
    await page.getByPlaceholder('按名称、简称或编码搜索').fill('教育');
    await page.getByPlaceholder('按名称、简称或编码搜索').press('Enter');
    await page.getByText('市教育局党委', { exact: true }).waitFor();
    expect(await page.getByText('市卫生健康委党组', { exact: true }).count()).toBe(0);

    // Import: a file that is not a workbook is refused with the server's message.
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'orgs.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from('not a workbook'),
    });
    await expect.poll(() => dialog.getByTestId('import-errors').textContent()).toContain('xlsx');
    await shot(page, 'admin-03-import-error');
    await button(page.locator('.ant-modal-footer'), '关闭').click();

    await page.getByRole('menuitem', { name: /联系关系/ }).click();
    await page.getByRole('cell', { name: '市教育局党委', exact: true }).waitFor();
    await page.getByRole('button', { name: /新增联系关系/ }).click();
    const linkDialog = page.getByRole('dialog');
    await pickOption(page, linkDialog.getByLabel('被巡察单位'), '市卫生健康委党组');
    await pickOption(page, linkDialog.getByLabel('监督部门'), '市委组织部');
    const res = await withResponse(page, '/api/v1/liaison-links', () => button(linkDialog, '保存').click());
    expect(res.status()).toBe(201);
    await page.getByRole('cell', { name: '市卫生健康委党组', exact: true }).waitFor();
    await shot(page, 'admin-04-liaison');

    await page.getByRole('menuitem', { name: /角色权限/ }).click();
    await page.getByRole('cell', { name: '审计管理员', exact: true }).waitFor();
    await page.getByRole('cell', { name: '稽核管理員', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Audit administrator', exact: true }).waitFor();
    await shot(page, 'admin-05-roles');

    await page.getByRole('menuitem', { name: /安全设置/ }).click();
    await page.getByLabel('锁定时长（分钟）').fill('45');
    const put = await withResponse(page, '/api/v1/settings/security/security.lockout', () =>
      page.getByRole('button', { name: /保存登录失败锁定/ }).click(),
    );
    expect(put.status()).toBe(200);
    await page.getByText('已保存').first().waitFor();
    await shot(page, 'admin-06-security-settings', true);

    await page.getByTestId('header-user').click();
    await page.getByRole('heading', { name: '个人设置' }).waitFor();
    await page.getByLabel('名称').fill('nightly-report');
    await page.getByRole('button', { name: /创建令牌/ }).click();
    const token = page.getByTestId('created-token');
    await token.waitFor();
    expect((await token.textContent())?.trim()).toMatch(/^rct_/);
    await shot(page, 'admin-07-token-created');
    await button(page.locator('.ant-modal-footer'), '关闭').click();
    await page.getByRole('cell', { name: 'nightly-report', exact: true }).waitFor();
    await page.getByRole('button', { name: /吊\s*销/ }).click();
    await page
      .locator('.ant-popconfirm-buttons')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await page.getByText('已吊销', { exact: true }).waitFor();
    await shot(page, 'admin-08-account', true);
    await page.context().close();
  });

  it('system administrator: dictionaries, working calendar, system settings', async () => {
    const page = await newPage();
    await signIn(page, 'sys.admin', PW.sys);
    expect(await page.getByRole('menuitem', { name: /用户管理/ }).count()).toBe(0);

    await page.getByRole('menuitem', { name: /数据字典/ }).click();
    await page.getByRole('cell', { name: '选人用人', exact: true }).waitFor();
    await page.getByRole('tab', { name: '评价等次' }).click();
    await page.getByRole('button', { name: /新增条目/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('代码').fill('excellent_plus');
    await drawer.getByLabel('简体名称').fill('特别优秀');
    await drawer.getByLabel('繁體名稱').fill('特別優秀');
    await drawer.getByLabel('英文名称').fill('Outstanding');
    await drawer.getByLabel('最低分').fill('98');
    await shot(page, 'sys-01-dictionary-form');
    const created = await withResponse(page, '/api/v1/dictionaries', () => button(drawer, '保存').click());
    expect(created.status()).toBe(201);
    await page.getByRole('cell', { name: '特别优秀', exact: true }).waitFor();
    await shot(page, 'sys-02-dictionaries');

    await page.getByRole('menuitem', { name: /工作日历/ }).click();
    await page.getByRole('button', { name: '2026-01-01', exact: true }).waitFor();
    await page.getByRole('button', { name: /设置日期/ }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('日期').fill('2026-12-31');
    await modal.getByLabel('日期').press('Enter');
    await modal.getByLabel('节假日').check();
    await modal.getByLabel('说明').fill('年终盘点');
    const putDay = await withResponse(page, '/api/v1/calendar/2026-12-31', () => button(modal, '保存').click());
    expect(putDay.status()).toBe(200);
    await page.locator('.cal-holiday', { hasText: '年终盘点' }).first().waitFor();
    await shot(page, 'sys-03-calendar');

    await page.getByRole('menuitem', { name: /系统设置/ }).click();
    await page.getByLabel('服务器地址').fill('smtp.example.gov.cn');
    await page.getByLabel('密码', { exact: true }).fill('Smtp-Secret-1');
    const putSmtp = await withResponse(page, '/api/v1/settings/system/system.smtp', () =>
      page.getByRole('button', { name: /保存邮件服务器/ }).click(),
    );
    expect(putSmtp.status()).toBe(200);
    const sent = JSON.parse(putSmtp.request().postData() ?? '{}');
    expect(sent.value.password).toBe('Smtp-Secret-1');
    await page.getByText('已设置').waitFor();
    expect(await page.getByLabel('密码', { exact: true }).inputValue()).toBe('');
    await shot(page, 'sys-04-system-settings', true);
    await page.context().close();
  });

  it('audit administrator: audit log with filters, before/after and chain verification', async () => {
    const page = await newPage();
    await signIn(page, 'audit.admin', PW.audit);
    const items = await page.getByRole('menuitem').allTextContents();
    expect(items.join('|')).not.toMatch(/组织机构|用户管理/);

    await page.getByRole('menuitem', { name: /审计日志/ }).click();
    await page.getByRole('cell', { name: 'org.create', exact: true }).first().waitFor();
    await page.getByLabel('操作', { exact: true }).fill('org.');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'auth.login', exact: true }).count()).toBe(0);
    await page.getByRole('cell', { name: 'org.create', exact: true }).first().waitFor();
    await page
      .getByRole('button', { name: /展开行|Expand row/ })
      .first()
      .click();
    await page.getByText('修改后').first().waitFor();
    await page.getByRole('button', { name: /校验哈希链/ }).click();
    await expect.poll(() => page.getByTestId('audit-verify').textContent()).toContain('校验通过');
    await shot(page, 'audit-01-log');
    await page.context().close();
  });

  it('any user: enrols an authenticator on the account page, then signs in with its code', async () => {
    const page = await newPage();
    await signIn(page, 'sys.admin', PW.sys);
    await page.goto('/account');
    await page.getByRole('button', { name: /生成密钥/ }).click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]+$/);
    await page.locator('.ant-qrcode canvas, .ant-qrcode svg').first().waitFor();
    await shot(page, 'totp-01-enrol');
    await page.getByPlaceholder('000000').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: /启用双因素认证/ }).click();
    await page.getByText('已启用').first().waitFor();

    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByLabel('用户名').fill('sys.admin');
    await page.getByLabel('密码', { exact: true }).fill(PW.sys);
    await button(page, '登录').click();
    await page.getByRole('heading', { name: '双因素认证' }).waitFor();
    await page.getByLabel('动态验证码').fill('000000');
    await button(page, '验证').click();
    await page.getByText('动态验证码错误').waitFor();
    await shot(page, 'totp-02-verify');
    await page.getByLabel('动态验证码').fill(authenticator.generate(secret));
    await button(page, '验证').click();
    await page.getByTestId('greeting').waitFor();
    await page.context().close();
  });

  it('login page fits a phone screen', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-TW',
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { name: '登入' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone-01-login');
    await context.close();
  });

  it('left no errors in the browser console', () => {
    expect(errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });
});
