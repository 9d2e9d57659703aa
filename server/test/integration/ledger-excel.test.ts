import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEASURE_STATUS_LABELS,
  MEASURE_TYPE_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../../../domain/ledger-import-messages.js';
import { fenToYuan, yuanToFen } from '../../../domain/money.js';
import { LedgerExcelService } from '../../src/modules/ledger-excel/ledger-excel.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Cell = string | number | Date | null;

const HEADERS = [
  '问题编号\nProblem No.',
  '问题类别\nCategory',
  '问题描述\nDescription',
  '问题来源\nSource',
  '严重程度\nSeverity',
  '责任领导\nLeader',
  '责任部门\nDepartment',
  '责任人\nPerson',
  '第一责任人\nFirst responsible',
  '一岗双责\nDual-duty members',
  '措施序号\nMeasure No.',
  '整改措施\nMeasure',
  '措施类型\nType',
  '完成时限\nDeadline',
  '措施责任人\nOwner',
  '整改状态\nStatus',
  '建立完善制度(项)\nRules established',
  '退缴违规资金(元)\nFunds returned (yuan)',
  '挽回经济损失(元)\nLosses recovered (yuan)',
  '问责人数\nPeople held accountable',
  '立案数\nCases filed',
];

// ---------------------------------------------------------------------------------------------
// Building the files a unit would upload

/** An .xlsx in memory (ExcelJS's streaming writer: fast enough for 10,000 rows in a test). */
async function workbook(rows: Cell[][], headers: string[] = HEADERS, sheet = '三清单一台账'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet);
  ws.addRow(headers).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

const CATEGORY_CELLS = ['党的领导', 'eight_point_rules', '選人用人', 'Ideological work', '财务管理'];
const TYPE_CELLS = ['立行立改', '限期整改', '长期坚持', 'deadline'];
const STATUS_CELLS = ['未启动', '整改中', '已完成', null];
const excelSerial = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

/**
 * A ledger of `problems` × `perProblem` measure rows in the template layout, with every way a unit
 * writes cells: labels in three languages and codes, problem fields only on the first rows, dates as
 * dates, serial numbers and text, money as numbers and as text with thousands separators.
 */
