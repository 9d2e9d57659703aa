import fs from 'node:fs';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  office2: 'Office2-E2e-2026!',
  unit: 'Unit-E2e-2026!',
  head: 'Head-E2e-2026!',
  supervisor: 'Super-E2e-2026!',
  leader: 'Leader-E2e-2026!',
};

/** A small valid PDF (header, one empty page, xref, trailer), built here so that its bytes are known. */
function pdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>`,
  ];
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

/** Confirms the open antd Popconfirm. */
async function confirmPop(page: Page) {
  await page
    .locator('.ant-popconfirm:not(.ant-popover-hidden)')
    .getByRole('button', { name: /确\s*认/ })
    .click();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('progress report with evidence, sign-off, supervisor download, 对账销号 and the leader’s rate', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let ru = 0;
  let measureId = 0;
  let reportId = 0;
  let closureId = 0;
  let rateBefore = 0;
  const evidence = pdf('Rectification evidence 2026');
  const closureEvidence = pdf('Closure evidence 2026');

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'CDI-1', name: '市纪委监委第一监督检查室', shortName: '一室', type: 'supervisor', line: 'discipline' },
      { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit' },
    ]) {
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
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.office2', 'office', '巡察办刘主任', 'XCB', PW.office2],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit],
      ['e2e.head', 'unit_head', '教育局张局长', 'EDU', PW.head],
      ['e2e.sup', 'supervisor', '一室陈监督', 'CDI-1', PW.supervisor],
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

    // The office: a term, a round, the unit in it, the feedback delivered today, one problem with a measure in progress.
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    ru = (
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
    const problem = await officeApi.call<{ id: number; measures?: { id: number }[] }>(
      'POST',
      `/round-units/${ru}/problems`,
      {
        number: '一、1.',
        categoryCode: 'party_building',
        description: '基层党组织建设薄弱，“三会一课”制度落实不到位。',
        source: 'feedback',
        severity: 'medium',
        measures: [{ content: '制定“三会一课”落实清单，逐月督查通报。', type: 'deadline', deadline: '2030-06-30' }],
      },
    );
    const ledger = await officeApi.call<{ items: { id: number; problemId: number; version: number }[] }>(
      'GET',
      `/ledger?roundUnitId=${ru}`,
    );
    const m = ledger.items.find((x) => x.problemId === problem.id)!;
    measureId = m.id;
    await officeApi.call('POST', `/measures/${measureId}/status`, { to: 'in_progress', version: m.version });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
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

  async function readRate(page: Page): Promise<number> {
    await page.getByTestId('figures-block').waitFor();
    await expect.poll(() => page.getByTestId('figure-rate-value').textContent()).toMatch(/%$/);
    return Number.parseFloat((await page.getByTestId('figure-rate-value').textContent())!);
  }

  it('leader: reads the rectification rate before', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.leader', PW.leader);
    rateBefore = await readRate(page);
    expect(rateBefore).toBe(0);
    await shot(page, 'progress-01-leader-before');
  });

  it('unit (on a phone): fills the progress report with a file and sends it for sign-off', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/progress');
    await page.getByTestId('period-1').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'progress-02-phone-periods', true);
    const created = await withResponse(page, `/round-units/${ru}/progress-reports`, () =>
      page.getByTestId('period-create-1').click(),
    );
    expect(created.status()).toBe(201);
    reportId = (await created.json()).id;
    await page.waitForURL(`**/progress/reports/${reportId}`);
    const item = page.getByTestId(`report-item-${measureId}`);
    await item.waitFor();

    // A program renamed .pdf is refused with the server's reason, and nothing is attached.
    await item.locator('input[type=file]').setInputFiles({
      name: '整改报告.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00this program cannot be run in DOS mode'),
    });
    await item.getByTestId('upload-error').waitFor();
    expect(await item.getByTestId('upload-error').textContent()).toMatch(/整改报告\.pdf：.*(扩展名|文件类型|不符)/);
    await shot(page, 'progress-03-phone-upload-refused', true);

    await pickOption(page, item.getByLabel('整改状态'), '已完成');
    await item.getByLabel('进展情况').fill('已制定“三会一课”落实清单，1—6月逐月督查并通报3次。');
    const uploaded = await withResponse(page, `/round-units/${ru}/files`, () =>
      item.locator('input[type=file]').setInputFiles({
        name: '三会一课督查通报.pdf',
        mimeType: 'application/pdf',
        buffer: evidence,
      }),
    );
    expect(uploaded.status()).toBe(201);
    const file = await uploaded.json();
    expect(file.size).toBe(evidence.length);
    await item.getByTestId(`file-download-${file.id}`).waitFor();
    // Only the accepted file is attached; the refusal can be dismissed.
    expect(await item.locator('.evidence-list li').count()).toBe(1);
    await item.getByTestId('upload-error').getByRole('button').click();
    await expect.poll(() => item.getByTestId('upload-error').count()).toBe(0);
    await page.getByTestId('report-summary').fill('本期整改任务全部完成。');
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'progress-04-phone-report-filled', true);

    await page.getByTestId('report-send').click();
    const sent = await withResponse(page, `/progress-reports/${reportId}/send`, () => confirmPop(page));
    expect(sent.status()).toBe(200);
    await expect.poll(() => page.getByTestId('report-page').getAttribute('data-status')).toBe('pending_signoff');
    expect(await page.getByTestId('report-send').count()).toBe(0);
  });

  it('unit head: signs the report off from the 待审签 queue', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.head', PW.head);
    await page.getByRole('menuitem', { name: /整改进展/ }).click();
    await page.getByTestId(`report-row-${reportId}`).waitFor();
    await shot(page, 'progress-05-head-queue');
    await page.getByTestId(`report-open-${reportId}`).click();
    await page.getByTestId('report-signoff').waitFor();
    await page.getByText('已制定“三会一课”落实清单，1—6月逐月督查并通报3次。').waitFor();
    await shot(page, 'progress-06-head-review', true);

    // First it goes back with a note; the unit sends it again.
    await page.getByTestId('report-return').click();
    await page.getByRole('dialog').getByLabel('退回原因').fill('请补充7月以后的安排。');
    const returned = await withResponse(page, `/progress-reports/${reportId}/return`, () =>
      page.getByTestId('return-save').click(),
    );
    expect(returned.status()).toBe(200);
    await expect.poll(() => page.getByTestId('report-page').getAttribute('data-status')).toBe('draft');
    await page.getByTestId('return-note').getByText('请补充7月以后的安排。').waitFor();
    expect(await page.getByTestId('report-signoff').count()).toBe(0);
    const unit = await apiLogin(server.baseUrl, 'e2e.unit', PW.unit);
    const draft = await unit.call<{ version: number }>('GET', `/progress-reports/${reportId}`);
    await unit.call('POST', `/progress-reports/${reportId}/send`, { version: draft.version });
    await unit.close();
    await page.reload();
    await page.getByTestId('report-signoff').click();
    const signed = await withResponse(page, `/progress-reports/${reportId}/signoff`, () => confirmPop(page));
    expect(signed.status()).toBe(200);
    await expect.poll(() => page.getByTestId('report-page').getAttribute('data-status')).toBe('submitted');
    await page.getByTestId('version-1').waitFor();
  });

  it('supervisor: opens the submitted report and the unit’s materials and downloads the file and the zip', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.goto('/progress?tab=submitted');
    await page.getByTestId(`report-open-${reportId}`).click();
    const item = page.getByTestId(`report-item-${measureId}`);
    await item.waitFor();
    const link = item.getByRole('button', { name: /三会一课督查通报\.pdf/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('三会一课督查通报.pdf');
    expect(Buffer.compare(fs.readFileSync(await download.path()), evidence)).toBe(0);
    await shot(page, 'progress-07-supervisor-report', true);

    await page.goto(`/progress/units/${ru}/materials`);
    const table = page.getByTestId('materials-table');
    await table.getByText('三会一课督查通报.pdf').waitFor();
    // The refused upload left nothing behind.
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await shot(page, 'progress-08-materials');
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('materials-zip').click()]);
    const unpacked = await JSZip.loadAsync(fs.readFileSync(await zip.path()));
    const entries = Object.values(unpacked.files).filter((f) => !f.dir);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.name).toMatch(/三会一课督查通报\.pdf$/);
    expect(Buffer.compare(await entries[0]!.async('nodebuffer'), evidence)).toBe(0);
  });

  it('unit: applies for closure of the completed measure with a summary and evidence', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/closures');
    await page.getByTestId(`closable-${measureId}`).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await page.getByTestId(`closure-apply-${measureId}`).click();
    const dialog = page.getByTestId('closure-apply');
    await dialog.waitFor();
    // Nothing filled in: the form says what is missing, nothing is sent.
    await page.getByTestId('closure-apply-save').click();
    await page.getByText('请上传佐证材料').waitFor();
    await dialog.getByLabel('整改情况说明').fill('“三会一课”落实清单已制定并执行，逐月督查通报形成常态。');
    const up = await withResponse(page, `/round-units/${ru}/files`, () =>
      dialog.locator('input[type=file]').setInputFiles({
        name: '销号佐证材料.pdf',
        mimeType: 'application/pdf',
        buffer: closureEvidence,
      }),
    );
    expect(up.status()).toBe(201);
    await dialog.getByText('销号佐证材料.pdf').waitFor();
    await shot(page, 'progress-09-phone-closure-apply', true);
    const applied = await withResponse(page, `/measures/${measureId}/closure`, () =>
      page.getByTestId('closure-apply-save').click(),
    );
    expect(applied.status()).toBe(201);
    closureId = (await applied.json()).id;
    await page.getByTestId('closure-drawer').waitFor();
    expect(await page.getByTestId('closure-drawer').getAttribute('data-status')).toBe('pending');
    await shot(page, 'progress-10-phone-closure-applied', true);
  });

  async function verify(username: string, password: string, shotName: string) {
    const page = await newPage();
    await signIn(page, username, password);
    await page.getByRole('menuitem', { name: /对账销号/ }).click();
    await page.getByTestId(`closure-open-${closureId}`).click();
    const drawer = page.getByTestId('closure-drawer');
    await drawer.waitFor();
    await drawer.getByText('销号佐证材料.pdf').waitFor();
    await drawer.getByText('“三会一课”落实清单已制定并执行，逐月督查通报形成常态。').waitFor();
    await drawer.getByLabel('说明', { exact: true }).fill('材料齐全，经核实已整改到位。');
    const res = await withResponse(page, `/closures/${closureId}/verify`, () =>
      page.getByTestId('closure-verify-save').click(),
    );
    expect(res.status()).toBe(200);
    await drawer.getByText('材料齐全，经核实已整改到位。').first().waitFor();
    await shot(page, shotName, true);
    return page;
  }

  it('supervisor and an office user verify the application', async () => {
    await verify('e2e.sup', PW.supervisor, 'progress-11-supervisor-verify');
    const page = await verify('e2e.office', PW.office, 'progress-12-office-verify');
    // Every required verifier has now given its verdict.
    const tags = page.getByTestId('required-verifiers').locator('.ant-tag');
    await expect.poll(() => tags.count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('required-verifiers').locator('[data-done="false"]').count()).toBe(0);
  });

  it('another office user closes the measure (已销号)', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office2', PW.office2);
    await page.goto('/closures');
    await page.getByTestId(`closure-open-${closureId}`).click();
    const drawer = page.getByTestId('closure-drawer');
    await drawer.waitFor();
    // Office2's organisation has verified already (e2e.office), so only the decision remains.
    expect(await page.getByTestId('closure-verify').count()).toBe(0);
    await page.getByTestId('closure-approve').click();
    const res = await withResponse(page, `/closures/${closureId}/decide`, () =>
      page.getByTestId('closure-decide-save').click(),
    );
    expect(res.status()).toBe(200);
    await expect.poll(() => drawer.getAttribute('data-status')).toBe('approved');
    await drawer.locator('[data-status="closed"]').first().waitFor();
    await shot(page, 'progress-13-closed', true);
    const m = await officeApi.call<{ status: string }>('GET', `/measures/${measureId}`);
    expect(m.status).toBe('closed');
  });

  it('leader: the home page shows a higher rate than before', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.leader', PW.leader);
    const after = await readRate(page);
    expect(after).toBeGreaterThan(rateBefore);
    expect(after).toBe(100);
    await shot(page, 'progress-14-leader-after');
  });

  it('a revision: the unit revises, the head signs off again, the supervisor compares the two (繁體, English)', async () => {
    const unit = await apiLogin(server.baseUrl, 'e2e.unit', PW.unit);
    let r = await unit.call<{ version: number }>('POST', `/progress-reports/${reportId}/revise`, {
      version: (await unit.call<{ version: number }>('GET', `/progress-reports/${reportId}`)).version,
    });
    r = await unit.call('PUT', `/progress-reports/${reportId}/items/${measureId}`, {
      version: r.version,
      narrative: '已制定“三会一课”落实清单，1—6月逐月督查并通报3次；7月起纳入年度考核。',
    });
    r = await unit.call('POST', `/progress-reports/${reportId}/send`, { version: r.version });
    await unit.close();
    const head = await apiLogin(server.baseUrl, 'e2e.head', PW.head);
    await head.call('POST', `/progress-reports/${reportId}/signoff`, { version: r.version });
    await head.close();

    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), '繁體中文');
    await page.goto(`/progress/reports/${reportId}`);
    await page.getByTestId('version-2').waitFor();
    await page.getByTestId('versions-compare').click();
    const view = page.getByTestId('compare-view');
    await view.waitFor();
    expect(await view.locator('tr.compare-changed').count()).toBe(1);
    await view.getByText('7月起纳入年度考核').waitFor();
    await page.getByTestId('versions-panel').scrollIntoViewIfNeeded();
    await shot(page, 'progress-15-compare-zh-TW', true);

    await pickOption(page, page.getByRole('combobox', { name: '語言' }), 'English');
    await page.goto('/closures?tab=queue');
    await page.getByRole('tab', { name: 'Applications' }).waitFor();
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('Closed').click();
    await page.getByTestId(`closure-row-${closureId}`).waitFor();
    await shot(page, 'progress-16-closures-en');
  });

  it('left no errors in the browser console', () => {
    // The renamed program is refused on purpose (400/415/422).
    const unexpected = errors.filter((e) => !/status of 4(00|15|22)/.test(e));
    expect(unexpected).toEqual([]);
  });
});
