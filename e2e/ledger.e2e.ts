import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, openDropdown, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  unit: 'Unit-E2e-2026!',
  leader: 'Leader-E2e-2026!',
};

const ORGS: { code: string; name: string; shortName: string; type: string; line?: string }[] = [
  { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
  { code: 'CDI-1', name: '市纪委监委第一监督检查室', shortName: '一室', type: 'supervisor', line: 'discipline' },
  { code: 'ORG', name: '市委组织部', shortName: '组织部', type: 'supervisor', line: 'organisation' },
  { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit' },
  { code: 'HEALTH', name: '市卫生健康委党组', shortName: '卫健委', type: 'inspected_unit' },
];

/** A 反馈意见 numbered the way they are: 一、（一）1. — four leaf items. */
const FEEDBACK = [
  '根据市委统一部署，市委第一巡察组对市教育局党委开展了常规巡察。现将巡察发现的主要问题反馈如下：',
  '一、贯彻落实党的路线方针政策和党中央决策部署方面',
  '（一）学习贯彻党的创新理论不够深入',
  '1.理论学习中心组学习流于形式，研讨交流发言质量不高。',
  '2.意识形态工作责任制落实不到位，对网络舆情研判不及时。',
  '（二）落实全面从严治党主体责任不到位',
  '1.违反中央八项规定精神问题仍有发生，公务接待超标准、超范围。',
  '二、选人用人方面',
  '1.干部选拔任用程序不规范，个别干部人事档案审核把关不严。',
].join('\n');

const HEALTH_FEEDBACK = '一、党的建设方面\n1.基层党组织建设薄弱，“三会一课”制度落实不到位。';

/** A minimal Word document (.docx) whose paragraphs are the given lines. */
async function docx(lines: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${l}</w:t></w:r></w:p>`).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** Rows of the ledger template (one measure per row; the rows of one problem share its number). */
const LEDGER_ROWS: (string | number | null)[][] = [
  // number, category, description, source, severity, leader, department, person, first, shared,
  // seq, content, type, deadline, owner, status, rules, funds, losses, people, cases
  [
    '一、1.',
    '党的建设',
    '基层党组织建设薄弱，“三会一课”制度落实不到位。',
    '巡察反馈',
    '较重',
    '王副主任',
    '机关党委',
    '李科长',
    '张主任',
    '王副主任、赵副主任',
    1,
    '制定“三会一课”落实清单，逐月督查通报。',
    '限期整改',
    '2030-06-30',
    '李科长',
    '整改中',
    2,
    '0',
    '0',
    0,
    0,
  ],
  [
    '一、1.',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    2,
    '将党建工作纳入年度考核，建立长效机制。',
    '长期坚持',
    '2030-12-31',
    '李科长',
    '未启动',
    1,
    '0',
    '0',
    0,
    0,
  ],
  [
    '一、2.',
    '财务管理',
    '违规发放津贴补贴 126 万元。',
    '巡察反馈',
    '严重',
    '张主任',
    '财务科',
    '刘科长',
    '张主任',
    null,
    1,
    '全额清退违规发放的津贴补贴，追究相关人员责任。',
    '立行立改',
    '2030-03-31',
    '刘科长',
    '已完成',
    0,
    '1260000.00',
    '0',
    2,
    0,
  ],
];

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

/** Types into a searchable select and picks the option with that label. */
async function searchPick(page: Page, select: ReturnType<Page['getByLabel']>, typed: string, label: string) {
  await select.click();
  await select.fill(typed);
  await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: label }).first().click();
}

describe('rounds, feedback to lists, the ledger sheet, Excel import and concurrent edits', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let roundId = 0;
  let eduRu = 0;
  let healthRu = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of ORGS) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        code: o.code,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        supervisorLine: o.line ?? null,
        parentId: ids.get('ROOT'),
      });
      ids.set(o.code, created.id);
    }
    await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get('CDI-1') });
    await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get('ORG') });
    // The security administrator creates the business accounts (三员分立: it reads none of their data).
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.unit', 'unit', '卫健委李联络', 'HEALTH', PW.unit],
      ['e2e.leader', 'leader', '领导小组赵副组长', 'XCB', PW.leader],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(opts: { width?: number; height?: number; locale?: string } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: opts.locale ?? 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  }

  it('office: creates a term and a round, a team, and adds two units', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.getByRole('menuitem', { name: /巡察轮次/ }).click();
    await page.waitForURL('**/rounds');

    await page.getByRole('tab', { name: '届次' }).click();
    await page.getByTestId('term-create').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('中共玉溪市第五届委员会');
    let res = await withResponse(page, '/api/v1/terms', () => page.getByTestId('term-save').click());
    expect(res.status()).toBe(201);
    await page.getByRole('cell', { name: '中共玉溪市第五届委员会', exact: true }).waitFor();

    await page.getByRole('tab', { name: '轮次' }).click();
    await page.getByTestId('round-create').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('五届市委第一轮巡察');
    // Enter in a field submits the form (keyboard use).
    res = await withResponse(page, '/api/v1/rounds', () => dialog.getByLabel('名称').press('Enter'));
    expect(res.status()).toBe(201);
    roundId = (await res.json()).id;
    await page.waitForURL(`**/rounds/${roundId}`);
    await page.getByRole('heading', { name: '五届市委第一轮巡察' }).waitFor();

    await page.getByTestId('team-create').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('组名').fill('市委第一巡察组');
    await withResponse(page, `/api/v1/rounds/${roundId}/teams`, () => page.getByTestId('team-save').click());
    await page.getByRole('button', { name: /选派人员 市委第一巡察组/ }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名', { exact: true }).fill('陈组长');
    await dialog.getByLabel('职务', { exact: true }).fill('市纪委监委副书记');
    await pickOption(page, dialog.getByLabel('组内职务'), '组长');
    await withResponse(page, '/api/v1/teams/', () => page.getByTestId('member-save').click());
    await page.getByText('陈组长').waitFor();

    for (const unit of ['市教育局党委', '市卫生健康委党组']) {
      await page.getByTestId('ru-add').click();
      dialog = page.getByRole('dialog');
      await searchPick(page, dialog.getByLabel('被巡察单位'), unit.slice(1, 3), unit);
      await pickOption(page, dialog.getByLabel('巡察组'), '市委第一巡察组');
      res = await withResponse(page, `/api/v1/rounds/${roundId}/units`, () => page.getByTestId('ru-add-save').click());
      expect(res.status()).toBe(201);
      const ru = (await res.json()).id as number;
      if (unit === '市教育局党委') eduRu = ru;
      else healthRu = ru;
      await page.getByTestId(`ru-link-${ru}`).waitFor();
    }
    expect(await page.locator('[data-status="awaiting_feedback"]').count()).toBe(2);
    await shot(page, 'ledger-01-round');
  });

  it('office: delivers the feedback (the deadline appears), splits it into a problem list and confirms it', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto(`/rounds/units/${eduRu}`);
    await page.getByRole('heading', { name: '市教育局党委' }).waitFor();
    expect(await page.getByTestId('ru-deadline').textContent()).toBe('—');

    await page.getByLabel('标题').fill('市委第一巡察组关于巡察市教育局党委的反馈意见');
    await page.getByTestId('feedback-body').fill(FEEDBACK);
    const res = await withResponse(page, `/api/v1/round-units/${eduRu}/feedback`, () =>
      page.getByTestId('feedback-save').click(),
    );
    expect(res.status()).toBe(200);
    const deadline = (await res.json()).roundUnit.deadline as string;
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect.poll(() => page.getByTestId('ru-deadline').textContent()).toBe(deadline);
    await page.getByTestId('feedback-deadline').waitFor();
    await expect.poll(() => page.getByTestId('ru-status').textContent()).toBe('整改中');

    // Feedback to lists: the text splits on its own numbering into four drafts.
    await withResponse(page, `/round-units/${eduRu}/feedback/parse`, () => page.getByTestId('drafts-parse').click());
    const drafts = page.getByTestId('drafts-table');
    await drafts.waitFor();
    await expect.poll(() => drafts.locator('tbody tr.ant-table-row').count()).toBe(4);
    expect(await drafts.getByLabel('编号 1').inputValue()).toBe('一、（一）1.');
    expect(await drafts.getByLabel('编号 4').inputValue()).toBe('二、1.');
    // Categories the parser could not guess are chosen by hand.
    for (let i = 0; i < 4; i++) {
      const select = page.getByTestId(`draft-category-${i}`);
      if ((await select.textContent())?.includes('请选择问题类别'))
        await pickOption(page, drafts.getByLabel(`问题类别 ${i + 1}`), '党的建设');
    }
    await pickOption(page, drafts.getByLabel('严重程度 3'), '严重');
    await shot(page, 'ledger-02-feedback-drafts', true);

    const confirm = await withResponse(page, `/round-units/${eduRu}/problems/confirm`, () =>
      page.getByTestId('drafts-confirm').click(),
    );
    expect(confirm.status()).toBe(201);
    expect((await confirm.json()).ids).toHaveLength(4);
    const problems = page.getByTestId('problems-table');
    await problems.waitFor();
    await expect.poll(() => problems.locator('tbody tr.ant-table-row').count()).toBe(4);
    await problems.getByText('二、1.').waitFor();
    await shot(page, 'ledger-03-problems');

    // 抄送: one click creates the copies the liaison links allow and says which kinds are missing.
    await page.getByRole('tab', { name: '抄送' }).click();
    await withResponse(page, `/round-units/${eduRu}/distribute`, () => page.getByTestId('copies-distribute').click());
    const copies = page.getByTestId('copies-table');
    await copies.getByRole('cell', { name: '市纪委监委第一监督检查室' }).waitFor();
    await copies.getByRole('cell', { name: '市委组织部', exact: true }).first().waitFor();
    await page.getByText('以下抄送对象没有对应的联系关系').waitFor();
    await copies
      .getByRole('button', { name: /登记送出/ })
      .first()
      .click();
    await copies
      .getByRole('button', { name: /登记签收/ })
      .first()
      .waitFor();
    await shot(page, 'ledger-04-copies');

    // The status offers only its legal next state (整改中 → 整改期满).
    const moves = page.locator('[data-testid^="ru-move-"]');
    expect(await moves.count()).toBe(1);
    expect(await moves.first().getAttribute('data-testid')).toBe('ru-move-period_ended');

    // 立行立改: the office proposes, the leadership approves (报批); each step shows who and when.
    await page.getByRole('tab', { name: '立行立改' }).click();
    await page.getByTestId('immediate-propose').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('事项内容').fill('立即清理违规占用的办公用房。');
    const proposed = await withResponse(page, `/round-units/${eduRu}/immediate-items`, () =>
      dialog.getByRole('button', { name: /提\s*交/ }).click(),
    );
    expect(proposed.status()).toBe(201);
    const item = await proposed.json();
    // The office may not approve its own proposal: no approve button for it.
    expect(await page.getByTestId(`immediate-approve-${item.id}`).count()).toBe(0);
    const leader = await apiLogin(server.baseUrl, 'e2e.leader', PW.leader);
    await leader.call('POST', `/immediate-items/${item.id}/approve`, { approve: true, version: item.version });
    await leader.close();
    await page.reload();
    await page.getByText('经办人：领导小组赵副组长').waitFor();
    await page.getByText('经办人：巡察办王科长').waitFor();
    await shot(page, 'ledger-04b-immediate');
  });

  it('unit: imports its lists from the Excel template with a progress bar and row errors', async () => {
    // The office delivers the second unit's feedback (the clock starts) through the API.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await officeApi.call('PUT', `/round-units/${healthRu}/feedback`, {
      body: HEALTH_FEEDBACK,
      deliveredOn: today,
      version: 0,
    });

    const unitApi = await apiLogin(server.baseUrl, 'e2e.unit', PW.unit);
    const tpl = await unitApi.ctx.get('/api/v1/ledger/template');
    expect(tpl.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tpl.body()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('三清单一台账')!;
    LEDGER_ROWS.forEach((values, r) => {
      values.forEach((v, c) => {
        if (v !== null) ws.getRow(r + 2).getCell(c + 1).value = v;
      });
    });
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    // The same workbook with one wrong cell is refused, listing the row and column.
    ws.getRow(3).getCell(14).value = '明年六月';
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    await unitApi.close();

    const page = await newPage();
    await signIn(page, 'e2e.unit', PW.unit);
    // A unit's people land on their own units.
    await page.getByRole('menuitem', { name: /巡察轮次/ }).click();
    await page.getByTestId(`ru-link-${healthRu}`).click();
    await page.getByRole('heading', { name: '市卫生健康委党组' }).waitFor();
    // Only the office moves a round-unit's status.
    expect(await page.locator('[data-testid^="ru-move-"]').count()).toBe(0);

    // Feedback to lists from the .docx the unit received: split on its numbering (then left as a draft).
    await page
      .getByTestId('feedback-to-lists')
      .locator('input[type=file]')
      .setInputFiles({
        name: '反馈意见.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: await docx(HEALTH_FEEDBACK.split('\n')),
      });
    const drafts = page.getByTestId('drafts-table');
    await drafts.waitFor();
    expect(await drafts.getByLabel('编号 1').inputValue()).toBe('一、1.');
    await page.getByRole('button', { name: /放弃草稿/ }).click();
    expect(await drafts.count()).toBe(0);

    await page.getByTestId('ru-import').click();
    const dialog = page.getByTestId('ledger-import');
    await dialog.waitFor();
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    await dialog.locator('input[type=file]').setInputFiles({ name: 'bad.xlsx', mimeType: xlsx, buffer: bad });
    const errorsBox = page.getByTestId('import-errors');
    await errorsBox.waitFor();
    await errorsBox.getByRole('cell', { name: '3', exact: true }).waitFor();
    await errorsBox.getByText('明年六月').waitFor();
    await shot(page, 'ledger-05-import-errors');

    await dialog.locator('input[type=file]').setInputFiles({ name: 'lists.xlsx', mimeType: xlsx, buffer: good });
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain('2 个问题、3 条措施');
    // The progress bar ran to the end (a success bar shows a tick instead of the number).
    expect(await page.getByTestId('ledger-import-progress').locator('.ant-progress-status-success').count()).toBe(1);
    await shot(page, 'ledger-06-import-done');
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();

    await page.getByRole('tab', { name: '问题清单' }).click();
    await expect.poll(() => page.getByTestId('problems-table').locator('tbody tr.ant-table-row').count()).toBe(2);
  });

  it('unit: reads the ledger sheet, chooses columns and edits a measure', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.unit', PW.unit);
    await page.getByRole('menuitem', { name: /整改台账/ }).click();
    await page.waitForURL('**/ledger');
    const table = page.getByTestId('ledger-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(3);
    // The two measures of problem 一、1. share its cells (merged as in the Excel ledger).
    expect(await table.locator('td[rowspan="2"]').count()).toBeGreaterThan(0);

    // Column chooser: remembered in localStorage.
    await page.getByTestId('ledger-columns').click();
    await page.getByRole('checkbox', { name: '退缴违规资金' }).check();
    await page.keyboard.press('Escape');
    await table.getByRole('columnheader', { name: '退缴违规资金' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('rectify.ledger.columns'))).toContain('fundsReturned');
    await table.getByText('126万元').waitFor();

    // Filter by status via the address, as a drill-down would.
    await page.goto('/ledger?status=completed');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.goto('/ledger');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(3);
    await shot(page, 'ledger-07-sheet');

    // Excel export of what the filters select, as a download, read back with ExcelJS.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ledger-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.readFile(await download.path());
    const sheet = exported.getWorksheet('三清单一台账')!;
    expect(sheet.actualRowCount).toBe(1 + 3);

    // Bulk: one owner for every selected measure, all or nothing.
    for (const box of await table.locator('tbody tr.ant-table-row .ant-checkbox-input').all()) await box.check();
    await page.getByTestId('bulk-bar').getByText('已选 3 条').waitFor();
    await page.getByRole('button', { name: /批量改责任人/ }).click();
    const bulk = page.getByRole('dialog');
    await bulk.getByLabel('措施责任人').fill('周科长');
    const changed = await withResponse(page, '/api/v1/measures/bulk', () =>
      bulk.getByRole('button', { name: /确\s*认/ }).click(),
    );
    expect(changed.status()).toBe(200);
    expect((await changed.json()).updated).toBe(3);
    await expect.poll(() => table.getByText('周科长').count()).toBe(3);
    expect(await page.getByTestId('bulk-bar').count()).toBe(0);

    const res = await page.request.get('/api/v1/ledger?q=%E4%B8%89%E4%BC%9A%E4%B8%80%E8%AF%BE&limit=5');
    const first = ((await res.json()).items as { id: number; seq: number }[]).find((r) => r.seq === 1)!;
    await page.getByTestId(`measure-open-${first.id}`).click();
    const drawer = page.getByTestId('measure-drawer');
    await drawer.waitFor();
    const v1 = Number(await drawer.getAttribute('data-version'));
    // Only the legal next states of 整改中 among 未启动 / 整改中 / 已完成.
    expect(await page.locator('[data-testid^="measure-move-"]').count()).toBe(2);
    await page.getByTestId('measure-move-completed').waitFor();
    await page.getByTestId('measure-move-not_started').waitFor();

    await page.getByTestId('measure-content').fill('制定“三会一课”落实清单，逐月督查通报，季度讲评。');
    await page.getByTestId('measure-fundsReturned').fill('3500.5');
    await page.getByText('3,500.50 元').waitFor();
    const saved = await withResponse(page, `/api/v1/measures/${first.id}`, () =>
      page.getByTestId('measure-save').click(),
    );
    expect(saved.status()).toBe(200);
    expect((await saved.json()).fundsReturned).toBe('3500.50');
    await expect.poll(async () => Number(await drawer.getAttribute('data-version'))).toBe(v1 + 1);
    await shot(page, 'ledger-08-measure-drawer');

    const moved = await withResponse(page, `/api/v1/measures/${first.id}/status`, () =>
      page.getByTestId('measure-move-completed').click(),
    );
    expect(moved.status()).toBe(200);
    await expect.poll(async () => Number(await drawer.getAttribute('data-version'))).toBe(v1 + 2);
  });

  it('a second session editing the same measure sees the conflict dialog and can reload', async () => {
    const ledger = await officeApi.call<{ items: { id: number; seq: number; problemNumber: string }[] }>(
      'GET',
      '/ledger?limit=50',
    );
    const m = ledger.items.find((r) => r.problemNumber === '一、1.' && r.seq === 2)!;

    const unitPage = await newPage();
    await signIn(unitPage, 'e2e.unit', PW.unit);
    await unitPage.goto('/ledger');
    await unitPage.getByTestId(`measure-open-${m.id}`).click();
    await unitPage.getByTestId('measure-drawer').waitFor();

    const officePage = await newPage();
    await signIn(officePage, 'e2e.office', PW.office);
    await officePage.goto(`/ledger?roundUnitId=${healthRu}`);
    await officePage.getByTestId(`measure-open-${m.id}`).click();
    await officePage.getByTestId('measure-drawer').waitFor();
    await officePage.getByTestId('measure-content').fill('将党建工作纳入年度目标考核（巡察办修改）。');
    const ok = await withResponse(officePage, `/api/v1/measures/${m.id}`, () =>
      officePage.getByTestId('measure-save').click(),
    );
    expect(ok.status()).toBe(200);

    // The unit, still on the version it read, saves: 409 and the comparison.
    await unitPage.getByTestId('measure-content').fill('将党建工作纳入年度考核，建立长效机制（单位修改）。');
    const stale = await withResponse(unitPage, `/api/v1/measures/${m.id}`, () =>
      unitPage.getByTestId('measure-save').click(),
    );
    expect(stale.status()).toBe(409);
    const dialog = unitPage.getByTestId('conflict-dialog');
    await dialog.waitFor();
    await dialog.getByText('将党建工作纳入年度目标考核（巡察办修改）。').waitFor();
    await dialog.getByText('将党建工作纳入年度考核，建立长效机制（单位修改）。').waitFor();
    await shot(unitPage, 'ledger-09-conflict');

    await unitPage.getByTestId('conflict-reload').click();
    await expect
      .poll(() => unitPage.getByTestId('measure-content').inputValue())
      .toBe('将党建工作纳入年度目标考核（巡察办修改）。');
  });

  it('office: the home page shows the headline figures and drills down to the ledger', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    const block = page.getByTestId('figures-block');
    await block.waitFor();
    await expect.poll(() => page.getByTestId('figure-measures-value').textContent()).toBe('3条');
    expect(await page.getByTestId('figure-units-value').textContent()).toBe('2个');
    expect(await page.getByTestId('figure-rules-value').textContent()).toBe('3项');
    expect(await page.getByTestId('figure-funds-value').textContent()).toBe('126.35万元');
    expect(await page.getByTestId('figure-losses-value').textContent()).toBe('0.00元');
    // Two of three measures done (the imported 已完成 and the one just completed).
    expect(await page.getByTestId('figure-rate-value').textContent()).toBe('66.7%');
    await page.getByTestId('units-table').getByText('市卫生健康委党组').waitFor();
    await shot(page, 'ledger-10-home-figures');

    await page.getByTestId('figure-funds').click();
    await page.waitForURL('**/ledger?focus=funds');
    await page.getByTestId('ledger-table').getByRole('columnheader', { name: '退缴违规资金' }).waitFor();

    // Keyboard: Enter on a figure drills down too.
    await page.goto('/');
    await page.getByTestId('figure-rate').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ledger?**focus=status**');
  });

  it('office: decides an extension and sees both deadlines', async () => {
    const unitApi = await apiLogin(server.baseUrl, 'e2e.unit', PW.unit);
    const rows = await unitApi.call<{ items: { id: number; deadline: string; isDone: boolean }[] }>(
      'GET',
      `/ledger?roundUnitId=${healthRu}&status=not_started`,
    );
    const m = rows.items[0]!;
    await unitApi.call('POST', `/measures/${m.id}/extensions`, {
      requestedDeadline: '2031-06-30',
      reason: '涉及跨部门协调，需延长半年。',
    });
    await unitApi.close();

    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.getByRole('menuitem', { name: /延期申请/ }).click();
    const table = page.getByTestId('extensions-table');
    await table.getByText('涉及跨部门协调，需延长半年。').waitFor();
    // The list may still refetch and redraw its rows as the page settles: a click on a row being
    // replaced opens nothing, so click again until the dialog's form is there (as a user would).
    const note = page.getByRole('dialog').getByRole('textbox');
    for (let tries = 0; !(await note.isVisible()); tries++) {
      if (tries === 3) throw new Error('the decision dialog did not open');
      await table
        .getByRole('button', { name: /批\s*准/ })
        .first()
        .click();
      await note.waitFor({ timeout: 5000 }).catch(() => {});
    }
    await withResponse(page, '/decide', () => page.getByTestId('extension-decide-save').click());
    await page.getByRole('combobox', { name: '按审批状态筛选' }).click();
    await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: '已批准' }).click();
    await table.getByText('2031-06-30').first().waitFor();
    await shot(page, 'ledger-11-extensions');
  });

  it('every screen in 繁體 and English; the unit screens at 390px', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), '繁體中文');
    await page.goto('/ledger');
    await page.getByRole('heading', { name: '三清單一臺賬' }).waitFor();
    await shot(page, 'ledger-12-zh-TW');
    await pickOption(page, page.getByRole('combobox', { name: '語言' }), 'English');
    await page.getByRole('heading', { name: 'Rectification ledger' }).waitFor();
    await page.goto(`/rounds/units/${eduRu}`);
    await page.getByRole('tab', { name: 'Problems' }).click();
    await page.getByTestId('problems-table').waitFor();
    await shot(page, 'ledger-13-en-round-unit');

    const phone = await newPage({ width: 390, height: 844 });
    await signIn(phone, 'e2e.unit', PW.unit);
    await phone.goto(`/rounds/units/${healthRu}`);
    await phone.getByRole('heading', { name: '市卫生健康委党组' }).waitFor();
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(1);
    await shot(phone, 'ledger-14-phone-round-unit', true);
    // On a phone the sheet is a list of cards, the filters folded behind one button.
    await phone.goto('/ledger');
    await phone.getByTestId('ledger-cards').locator('.ledger-card').first().waitFor();
    expect(await phone.getByTestId('ledger-cards').locator('.ledger-card').count()).toBe(3);
    expect(await phone.getByRole('combobox', { name: '整改状态' }).isVisible()).toBe(false);
    expect(await overflow()).toBeLessThanOrEqual(1);
    await shot(phone, 'ledger-15-phone-ledger');
    await phone.getByRole('button', { name: /筛\s*选/ }).click();
    await phone.getByRole('combobox', { name: '整改状态' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(1);
    await phone.getByRole('button', { name: /筛\s*选/ }).click();
    await phone.locator('.ledger-card').first().click();
    await phone.getByTestId('measure-drawer').waitFor();
    await shot(phone, 'ledger-16-phone-measure');
  });

  it('left no errors in the browser console', () => {
    // The stale save answers 409 on purpose; the bad workbook 400.
    const unexpected = errors.filter((e) => !/status of 40[19]|status of 400/.test(e));
    expect(unexpected).toEqual([]);
  });
});

/**
 * The demo dataset (`npm start -- --demo`): the seed's headline figures, exactly, on the leader's
 * home page, and a drill-down into the 5,310-row ledger.
 */
describe("demo dataset: the leader's home page shows the six headline figures", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  const DEMO_PASSWORD = 'Demo-Passw0rd-2026!';

  beforeAll(async () => {
    server = await startServer({ RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD }, ['--demo']);
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 1366, height: 860 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('77 units, 5,310 measures, 2,103 rules, 1.49亿元, 8967万元, 93.7%; each figure opens the rows behind it', async () => {
    const page = await context.newPage();
    const errors = watchConsole(page);
    await signIn(page, 'leader', DEMO_PASSWORD);
    await page.getByTestId('figures-block').waitFor();
    const figure = (k: string) => page.getByTestId(`figure-${k}-value`).textContent();
    await expect.poll(() => figure('units')).toBe('77个');
    expect(await figure('measures')).toBe('5,310条');
    expect(await figure('rules')).toBe('2,103项');
    expect(await figure('funds')).toBe('1.49亿元');
    expect(await figure('losses')).toBe('8967万元');
    expect(await figure('rate')).toBe('93.7%');
    await page.getByTestId('units-table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'ledger-20-demo-leader-home');

    // Drill-down: the measures figure opens the whole sheet, keyset-paged, with the same total.
    await page.getByTestId('figure-measures').click();
    await page.waitForURL('**/ledger');
    await page.getByText('共 5310 条', { exact: true }).waitFor();
    await page.getByRole('button', { name: /下一页/ }).click();
    await page.getByText('第 2 页').waitFor();
    await shot(page, 'ledger-21-demo-ledger');
    // Print-friendly: no menu, header, buttons or filters; the filters and time in words; full texts.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('ledger-print').isVisible()).toBe(false);
    await page.getByText(/打印时间/).waitFor();
    await shot(page, 'ledger-23-demo-ledger-print');
    await page.emulateMedia({ media: 'screen' });

    // English: the same figures in its units.
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), 'English');
    await page.goto('/');
    await expect.poll(() => figure('funds')).toBe('149 million yuan');
    expect(await figure('losses')).toBe('89.67 million yuan');
    await shot(page, 'ledger-22-demo-leader-home-en');
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