function ledgerRows(problems: number, perProblem: number, prefix = 'W') {
  const rows: Cell[][] = [];
  const totals = { measures: 0, done: 0, rules: 0, funds: 0n, losses: 0n, people: 0, cases: 0 };
  for (let p = 0; p < problems; p++) {
    for (let k = 0; k < perProblem; k++) {
      const i = p * perProblem + k;
      const first = k === 0;
      const repeat = k === 1; // the second row repeats the problem fields, the others leave them blank
      const day = `2027-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const deadline: Cell =
        i % 3 === 0 ? new Date(`${day}T00:00:00Z`) : i % 3 === 1 ? day.replace(/-0?/g, '/') : excelSerial(day);
      const fundsFen = i % 5 === 0 ? 0n : BigInt((i * 7919) % 10_000_000);
      const lossesFen = i % 7 === 0 ? 0n : BigInt((i * 104_729) % 100_000_000);
      const status = STATUS_CELLS[i % 4];
      rows.push([
        `${prefix}${p + 1}`,
        first || repeat ? CATEGORY_CELLS[p % 5]! : null,
        first || repeat ? `第${p + 1}个问题：落实整改主体责任不到位，部分制度执行不严格。` : null,
        first ? ([['巡察反馈'], ['complaint'], [null]][p % 3]![0] ?? null) : null,
        first ? ['严重', '较重', '一般', null][p % 4]! : null,
        first ? `领导${p % 7}` : null,
        first ? `部门${p % 11}` : null,
        first ? `责任人${p % 13}` : null,
        first ? `第一${p % 5}` : null,
        first && p % 2 ? `甲${p % 3}、乙${p % 4}` : null,
        p % 5 === 0 ? null : k + 1,
        `措施${i + 1}：建立健全相关制度，开展专项整治。`,
        TYPE_CELLS[i % 4]!,
        deadline,
        i % 2 ? `负责人${i % 17}` : null,
        status ?? null,
        i % 3,
        fundsFen === 0n ? null : i % 2 ? Number(fenToYuan(fundsFen)) : fenToYuan(fundsFen),
        lossesFen === 0n
          ? null
          : i % 3 === 0
            ? Number(fenToYuan(lossesFen)).toLocaleString('en-US', { minimumFractionDigits: 2 })
            : Number(fenToYuan(lossesFen)),
        i % 4,
        i % 2,
      ]);
      totals.measures++;
      if (status === '已完成') totals.done++;
      totals.rules += i % 3;
      totals.funds += fundsFen;
      totals.losses += lossesFen;
      totals.people += i % 4;
      totals.cases += i % 2;
    }
  }
  return { rows, totals, problems };
}

/** A multipart/form-data body with one file, built by hand. */
function multipart(filename: string, content: Buffer, field = 'file') {
  const boundary = `----rectify${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(agent: Agent, url: string, filename: string, content: Buffer, headers: Record<string, string> = {}) {
  const m = multipart(filename, content);
  return agent.request('POST', url, m.body, { 'content-type': m.contentType, ...headers });
}

/** A minimal Word document: one paragraph per entry, each given as its inner runs' XML. */
async function docx(paragraphs: string[], extra: Record<string, string> = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
      paragraphs
        .map((p) => (p.startsWith('<w:p>') ? p : p ? `<w:p><w:pPr><w:jc w:val="both"/></w:pPr>${p}</w:p>` : '<w:p/>'))
        .join('') +
      '<w:sectPr/></w:body></w:document>',
  );
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
const run = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;

/** Every XML part well-formed (what Excel's "repair" complains about first), and every relationship target present. */
async function assertOpensCleanly(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files);
  expect(names).toContain('[Content_Types].xml');
  expect(names).toContain('xl/workbook.xml');
  for (const name of names.filter((n) => /\.(xml|rels)$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const parser = new SaxesParser({ xmlns: true });
    let error: Error | null = null;
    parser.on('error', (e) => {
      error ??= e;
    });
    parser.write(xml).close();
    expect(error, name).toBeNull();
    if (name.endsWith('.rels')) {
      const base = name.replace(/_rels\/[^/]*$/, '');
      for (const m of xml.matchAll(/Target="([^"]+)"(?![^>]*TargetMode="External")/g)) {
        const target = m[1]!.startsWith('/') ? m[1]!.slice(1) : `${base}${m[1]}`;
        expect(names, `${name} → ${target}`).toContain(target.replace(/[^/]+\/\.\.\//g, ''));
      }
    }
  }
}

async function readWorkbook(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  // The template's drop-downs cover 50,000 rows, which ExcelJS would expand cell by cell.
  await wb.xlsx.load(buf as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations'] } as never);
  return wb;
}

const FEEDBACK = [
  '市委第三巡察组关于对市农业农村局党组开展常规巡察的反馈意见',
  '根据市委统一部署，2026年3月至5月，市委第三巡察组对市农业农村局党组开展了常规巡察。',
  '现将巡察发现的主要问题反馈如下：',
  '一、党的领导方面',
  '（一）贯彻落实党中央决策部署不到位。',
  '1.学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式，',
  '全年仅开展集中学习3次。',
  '2.推进乡村振兴重点任务落实不力，部分项目进度滞后。',
  '二、全面从严治党方面',
  '（一）违反中央八项规定精神问题仍有发生。',
  '1．公务接待管理不规范，存在超标准接待、无公函接待等问题。',
  '2、违规发放津补贴，2025年向干部职工发放购物卡共计12.6万元。',
  '三、党的建设方面',
  '（一）选人用人工作不规范。',
  '（1）干部选拔任用程序不严格，个别干部档案审核把关不严。',
  '（2）超职数配备干部问题整改不彻底。',
].join('\n');

describe.each(DIALECTS)('ledger in Excel and feedback to lists on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let unit: Agent;
  let leader: Agent;
  let unitOrg: number;
  let otherOrg: number;
  /** Round-units: A gets the 10,000 rows, B the export of A, C belongs to another unit, D and E are spare. */
  let ru: { a: number; b: number; c: number; d: number; e: number; f: number };
  let big: ReturnType<typeof ledgerRows>;
  let bigFile: Buffer;
  /** The export of round-unit A, read back in one test and imported in the next. */
  let exportedA: Buffer;

  beforeAll(async () => {
    t = await createTestApp(dialect, { uploadMaxBytes: 4 * 1024 * 1024 });
    unitOrg = await t.createOrg({ code: 'U1', name: '市农业农村局党组' });
    otherOrg = await t.createOrg({ code: 'U2', name: '市水务局党组' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'unit', role: 'unit', orgId: unitOrg });
    await t.createUser({ username: 'leader', role: 'leader' });
    const now = t.clock.now();
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const roundIds: number[] = [];
    for (const n of [1, 2, 3]) {
      const r = await t.ctx.db
        .insertInto('rounds')
        .values({
          termId: Number(term.id),
          number: n,
          name: `五届市委第${n}轮巡察`,
          type: 'regular',
          onSiteStart: null,
          onSiteEnd: null,
          notes: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      roundIds.push(Number(r.id));
    }
    const roundUnit = async (roundId: number, unitOrgId: number, status = 'rectifying') => {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId,
          termId: Number(term.id),
          unitOrgId,
          teamId: null,
          status,
          cycle: 1,
          feedbackDate: '2026-11-01',
          deadline: '2027-02-01',
          deadlineOverridden: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    };
    ru = {
      a: await roundUnit(roundIds[0]!, unitOrg),
      b: await roundUnit(roundIds[1]!, unitOrg),
      c: await roundUnit(roundIds[0]!, otherOrg),
      d: await roundUnit(roundIds[2]!, unitOrg),
      e: await roundUnit(roundIds[1]!, otherOrg),
      f: await roundUnit(roundIds[2]!, otherOrg, 'published'),
    };
    office = await t.login('office');
    unit = await t.login('unit');
    leader = await t.login('leader');
    big = ledgerRows(2500, 4);
    bigFile = await workbook(big.rows);
  });
  afterAll(() => t.close());

  const problemCount = async (roundUnitId: number) =>
    Number(
      (
        await t.ctx.db
          .selectFrom('problems')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('roundUnitId', '=', roundUnitId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The whole ledger of a round-unit as plain values, in sheet order. */
  async function ledgerOf(roundUnitId: number) {
    const problems = await t.ctx.db
      .selectFrom('problems')
      .select([
        'id',
        'seq',
        'number',
        'categoryCode',
        'description',
        'source',
        'severity',
        'responsibleLeader',
        'responsibleDepartment',
        'responsiblePerson',
        'measureCount',
        'doneCount',
      ])
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('seq')
      .execute();
    const measures = await t.ctx.db
      .selectFrom('measures')
      .select([
        'problemId',
        'seq',
        'content',
        'type',
        'status',
        'isDone',
        'deadline',
        'effectiveDeadline',
        'ownerName',
        'rulesEstablished',
        sql<string>`CAST(funds_returned_fen AS TEXT)`.as('funds'),
        sql<string>`CAST(losses_recovered_fen AS TEXT)`.as('losses'),
        'peopleHeldAccountable',
        'casesFiled',
        'categoryCode',
      ])
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('problemId')
      .orderBy('seq')
      .execute();
    const people = await t.ctx.db
      .selectFrom('problemResponsibles as r')
      .innerJoin('problems as p', 'p.id', 'r.problemId')
      .select(['r.problemId', 'r.name', 'r.duty'])
      .where('p.roundUnitId', '=', roundUnitId)
      .orderBy('r.id')
      .execute();
    const group = <T extends { problemId: number | string }>(rows: T[]) => {
      const m = new Map<number, T[]>();
      for (const r of rows) {
        const list = m.get(Number(r.problemId));
        if (list) list.push(r);
        else m.set(Number(r.problemId), [r]);
      }
      return m;
    };
    const measuresOf = group(measures);
    const peopleOf = group(people);
    return problems.map((p) => ({
      seq: Number(p.seq),
      number: p.number,
      categoryCode: p.categoryCode,
      description: p.description,
      source: p.source,
      severity: p.severity,
      responsibleLeader: p.responsibleLeader,
      responsibleDepartment: p.responsibleDepartment,
      responsiblePerson: p.responsiblePerson,
      measureCount: Number(p.measureCount),
      doneCount: Number(p.doneCount),
      first: (peopleOf.get(Number(p.id)) ?? []).filter((r) => r.duty === 'first').map((r) => r.name),
      shared: (peopleOf.get(Number(p.id)) ?? []).filter((r) => r.duty === 'shared').map((r) => r.name),
      measures: (measuresOf.get(Number(p.id)) ?? []).map((m) => ({
        seq: Number(m.seq),
        content: m.content,
        type: m.type,
        status: m.status,
        isDone: Number(m.isDone),
        deadline: m.deadline,
        effectiveDeadline: m.effectiveDeadline,
        ownerName: m.ownerName,
        rulesEstablished: Number(m.rulesEstablished),
        funds: String(m.funds),
        losses: String(m.losses),
        peopleHeldAccountable: Number(m.peopleHeldAccountable),
        casesFiled: Number(m.casesFiled),
        categoryCode: m.categoryCode,
      })),
    }));
  }

  it('offers a template with the bilingual header, drop-downs and a 填写说明 sheet of allowed values', async () => {
    const res = await unit.get(`${V1}/ledger/template`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('三清单一台账导入模板.xlsx')}`,
    );
    await assertOpensCleanly(res.rawPayload);
    const wb = await readWorkbook(res.rawPayload);
    const ws = wb.getWorksheet('三清单一台账')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const guide = wb.getWorksheet('填写说明')!;
    const values: string[] = [];
    guide.eachRow((row) => {
      values.push((row.values as unknown[]).slice(1).join('|'));
    });
    const text = values.join('\n');
    for (const expected of [
      '问题类别|党的领导|party_leadership',
      '问题类别|违反中央八项规定精神|eight_point_rules',
      '措施类型|长期坚持|long_term',
      '整改状态|已完成|completed',
      '严重程度|严重|high',
      '问题来源|上级巡视|higher_inspection',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('closed'); // an import never creates a closed measure
    const sheetXml = await (await JSZip.loadAsync(res.rawPayload)).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheetXml).toContain('<dataValidations');
    expect(sheetXml).toMatch(/sqref="B2:B50001"[^>]*>|<formula1>'填写说明'!\$B\$\d+:\$B\$\d+<\/formula1>/);
  });

  it('imports the template once filled in', async () => {
    // Filled in as Excel would: cells written into the template's own sheet, the date with the
    // column's date style, the rest of the template (drop-downs, guide sheet) untouched.
    const template = await JSZip.loadAsync((await unit.get(`${V1}/ledger/template`)).rawPayload);
    const sheetXml = await template.file('xl/worksheets/sheet1.xml')!.async('string');
    const dateStyle = /<col [^>]*min="14" max="14"[^>]*style="(\d+)"/.exec(sheetXml)?.[1];
    expect(dateStyle).toBeDefined();
    const str = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const row =
      '<row r="2">' +
      str('A2', 'T1') +
      str('B2', '人防') +
      str('C2', '人防工程易地建设费征收不到位。') +
      str('I2', '张局长') +
      '<c r="K2"><v>1</v></c>' +
      str('L2', '开展人防易地建设费专项清理') +
      str('M2', '限期整改') +
      `<c r="N2" s="${dateStyle}"><v>${excelSerial('2027-03-31')}</v></c>` +
      '<c r="R2"><v>1500000.5</v></c>' +
      '</row>';
    const filledXml = sheetXml.includes('<sheetData/>')
      ? sheetXml.replace('<sheetData/>', `<sheetData>${row}</sheetData>`)
      : sheetXml.replace('</sheetData>', `${row}</sheetData>`);
    expect(filledXml).not.toBe(sheetXml);
    template.file('xl/worksheets/sheet1.xml', filledXml);
    const filled = await template.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const res = await upload(unit, `${V1}/round-units/${ru.d}/ledger/import`, 'filled.xlsx', filled);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ problems: 1, measures: 1 });
    const [p] = await ledgerOf(ru.d);
    expect(p).toMatchObject({
      number: 'T1',
      categoryCode: 'civil_air_defence',
      source: 'feedback',
      severity: 'medium',
    });
    expect(p!.first).toEqual(['张局长']);
    expect(p!.measures[0]).toMatchObject({ deadline: '2027-03-31', funds: '150000050', status: 'not_started' });
  });

  it('imports a 10,000-row workbook in one transaction, with the counters of the round-unit', async () => {
    const started = performance.now();
    const res = await upload(unit, `${V1}/round-units/${ru.a}/ledger/import`, 'ledger.xlsx', bigFile);
    const ms = Math.round(performance.now() - started);
    console.info(`[${dialect}] 10,000-row ledger import: ${ms} ms (${bigFile.length} bytes)`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json()).toEqual({ problems: 2500, measures: 10_000 });

    const s = await t.ctx.db
      .selectFrom('ledgerSummaries')
      .select([
        sql<string>`sum(problem_count)`.as('problems'),
        sql<string>`sum(measure_count)`.as('measures'),
        sql<string>`sum(done_count)`.as('done'),
        sql<string>`sum(rules_established)`.as('rules'),
        sql<string>`CAST(sum(funds_returned_fen) AS TEXT)`.as('funds'),
        sql<string>`CAST(sum(losses_recovered_fen) AS TEXT)`.as('losses'),
        sql<string>`sum(people_held_accountable)`.as('people'),
        sql<string>`sum(cases_filed)`.as('cases'),
      ])
      .where('roundUnitId', '=', ru.a)
      .executeTakeFirstOrThrow();
    expect({
      problems: Number(s.problems),
      measures: Number(s.measures),
      done: Number(s.done),
      rules: Number(s.rules),
      funds: BigInt(String(s.funds).split('.')[0]!),
      losses: BigInt(String(s.losses).split('.')[0]!),
      people: Number(s.people),
      cases: Number(s.cases),
    }).toEqual({
      problems: 2500,
      measures: big.totals.measures,
      done: big.totals.done,
      rules: big.totals.rules,
      funds: big.totals.funds,
      losses: big.totals.losses,
      people: big.totals.people,
      cases: big.totals.cases,
    });
    const byCategory = await t.ctx.db
      .selectFrom('ledgerSummaries')
      .select(['categoryCode', 'problemCount'])
      .where('roundUnitId', '=', ru.a)
      .orderBy('categoryCode')
      .execute();
    expect(byCategory.map((r) => [r.categoryCode, Number(r.problemCount)])).toEqual([
      ['eight_point_rules', 500],
      ['financial_management', 500],
      ['ideology', 500],
      ['party_leadership', 500],
      ['personnel_selection', 500],
    ]);

    // Spot checks of how cells were read: problem 2 (W2) has a shared duty list and no seq gaps.
    const ledger = await ledgerOf(ru.a);
    const w2 = ledger[1]!;
    expect(w2).toMatchObject({
      seq: 2,
      number: 'W2',
      categoryCode: 'eight_point_rules',
      source: 'complaint',
      severity: 'medium',
      responsibleLeader: '领导1',
      measureCount: 4,
    });
    expect(w2.first).toEqual(['第一1']);
    expect(w2.shared).toEqual(['甲1', '乙1']);
    expect(w2.measures.map((m) => [m.seq, m.type, m.status, m.deadline, m.funds])).toEqual([
      [1, 'immediate', 'not_started', '2027-05-05', '31676'],
      [2, 'deadline', 'in_progress', '2027-06-06', '0'],
      [3, 'long_term', 'completed', '2027-07-07', '47514'],
      [4, 'deadline', 'not_started', '2027-08-08', '55433'],
    ]);
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'entityId', 'after'])
      .where('action', '=', 'ledger.import')
      .where('entityId', '=', String(ru.a))
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ problems: 2500, measures: 10_000, responsibles: 5000 });
  });

  it('refuses to import the same problems twice', async () => {
    const res = await upload(unit, `${V1}/round-units/${ru.a}/ledger/import`, 'ledger.xlsx', bigFile);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_ROWS_INVALID');
    expect(res.json().errors[0]).toMatchObject({ row: 2, column: 'A', field: 'number' });
    expect(await problemCount(ru.a)).toBe(2500);
  });

  it('imports nothing from the same workbook with three bad rows and reports exactly those cells', async () => {
    const rows = big.rows.map((r) => [...r]);
    rows[17 - 2]![1] = '不存在的类别'; // row 17, column B
    rows[2004 - 2]![17] = '12.345'; // row 2004, column R: three decimals
    rows[9000 - 2]![11] = null; // row 9000, column L: no measure
    const res = await upload(unit, `${V1}/round-units/${ru.b}/ledger/import`, 'bad.xlsx', await workbook(rows));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('IMPORT_ROWS_INVALID');
    expect(body.detail).toBe('3 处错误，未导入任何数据');
    expect(body.errors.map((e: any) => [e.row, e.column, e.field])).toEqual([
      [17, 'B', 'category'],
      [2004, 'R', 'fundsReturned'],
      [9000, 'L', 'content'],
    ]);
    expect(body.errors[0].message).toBe('“不存在的类别”不是允许的取值，请参见“填写说明”工作表');
    expect(body.errors[1].message).toContain('12.345');
    expect(body.errors[2].message).toBe('不能为空');
    expect(await problemCount(ru.b)).toBe(0);
    expect(
      await t.ctx.db.selectFrom('ledgerSummaries').select('roundUnitId').where('roundUnitId', '=', ru.b).execute(),
    ).toEqual([]);
  });

  it('answers the row errors in the language of the request', async () => {
    const { rows } = ledgerRows(2, 2, 'L');
    rows[0]![13] = '2027-02-30'; // no such day
    rows[1]![15] = '已销号'; // a closed measure cannot be imported
    rows[2]![16] = -1;
    rows[3]![0] = 'L1'; // the number of the first problem again, not next to its rows
    const file = await workbook(rows);
    const messages: Record<string, string[]> = {};
    for (const lang of ['zh-CN', 'zh-TW', 'en']) {
      const res = await upload(unit, `${V1}/round-units/${ru.b}/ledger/import`, 'l.xlsx', file, {
        'accept-language': lang,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: any) => `${e.column}${e.row}`)).toEqual(['N2', 'P3', 'Q4', 'A5']);
      messages[lang] = res.json().errors.map((e: any) => e.message);
    }
    expect(messages.en).toEqual([
      '"2027-02-30" is not a valid date (e.g. 2027-03-31)',
      'An imported measure can only be not started, in progress or completed, not "已销号"',
      '"-1" must be a whole number from 0 to 1000000',
      'Problem number "L1" already appears in row 2; the rows of one problem must be adjacent',
    ]);
    expect(messages['zh-CN']![0]).toBe('“2027-02-30”不是有效日期（如 2027-03-31）');
    expect(messages['zh-TW']![3]).toBe('問題編號「L1」已在第 2 列出現；同一問題的各列須相鄰');
    expect(new Set(Object.values(messages).map((m) => m.join()))).toHaveProperty('size', 3);
  });

  it('reports a missing column and a sheet without rows', async () => {
    const noCategory = await workbook([['X1', '描述']], ['问题编号', '问题描述', '整改措施']);
    const res = await upload(unit, `${V1}/round-units/${ru.b}/ledger/import`, 'x.xlsx', noCategory);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: any) => e.field)).toEqual(['category', 'type', 'deadline']);
    const empty = await workbook([]);
    const res2 = await upload(unit, `${V1}/round-units/${ru.b}/ledger/import`, 'x.xlsx', empty);
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors).toEqual([{ row: 2, column: 'A', field: 'number', message: '文件中没有数据行' }]);
  });

  it('refuses a non-xlsx, an .xlsm, a macro part inside an .xlsx and a text file renamed .xlsx', async () => {
    const url = `${V1}/round-units/${ru.b}/ledger/import`;
    const small = await workbook(ledgerRows(1, 1).rows);
    const macro = await JSZip.loadAsync(small);
    macro.file('xl/vbaProject.bin', Buffer.from('VBA project'));
    const types = await macro.file('[Content_Types].xml')!.async('string');
    macro.file(
      '[Content_Types].xml',
      types.replace(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
        'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
      ),
    );
    const xlsm = await macro.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF');
    for (const [name, content] of [
      ['ledger.pdf', pdf],
      ['ledger.xlsm', xlsm],
      ['ledger.xlsx', xlsm],
      ['ledger.xlsx', Buffer.from('问题编号,问题类别\nA1,党的领导\n')],
      ['ledger.xlsx', await docx([run('一、党的领导')])],
      ['ledger.csv', small],
    ] as const) {
      const res = await upload(unit, url, name, content);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().code).toBe('IMPORT_INVALID_FILE');
    }
    const notMultipart = await unit.post(url, { file: 'x' });
    expect(notMultipart.statusCode).toBe(415);
    const wrongField = multipart('ledger.xlsx', small, 'upload');
    const res = await unit.request('POST', url, wrongField.body, { 'content-type': wrongField.contentType });
    expect(res.statusCode).toBe(400);
    expect(await problemCount(ru.b)).toBe(0);
  });

  it('refuses a file over the upload limit with 413', async () => {
    const res = await upload(
      unit,
      `${V1}/round-units/${ru.b}/ledger/import`,
      'big.xlsx',
      Buffer.alloc(5 * 1024 * 1024),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("answers 404 for another unit's round-unit or one that does not exist, and 403 without the permission", async () => {
    const small = await workbook(ledgerRows(1, 1).rows);
    for (const id of [ru.c, 999_999]) {
      expect((await upload(unit, `${V1}/round-units/${id}/ledger/import`, 'a.xlsx', small)).statusCode).toBe(404);
      expect((await unit.post(`${V1}/round-units/${id}/feedback/parse`, { text: FEEDBACK })).statusCode).toBe(404);
      const confirm = await unit.post(`${V1}/round-units/${id}/problems/confirm`, {
        problems: [{ number: '一、', categoryCode: 'ideology', description: 'x' }],
      });
      expect(confirm.statusCode).toBe(404);
    }
    expect(await problemCount(ru.c)).toBe(0);
    expect((await upload(leader, `${V1}/round-units/${ru.b}/ledger/import`, 'a.xlsx', small)).statusCode).toBe(403);
    expect((await leader.get(`${V1}/ledger/template`)).statusCode).toBe(403);
    expect((await leader.post(`${V1}/round-units/${ru.b}/feedback/parse`, { text: FEEDBACK })).statusCode).toBe(403);
  });

  it('refuses to change the ledger of a round-unit already evaluated or published', async () => {
    const small = await workbook(ledgerRows(1, 1).rows);
    const imported = await upload(office, `${V1}/round-units/${ru.f}/ledger/import`, 'a.xlsx', small);
    expect(imported.statusCode).toBe(409);
    expect(imported.json().code).toBe('ROUND_UNIT_CLOSED');
    const confirmed = await office.post(`${V1}/round-units/${ru.f}/problems/confirm`, {
      problems: [{ number: '一、', categoryCode: 'ideology', description: 'x' }],
    });
    expect(confirmed.statusCode).toBe(409);
    expect(await problemCount(ru.f)).toBe(0);
  });

  it('exports the ledger in the template layout, cell for cell equal to the database, streamed and audited', async () => {
    const started = performance.now();
    const res = await unit.get(`${V1}/ledger/export?roundUnitId=${ru.a}`);
    console.info(`[${dialect}] export of 10,000 rows: ${Math.round(performance.now() - started)} ms`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    exportedA = res.rawPayload;
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="ledger-2026-11-27.xlsx"; filename*=UTF-8''${encodeURIComponent('三清单一台账-2026-11-27.xlsx')}`,
    );
    await assertOpensCleanly(res.rawPayload);
    const wb = await readWorkbook(res.rawPayload);
    const ws = wb.getWorksheet('三清单一台账')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '轮次\nRound',
      '被巡察单位\nInspected unit',
      ...HEADERS,
    ]);

    const categories = new Map(
      (
        await t.ctx.db
          .selectFrom('dictionaries')
          .select(['code', 'labelZhCn'])
          .where('kind', '=', 'problem_category')
          .execute()
      ).map((c) => [c.code, c.labelZhCn]),
    );
    const expected: unknown[][] = [];
    for (const p of await ledgerOf(ru.a)) {
      for (const m of p.measures) {
        expected.push([
          '五届市委第1轮巡察',
          '市农业农村局党组',
          p.number,
          categories.get(p.categoryCode),
          p.description,
          SOURCE_LABELS[p.source as 'feedback']['zh-CN'],
          SEVERITY_LABELS[p.severity as 'high']['zh-CN'],
          p.responsibleLeader,
          p.responsibleDepartment,
          p.responsiblePerson,
          p.first.join('、') || null,
          p.shared.join('、') || null,
          m.seq,
          m.content,
          MEASURE_TYPE_LABELS[m.type as 'deadline']['zh-CN'],
          m.effectiveDeadline,
          m.ownerName,
          MEASURE_STATUS_LABELS[m.status as 'completed']['zh-CN'],
          m.rulesEstablished,
          m.funds,
          m.losses,
          m.peopleHeldAccountable,
          m.casesFiled,
        ]);
      }
    }
    expect(ws.actualRowCount).toBe(expected.length + 1);
    const actual: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      const cell = (i: number) => (v[i] === undefined ? null : v[i]);
      expect(cell(16), `row ${n} deadline`).toBeInstanceOf(Date);
      expect(typeof cell(20), `row ${n} funds`).toBe('number');
      actual.push([
        ...Array.from({ length: 15 }, (_, i) => cell(i + 1)),
        (cell(16) as Date).toISOString().slice(0, 10),
        cell(17),
        cell(18),
        cell(19),
        yuanToFen(String(cell(20))).toString(),
        yuanToFen(String(cell(21))).toString(),
        cell(22),
        cell(23),
      ]);
    });
    expect(actual).toEqual(expected);

    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['actorName', 'after'])
      .where('action', '=', 'export.ledger')
      .orderBy('seq')
      .execute();
    expect(audit.at(-1)!.actorName).toBe('unit');
    expect(JSON.parse(audit.at(-1)!.after!)).toEqual({ filter: { roundUnitId: ru.a } });
  });

  it('streams the export at the pace of the reader, and stops when the reader goes away', async () => {
    const svc = new LedgerExcelService(t.ctx);
    const filter = { roundUnitId: ru.a, scope: {} };
    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };

    // Nobody reads: the writer stops after a batch or two instead of building the file in memory.
    const slow = new PassThrough({ highWaterMark: 64 * 1024 });
    let rows = 0;
    const writing = svc.writeExport(filter, 'zh-CN', slow, (n) => {
      rows = n;
    });
    await waitFor(() => rows > 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(10_000);
    const chunks: Buffer[] = [];
    slow.on('data', (c: Buffer) => chunks.push(c));
    expect(await writing).toBe(10_000);
    const ws = (await readWorkbook(Buffer.concat(chunks))).getWorksheet('三清单一台账')!;
    expect(ws.actualRowCount).toBe(10_001);

    // The reader goes away half-way: the writer stops without an error and without hanging.
    const gone = new PassThrough({ highWaterMark: 64 * 1024 });
    let goneRows = 0;
    const abandoned = svc.writeExport(filter, 'zh-CN', gone, (n) => {
      goneRows = n;
    });
    await waitFor(() => goneRows > 0);
    gone.destroy();
    expect(await abandoned).toBeLessThan(10_000);
  });

  it('round-trips: the export of one round-unit imports into another as the same ledger', async () => {
    const started = performance.now();
    const res = await upload(office, `${V1}/round-units/${ru.b}/ledger/import`, 'export.xlsx', exportedA);
    console.info(`[${dialect}] re-import of the 10,000-row export: ${Math.round(performance.now() - started)} ms`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json()).toEqual({ problems: 2500, measures: 10_000 });
    expect(await ledgerOf(ru.b)).toEqual(await ledgerOf(ru.a));
  });

  it('filters the export by scope in SQL, and by category, status and type', async () => {
    // Another unit's ledger, which the unit may not see.
    const other = await office.post(`${V1}/round-units/${ru.c}/problems/confirm`, {
      problems: [{ number: '一、', categoryCode: 'civil_air_defence', description: '人防工程易地建设费征收不到位' }],
    });
    expect(other.statusCode).toBe(201);
    const rowsOf = async (agent: Agent, query: string) => {
      const res = await agent.get(`${V1}/ledger/export?${query}`);
      expect(res.statusCode).toBe(200);
      const ws = (await readWorkbook(res.rawPayload)).getWorksheet('三清单一台账')!;
      const rows: unknown[][] = [];
      ws.eachRow((row, n) => {
        if (n > 1) rows.push((row.values as unknown[]).slice(1));
      });
      return rows;
    };
    const mine = await rowsOf(unit, 'categoryCode=civil_air_defence');
    expect(mine.map((r) => [r[1], r[2], r[3]])).toEqual([['市农业农村局党组', 'T1', '人防']]);
    const all = await rowsOf(office, 'categoryCode=civil_air_defence');
    expect(all.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['五届市委第1轮巡察', '市水务局党组', '一、'],
      ['五届市委第3轮巡察', '市农业农村局党组', 'T1'],
    ]);
    expect(all[0]!.slice(12)).toEqual([]); // a problem without measures: its measure cells are empty
    // 宣传部 follows only 意识形态 at the unit it liaises with (its line).
    const propaganda = await t.createOrg({
      code: 'XCB',
      name: '市委宣传部',
      type: 'supervisor',
      supervisorLine: 'propaganda',
    });
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: unitOrg, supervisorOrgId: propaganda, categories: 'ideology', createdAt: t.clock.now() })
      .execute();
    await t.createUser({ username: 'xcb', role: 'supervisor', orgId: propaganda });
    const supervisor = await t.login('xcb');
    const line = await rowsOf(supervisor, `roundUnitId=${ru.a}`);
    expect(line).toHaveLength(2000);
    expect(new Set(line.map((r) => r[3]))).toEqual(new Set(['意识形态']));
    expect(await rowsOf(supervisor, `roundUnitId=${ru.a}&categoryCode=party_leadership`)).toEqual([]);

    const done = await rowsOf(unit, `roundUnitId=${ru.a}&status=completed&type=long_term`);
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((r) => r[17] === '已完成' && r[14] === '长期坚持')).toBe(true);
    expect(await rowsOf(unit, `roundUnitId=${ru.c}`)).toEqual([]);
    const bad = await unit.get(`${V1}/ledger/export?status=bogus`);
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the export well-formed whatever text the database holds', async () => {
    const res = await office.post(`${V1}/round-units/${ru.e}/problems/confirm`, {
      problems: [
        {
          number: '一、',
          categoryCode: 'ideology',
          description: 'bell\u0007 and form feed\u000c <&> "quoted" {a,b} C:\\dir NULL 𠮷',
        },
      ],
    });
    expect(res.statusCode).toBe(201);
    const out = await office.get(`${V1}/ledger/export?roundUnitId=${ru.e}`);
    await assertOpensCleanly(out.rawPayload);
    const ws = (await readWorkbook(out.rawPayload)).getWorksheet('三清单一台账')!;
    expect(ws.getCell('E2').value).toBe('bell and form feed <&> "quoted" {a,b} C:\\dir NULL 𠮷');
  });

  it('turns a pasted feedback into draft problems split on its own numbering, stores nothing, then confirms them', async () => {
    const before = await problemCount(ru.d);
    const res = await unit.post(`${V1}/round-units/${ru.d}/feedback/parse`, { text: FEEDBACK });
    expect(res.statusCode, res.body).toBe(200);
    const { preamble, drafts } = res.json();
    expect(preamble).toContain('现将巡察发现的主要问题反馈如下');
    expect(drafts.map((d: any) => [d.number, d.categoryCode])).toEqual([
      ['一、（一）1.', 'party_leadership'],
      ['一、（一）2.', 'party_leadership'],
      ['二、（一）1.', 'eight_point_rules'],
      ['二、（一）2.', 'eight_point_rules'],
      ['三、（一）（1）', 'personnel_selection'],
      ['三、（一）（2）', 'personnel_selection'],
    ]);
    expect(drafts[0].heading).toBe('党的领导方面 / 贯彻落实党中央决策部署不到位。');
    expect(drafts[0].description).toBe(
      '学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式，全年仅开展集中学习3次。',
    );
    expect(await problemCount(ru.d)).toBe(before);

    const confirm = await unit.post(`${V1}/round-units/${ru.d}/problems/confirm`, {
      problems: drafts.map((d: any, i: number) => ({
        number: d.number,
        categoryCode: d.categoryCode,
        description: d.description,
        ...(i === 0 ? { severity: 'high', responsibleLeader: '局长', responsiblePerson: '办公室主任' } : {}),
      })),
    });
    expect(confirm.statusCode, confirm.body).toBe(201);
    const ids: number[] = confirm.json().ids;
    expect(ids).toHaveLength(6);
    const ledger = await ledgerOf(ru.d);
    expect(ledger.slice(before).map((p) => [p.seq, p.number, p.categoryCode])).toEqual(
      drafts.map((d: any, i: number) => [before + i + 1, d.number, d.categoryCode]),
    );
    expect(ledger[before]).toMatchObject({ severity: 'high', source: 'feedback', responsibleLeader: '局长' });
    const summary = await t.ctx.db
      .selectFrom('ledgerSummaries')
      .select(['categoryCode', 'problemCount'])
      .where('roundUnitId', '=', ru.d)
      .where('categoryCode', '=', 'eight_point_rules')
      .executeTakeFirstOrThrow();
    expect(Number(summary.problemCount)).toBe(2);
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['after'])
      .where('action', '=', 'problem.confirm')
      .where('entityId', '=', String(ru.d))
      .execute();
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ problems: 6, ids });
  });

  it('refuses a confirmation with the index of every bad item, and stores none of it', async () => {
    const before = await problemCount(ru.d);
    const res = await unit.post(
      `${V1}/round-units/${ru.d}/problems/confirm`,
      {
        problems: [
          { number: '四、（一）', categoryCode: 'ideology', description: 'ok' },
          { number: '四、（二）', categoryCode: 'no_such_category', description: 'x' },
          { number: '四、（一）', categoryCode: 'ideology', description: 'repeated' },
          { number: '一、（一）1.', categoryCode: 'ideology', description: 'exists already' },
          { number: '四、（三）', categoryCode: 'ideology', description: '   ' },
        ],
      },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().errors.map((e: any) => [e.index, e.path])).toEqual([
      [1, 'body.problems.1.categoryCode'],
      [2, 'body.problems.2.number'],
      [4, 'body.problems.4.description'],
    ]);
    expect(res.json().errors[0].message).toBe('"no_such_category" is not an active problem category');
    // The number that exists already is found inside the transaction, once the others are right.
    const res2 = await unit.post(`${V1}/round-units/${ru.d}/problems/confirm`, {
      problems: [
        { number: '四、（一）', categoryCode: 'ideology', description: 'ok' },
        { number: '一、（一）1.', categoryCode: 'ideology', description: 'exists already' },
      ],
    });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors).toEqual([
      { index: 1, path: 'body.problems.1.number', message: '本单位本轮已有编号为“一、（一）1.”的问题' },
    ]);
    const tooMany = await unit.post(`${V1}/round-units/${ru.d}/problems/confirm`, {
      problems: Array.from({ length: 2001 }, (_, i) => ({
        number: `X${i}`,
        categoryCode: 'ideology',
        description: 'x',
      })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect((await unit.post(`${V1}/round-units/${ru.d}/problems/confirm`, { problems: [] })).statusCode).toBe(400);
    expect(await problemCount(ru.d)).toBe(before);
  });

  it('reads the feedback from a .docx built paragraph by paragraph, and refuses what is not one', async () => {
    const file = await docx([
      run('市委第二巡察组反馈意见'),
      '',
      `${run('一、')}<w:r><w:rPr><w:b/></w:rPr><w:t>党的领导方面</w:t></w:r>`,
      run('（一）落实意识形态工作责任制不到位。'),
      `${run('1.')}${run('对网络舆情研判不及时，')}<w:r><w:br/></w:r>${run('阵地管理存在漏洞。')}`,
      `${run('2.理论学习流于形式，“第一议题”制度落实')}<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>${run('不到位&amp;不严格。')}`,
      run('二、人防系统问题'),
      run('（一）人防易地建设费征收不到位。'),
    ]);
    const m = multipart('feedback.docx', file);
    const res = await unit.request('POST', `${V1}/round-units/${ru.d}/feedback/parse`, m.body, {
      'content-type': m.contentType,
    });
    expect(res.statusCode, res.body).toBe(200);
    const { preamble, drafts } = res.json();
    expect(preamble).toBe('市委第二巡察组反馈意见');
    expect(drafts).toEqual([
      {
        number: '一、（一）1.',
        heading: '党的领导方面 / 落实意识形态工作责任制不到位。',
        description: '对网络舆情研判不及时，阵地管理存在漏洞。',
        categoryCode: 'ideology',
      },
      {
        number: '一、（一）2.',
        heading: '党的领导方面 / 落实意识形态工作责任制不到位。',
        description: '理论学习流于形式，“第一议题”制度落实不到位&不严格。',
        categoryCode: 'party_leadership',
      },
      {
        number: '二、（一）',
        heading: '人防系统问题',
        description: '人防易地建设费征收不到位。',
        categoryCode: 'civil_air_defence',
      },
    ]);

    // Word's automatic numbering: the labels live in numbering.xml, not in the text.
    const numbered = (ilvl: number, text: string) =>
      `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="7"/></w:numPr></w:pPr>${run(text)}</w:p>`;
    const level = (ilvl: number, format: string, text: string) =>
      `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${format}"/><w:lvlText w:val="${text}"/></w:lvl>`;
    const auto = await docx(
      [
        run('反馈意见'),
        numbered(0, '党的领导方面'),
        numbered(1, '落实意识形态工作责任制不到位。'),
        numbered(2, '对网络舆情研判不及时。'),
        numbered(2, '宣传思想阵地管理存在漏洞。'),
        numbered(0, '全面从严治党方面'),
        numbered(1, '违反中央八项规定精神，超标准接待。'),
      ],
      {
        'word/numbering.xml':
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
          '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
          `<w:abstractNum w:abstractNumId="3">${level(0, 'chineseCounting', '%1、')}${level(1, 'chineseCounting', '（%2）')}${level(2, 'decimal', '%3.')}</w:abstractNum>` +
          '<w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>',
      },
    );
    const am = multipart('auto.docx', auto);
    const autoRes = await unit.request('POST', `${V1}/round-units/${ru.d}/feedback/parse`, am.body, {
      'content-type': am.contentType,
    });
    expect(autoRes.statusCode, autoRes.body).toBe(200);
    expect(autoRes.json().drafts.map((d: any) => [d.number, d.categoryCode])).toEqual([
      ['一、（一）1.', 'ideology'],
      ['一、（一）2.', 'ideology'],
      ['二、（一）', 'eight_point_rules'],
    ]);

    const docm = await docx([run('一、问题')], { 'word/vbaProject.bin': 'VBA' });
    for (const [name, content] of [
      ['feedback.docm', docm],
      ['feedback.docx', docm],
      ['feedback.docx', Buffer.from('一、党的领导方面\n（一）问题')],
      ['feedback.docx', await workbook([])],
      ['feedback.txt', file],
    ] as const) {
      const mm = multipart(name, content);
      const r = await unit.request('POST', `${V1}/round-units/${ru.d}/feedback/parse`, mm.body, {
        'content-type': mm.contentType,
        'accept-language': 'en',
      });
      expect(r.statusCode, name).toBe(400);
      expect(r.json().detail).toBe(
        'Invalid input: The file is not a valid Word document (.docx); macro-enabled documents are not accepted',
      );
    }
    const empty = await unit.post(`${V1}/round-units/${ru.d}/feedback/parse`, { text: '' });
    expect(empty.statusCode).toBe(400);
    const unknown = await unit.post(`${V1}/round-units/${ru.d}/feedback/parse`, { text: 'x', extra: 1 });
    expect(unknown.statusCode).toBe(400);
  });
});
