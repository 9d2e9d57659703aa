import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import { fenToYuan } from '../../../domain/money.js';
import { DONE_STATUSES, MEASURE_STATUSES, rectificationRate } from '../../../domain/rectification.js';
import { percent } from '../../../domain/reports.js';
import { SummaryRepository } from '../../src/modules/ledger/summaries.repository.js';
import { decodeXml, inflateEntry, zipEntries } from '../../src/modules/ledger-excel/ledger-excel.zip.js';
import {
  OPEN_COLUMNS,
  OPEN_SHEET,
  PROGRESS_COLUMNS,
  PROGRESS_SHEET,
} from '../../src/modules/reports/reports.service.js';
import { AppError } from '../../src/platform/errors.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const DAY = 86_400_000;
type Res = { statusCode: number; body: string; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code, res.body).toBe(code);
}
function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** The parts of a .docx, inflated. */
function docxParts(bytes: Buffer): Map<string, string> {
  const bad = () => new AppError(400, 'VALIDATION_FAILED', { detail: 'not a zip' });
  const entries = zipEntries(bytes, bad);
  const out = new Map<string, string>();
  for (const [name, e] of entries) out.set(name, inflateEntry(bytes, e, 20_000_000, bad).toString('utf8'));
  return out;
}
const texts = (xml: string) => [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1]!));
/** The paragraph (<w:p>) holding the text, for its properties and runs. */
const paragraphOf = (xml: string, text: string) =>
  [...xml.matchAll(/<w:p>.*?<\/w:p>/g)].map((m) => m[0]).find((p) => texts(p).join('').includes(text)) ?? '';

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe.each(DIALECTS)('reports (M13) on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  let termId: number;
  let roundId: number;
  let otherRoundId: number;
  let today: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.unitC = await t.createOrg({ code: 'UC', name: '市供销社' });
    org.follow = await t.createOrg({ code: 'DCS', name: '市委督查室', type: 'followup_office' });
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['heada', 'unit_head', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['follow', 'followup', org.follow],
      ['sec', 'secadmin', t.rootOrgId],
    ] as const) {
      user[username] = await t.createUser({ username, role, orgId });
    }
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );
    for (const u of ['office', 'leader', 'unita', 'heada', 'unitb', 'follow', 'sec']) a[u] = await t.login(u);
    today = shanghaiDate(t.clock.now());

    // A term with two rounds; random ledgers for three units in the first, one unit in the second.
    const db = t.ctx.db;
    const now = t.clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    termId = Number(
      (
        await db
          .insertInto('terms')
          .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
    const round = async (number: number, name: string) =>
      Number(
        (
          await db
            .insertInto('rounds')
            .values({
              termId,
              number,
              name,
              type: 'regular',
              onSiteStart: null,
              onSiteEnd: null,
              notes: null,
              ...stamps,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    roundId = await round(1, '第五届市委第一轮巡察');
    otherRoundId = await round(2, '第五届市委第二轮巡察');
    const next = rng(dialect === 'sqlite' ? 7 : 11);
    let problemSeq = 0;
    for (const [rid, unitOrgId] of [
      [roundId, org.unitA!],
      [roundId, org.unitB!],
      [roundId, org.unitC!],
      [otherRoundId, org.unitA!],
    ] as const) {
      const ru = Number(
        (
          await db
            .insertInto('roundUnits')
            .values({
              roundId: rid,
              termId,
              unitOrgId,
              teamId: null,
              status: 'rectifying',
              cycle: 1,
              feedbackDate: '2026-08-01',
              deadline: '2026-11-01',
              deadlineOverridden: 0,
              ...stamps,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
      const owner = { roundUnitId: ru, roundId: rid, termId, unitOrgId };
      for (let p = 1; p <= 3 + next(4); p++) {
        const problemId = Number(
          (
            await db
              .insertInto('problems')
              .values({
                ...owner,
                campaignId: null,
                seq: p,
                number: `${++problemSeq}`,
                categoryCode: 'party_leadership',
                description: `问题${problemSeq}`,
                source: 'feedback',
                severity: 'high',
                responsibleLeader: '张副局长',
                responsibleDepartment: '办公室',
                responsiblePerson: null,
                measureCount: 0,
                doneCount: 0,
                ...stamps,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
        for (let m = 1; m <= 1 + next(3); m++) {
          const status = MEASURE_STATUSES[next(MEASURE_STATUSES.length)]!;
          const deadline = addDays(today, next(60) - 30);
          const progressAt = now - next(60) * DAY;
          await db
            .insertInto('measures')
            .values({
              ...owner,
              problemId,
              categoryCode: 'party_leadership',
              seq: m,
              content: `措施${problemSeq}-${m}`,
              type: 'deadline',
              status,
              isDone: DONE_STATUSES.includes(status) ? 1 : 0,
              deadline,
              extendedDeadline: null,
              effectiveDeadline: deadline,
              ownerName: `责任人${m}`,
              ownerUserId: null,
              completedOn: null,
              rulesEstablished: next(3),
              fundsReturnedFen: next(1_000_000),
              lossesRecoveredFen: next(500_000),
              peopleHeldAccountable: next(2),
              casesFiled: next(2),
              lastProgressAt: progressAt,
              ...stamps,
              createdAt: progressAt,
            })
            .execute();
        }
      }
    }
    await new SummaryRepository().recount(db, null);
  });
  afterAll(() => t.close());

  /** The figures of a round straight from problems and measures (not the summary counters). */
  async function recount(rid: number, unitOrgIds: number[]) {
    const done = sql.join(DONE_STATUSES.map((s) => sql`${s}`));
    const units = sql.join(unitOrgIds);
    const m = await sql<Record<string, string | number>>`
      SELECT m.unit_org_id AS unit, count(*) AS measures,
        sum(CASE WHEN m.status IN (${done}) THEN 1 ELSE 0 END) AS done_measures,
        sum(CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END) AS closed_measures,
        sum(CASE WHEN m.status NOT IN (${done}) AND m.effective_deadline < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(m.rules_established) AS rules, sum(m.funds_returned_fen) AS funds, sum(m.losses_recovered_fen) AS losses,
        sum(m.people_held_accountable) AS people, sum(m.cases_filed) AS cases
      FROM measures m WHERE m.round_id = ${rid} AND m.unit_org_id IN (${units})
      GROUP BY m.unit_org_id`.execute(t.ctx.db);
    const p = await sql<Record<string, string | number>>`
      SELECT p.unit_org_id AS unit, count(*) AS problems,
        sum(CASE WHEN EXISTS (SELECT 1 FROM measures x WHERE x.problem_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM measures x WHERE x.problem_id = p.id AND x.status NOT IN (${done}))
          THEN 1 ELSE 0 END) AS rectified
      FROM problems p WHERE p.round_id = ${rid} AND p.unit_org_id IN (${units})
      GROUP BY p.unit_org_id`.execute(t.ctx.db);
    const per = new Map<number, Record<string, number | string>>();
    for (const id of unitOrgIds) {
      const mm = m.rows.find((r) => Number(r.unit) === id) ?? {};
      const pp = p.rows.find((r) => Number(r.unit) === id) ?? {};
      per.set(id, {
        problems: Number(pp.problems ?? 0),
        rectifiedProblems: Number(pp.rectified ?? 0),
        measures: Number(mm.measures ?? 0),
        doneMeasures: Number(mm.doneMeasures ?? 0),
        closedMeasures: Number(mm.closedMeasures ?? 0),
        overdue: Number(mm.overdue ?? 0),
        rulesEstablished: Number(mm.rules ?? 0),
        fundsReturned: fenToYuan(String(mm.funds ?? 0).split('.')[0]!),
        lossesRecovered: fenToYuan(String(mm.losses ?? 0).split('.')[0]!),
        peopleHeldAccountable: Number(mm.people ?? 0),
        casesFiled: Number(mm.cases ?? 0),
      });
    }
    const sum = (k: string) => [...per.values()].reduce((s, r) => s + Number(r[k]), 0);
    const fen = (k: string) =>
      fenToYuan(m.rows.reduce((s, r) => s + BigInt(String(r[k] ?? 0).split('.')[0]!), 0n).toString());
    return {
      per,
      total: {
        units: unitOrgIds.length,
        problems: sum('problems'),
        rectifiedProblems: sum('rectifiedProblems'),
        measures: sum('measures'),
        doneMeasures: sum('doneMeasures'),
        closedMeasures: sum('closedMeasures'),
        overdue: sum('overdue'),
        rulesEstablished: sum('rulesEstablished'),
        fundsReturned: fen('funds'),
        lossesRecovered: fen('losses'),
        peopleHeldAccountable: sum('peopleHeldAccountable'),
        casesFiled: sum('casesFiled'),
      },
    };
  }

  // --- the comprehensive report -------------------------------------------------------------------

  it('writes the comprehensive report as a GB/T 9704 .docx carrying the figures of the database', async () => {
    const res = await a.leader!.get(`${V1}/reports/comprehensive.docx?roundId=${roundId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toContain('.docx');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const parts = docxParts(bytes);
    for (const p of [
      'word/document.xml',
      'word/styles.xml',
      'word/settings.xml',
      'word/footer1.xml',
      'word/footer2.xml',
    ])
      expect(parts.has(p), p).toBe(true);
    const xml = parts.get('word/document.xml')!;
    // Page setup: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (twips), both footers.
    const sect = xml.match(/<w:sectPr>.*<\/w:sectPr>/)![0];
    expect(sect).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(sect).toMatch(/w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"/);
    expect(sect).toContain('w:type="default" r:id="rIdFooterOdd"');
    expect(sect).toContain('w:type="even" r:id="rIdFooterEven"');
    expect(parts.get('word/_rels/document.xml.rels')).toContain('Target="footer1.xml"');
    expect(parts.get('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    // Page number: — PAGE — in 4号 (14 pt = 28 half-points), odd right, even left.
    for (const [f, side] of [
      ['word/footer1.xml', 'right'],
      ['word/footer2.xml', 'left'],
    ] as const) {
      const footer = parts.get(f)!;
      expect(footer).toContain('<w:instrText xml:space="preserve"> PAGE </w:instrText>');
      expect(footer).toContain('<w:sz w:val="28"/>');
      expect(footer).toContain(`<w:jc w:val="${side}"/>`);
      expect(texts(footer).join('')).toBe('— 1 —');
    }
    // Fonts: 小标宋 2号 title, 黑体 一、, 楷体 （一）, 仿宋 3号 body on a 28 pt line.
    const title = paragraphOf(xml, '综合报告');
    expect(texts(title).join('')).toBe('关于第五届市委第一轮巡察整改进展情况的综合报告');
    expect(title).toContain('w:eastAsia="方正小标宋简体"');
    expect(title).toContain('<w:sz w:val="44"/>');
    expect(paragraphOf(xml, '一、总体情况')).toContain('w:eastAsia="黑体"');
    expect(paragraphOf(xml, '（一）超过整改时限')).toContain('w:eastAsia="楷体_GB2312"');
    const body = paragraphOf(xml, '反馈问题');
    expect(body).toContain('w:eastAsia="仿宋_GB2312"');
    expect(body).toContain('<w:sz w:val="32"/>');
    expect(body).toContain('w:line="560" w:lineRule="exact"');
    expect(parts.get('word/styles.xml')).toContain('w:eastAsia="仿宋_GB2312"');

    // The figures: the same as a recount from problems and measures.
    const { per, total } = await recount(roundId, [org.unitA!, org.unitB!, org.unitC!]);
    const text = texts(xml).join('');
    expect(text).toContain(
      `共涉及被巡察党组织${total.units}个，反馈问题${total.problems}个，制定整改措施${total.measures}项。`,
    );
    expect(text).toContain(
      `已完成整改措施${total.doneMeasures}项，整改率${percent(rectificationRate(total.doneMeasures, total.measures))}`,
    );
    expect(text).toContain(`已整改到位问题${total.rectifiedProblems}个`);
    expect(text).toContain(`已销号措施${total.closedMeasures}项`);
    expect(text).toContain(`建立完善制度${total.rulesEstablished}项，退缴违规资金${total.fundsReturned}元`);
    expect(text).toContain(`挽回经济损失${total.lossesRecovered}元`);
    expect(total.overdue).toBeGreaterThan(0); // the generated data has late measures to list
    expect(text).toContain(`超过整改时限尚未完成的措施${total.overdue}项`);
    // The per-unit table: one row per unit with its counts.
    for (const [id, name] of [
      [org.unitA!, '市财政局'],
      [org.unitB!, '市人防办'],
      [org.unitC!, '市供销社'],
    ] as const) {
      const row = [...xml.matchAll(/<w:tr>.*?<\/w:tr>/g)].map((m) => texts(m[0])).find((cells) => cells[1] === name)!;
      const r = per.get(id)!;
      expect(row.slice(2), name).toEqual([
        String(r.problems),
        String(r.measures),
        String(r.doneMeasures),
        percent(rectificationRate(Number(r.doneMeasures), Number(r.measures))),
        String(r.overdue),
        expect.any(String),
      ]);
    }
    // Every overdue measure is listed (fewer than the list's limit here).
    const overdueRows = await sql<{ content: string }>`
      SELECT content FROM measures WHERE round_id = ${roundId} AND is_done = 0 AND effective_deadline < ${today}`.execute(
      t.ctx.db,
    );
    for (const r of overdueRows.rows) expect(text).toContain(r.content);
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'report.comprehensive.download')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it("a unit's report counts only its own unit; a term's report counts both rounds", async () => {
    const res = await a.unita!.get(`${V1}/reports/comprehensive.docx?roundId=${roundId}`);
    expect(res.statusCode).toBe(200);
    const text = texts(docxParts(res.rawPayload).get('word/document.xml')!).join('');
    const { total } = await recount(roundId, [org.unitA!]);
    expect(text).toContain(`共涉及被巡察党组织1个，反馈问题${total.problems}个，制定整改措施${total.measures}项。`);
    expect(text).not.toContain('市人防办');
    expect(text).not.toContain('市供销社');

    const termRes = await a.office!.get(`${V1}/reports/comprehensive.docx?termId=${termId}`);
    const termText = texts(docxParts(termRes.rawPayload).get('word/document.xml')!).join('');
    const r1 = await recount(roundId, [org.unitA!, org.unitB!, org.unitC!]);
    const r2 = await recount(otherRoundId, [org.unitA!]);
    expect(termText).toContain(`反馈问题${r1.total.problems + r2.total.problems}个`);
    expect(termText).toContain('关于第五届巡察整改进展情况的综合报告');
  });

  it('refuses an unknown term or round with 400 and needs report.read', async () => {
    expectProblem(
      await a.office!.get(`${V1}/reports/comprehensive.docx?roundId=2147483647`),
      400,
      'REPORT_SCOPE_UNKNOWN',
    );
    expectProblem(
      await a.office!.get(`${V1}/reports/progress-statistics.xlsx?termId=${termId + 1000}`),
      400,
      'REPORT_SCOPE_UNKNOWN',
    );
    expectProblem(await a.office!.get(`${V1}/reports/open-measures.xlsx?roundId=abc`), 400, 'VALIDATION_FAILED');
  });

  // --- Excel ------------------------------------------------------------------------------------------

  async function workbook(res: Res & { rawPayload: Buffer }) {
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    return wb;
  }

  it('整改进展情况统计表 read back with ExcelJS equals a direct SQL recount', async () => {
    const wb = await workbook(await a.leader!.get(`${V1}/reports/progress-statistics.xlsx?roundId=${roundId}`));
    const ws = wb.getWorksheet(PROGRESS_SHEET)!;
    expect(ws.getRow(1).values).toEqual([undefined, ...PROGRESS_COLUMNS.map((c) => c.header)]);
    const col = (key: string) => PROGRESS_COLUMNS.findIndex((c) => c.key === key) + 1;
    const { per, total } = await recount(roundId, [org.unitA!, org.unitB!, org.unitC!]);
    const names = new Map([
      ['市财政局', org.unitA!],
      ['市人防办', org.unitB!],
      ['市供销社', org.unitC!],
    ]);
    expect(ws.rowCount).toBe(1 + 3 + 1);
    const keys = [
      'problems',
      'rectifiedProblems',
      'measures',
      'doneMeasures',
      'overdue',
      'rulesEstablished',
      'fundsReturned',
      'lossesRecovered',
      'peopleHeldAccountable',
      'casesFiled',
    ];
    for (let i = 2; i <= 4; i++) {
      const row = ws.getRow(i);
      const expected = per.get(names.get(String(row.getCell(col('unitName')).value))!)!;
      for (const k of keys) expect(String(row.getCell(col(k)).value), k).toBe(String(expected[k]));
      expect(row.getCell(col('rectificationRate')).value).toBe(
        rectificationRate(Number(expected.doneMeasures), Number(expected.measures)),
      );
    }
    const last = ws.getRow(5);
    expect(last.getCell(col('unitName')).value).toBe('合计');
    for (const k of keys) expect(String(last.getCell(col(k)).value), k).toBe(String((total as any)[k]));
  });

  it('正在整改情况统计表 lists exactly the measures not done, with owners and deadlines', async () => {
    const wb = await workbook(await a.office!.get(`${V1}/reports/open-measures.xlsx?roundId=${roundId}`));
    const ws = wb.getWorksheet(OPEN_SHEET)!;
    const col = (key: string) => OPEN_COLUMNS.findIndex((c) => c.key === key) + 1;
    const open = await sql<{ content: string; effectiveDeadline: string; ownerName: string }>`
      SELECT content, effective_deadline, owner_name FROM measures
      WHERE round_id = ${roundId} AND status NOT IN ('completed', 'closure_requested', 'closed') ORDER BY id`.execute(
      t.ctx.db,
    );
    const rows: { content: string; deadline: string; owner: string; overdue: string }[] = [];
    ws.eachRow((row, i) => {
      if (i === 1) return;
      rows.push({
        content: String(row.getCell(col('content')).value),
        deadline: String(row.getCell(col('effectiveDeadline')).value),
        owner: String(row.getCell(col('owner')).value),
        overdue: String(row.getCell(col('overdue')).value),
      });
    });
    expect(rows).toEqual(
      open.rows.map((r) => ({
        content: r.content,
        deadline: r.effectiveDeadline,
        owner: r.ownerName,
        overdue: r.effectiveDeadline < today ? '是' : '否',
      })),
    );
    // A unit's table holds only its own measures.
    const mine = await workbook(await a.unitb!.get(`${V1}/reports/open-measures.xlsx?roundId=${roundId}`));
    const units = new Set<string>();
    mine.getWorksheet(OPEN_SHEET)!.eachRow((row, i) => {
      if (i > 1) units.add(String(row.getCell(col('unitName')).value));
    });
    expect([...units]).toEqual(['市人防办']);
  });

  // --- 三个汇报 --------------------------------------------------------------------------------------

  it('keeps the 三个汇报 records with the figures as presented; units see none; edits are optimistic', async () => {
    const rec = expectOk(
      await a.office!.post(`${V1}/report-meetings`, {
        kind: 'standing_committee',
        meetingDate: today,
        roundId,
        title: '第一轮巡察整改情况汇报',
        summary: '会议听取了第一轮巡察整改进展情况汇报。',
        reportKind: 'comprehensive',
      }),
      201,
    );
    const figures = expectOk(await a.office!.get(`${V1}/dashboard/figures?roundId=${roundId}`));
    expect(rec.figures).toEqual(figures);
    expect(rec.termId).toBe(termId);
    expect(rec.roundName).toBe('第五届市委第一轮巡察');
    expect(expectOk(await a.leader!.get(`${V1}/report-meetings`)).items.map((x: any) => x.id)).toContain(rec.id);
    expect(expectOk(await a.follow!.get(`${V1}/report-meetings?kind=standing_committee`)).items.length).toBe(1);
    expect(expectOk(await a.unita!.get(`${V1}/report-meetings`)).items).toEqual([]);
    expectProblem(await a.leader!.post(`${V1}/report-meetings`, { ...rec }), 403, 'FORBIDDEN');
    const edited = expectOk(
      await a.office!.patch(`${V1}/report-meetings/${rec.id}`, { version: 1, summary: '会议原则同意。' }),
    );
    expect(edited.version).toBe(2);
    expectProblem(
      await a.office!.patch(`${V1}/report-meetings/${rec.id}`, { version: 1, title: 'x' }),
      409,
      'CONFLICT_STALE',
    );
    expectProblem(
      await a.office!.post(`${V1}/report-meetings`, {
        kind: 'secretary',
        meetingDate: '2026-02-30',
        title: 't',
        summary: 's',
      }),
      400,
      'REPORT_DATE_INVALID',
    );
  });

  // --- minutes → tasks → urge → answer → return → answer → accept ---------------------------------

  it('turns minutes into tasks the 督查室 follows and the owning units answer', async () => {
    const before = await t.ctx.db.selectFrom('meetingMinutes').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    // A person outside the owning organisation: 400, and nothing is written.
    expectProblem(
      await a.office!.post(`${V1}/minutes`, {
        kind: 'standing_committee',
        meetingDate: today,
        title: '纪要',
        content: '内容',
        decisions: [{ content: '事项', ownerOrgId: org.unitA, ownerUserId: user.unitb, deadline: today }],
      }),
      400,
      'TASK_OWNER_UNKNOWN',
    );
    const after = await t.ctx.db.selectFrom('meetingMinutes').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    expect(Number(after!.n)).toBe(Number(before!.n));

    const minutes = expectOk(
      await a.office!.post(`${V1}/minutes`, {
        kind: 'standing_committee',
        meetingDate: today,
        docNumber: '市委常委会会议纪要〔2026〕12号',
        title: '市委常委会听取巡察整改情况汇报的会议纪要',
        content: '会议听取了巡察整改情况汇报，研究部署下步工作。',
        roundId,
        decisions: [
          {
            content: '市财政局牵头完善专项资金管理制度',
            ownerOrgId: org.unitA,
            ownerUserId: user.unita,
            deadline: addDays(today, 30),
          },
          { content: '市人防办限期清理违规收费', ownerOrgId: org.unitB, deadline: addDays(today, 5) },
        ],
      }),
      201,
    );
    expect(minutes.tasks.map((x: any) => [x.seq, x.status, x.ownerOrgName])).toEqual([
      [1, 'open', '市财政局'],
      [2, 'open', '市人防办'],
    ]);
    expect(minutes.tasks[0].ownerUserName).toBe('unita');
    const [taskA, taskB] = minutes.tasks as { id: number }[];

    // Scope: the unit sees its own task only; another's answers 404 exactly as a missing one.
    const mine = expectOk(await a.unita!.get(`${V1}/tasks`)).items;
    expect(mine.map((x: any) => x.id)).toEqual([taskA!.id]);
    expectOk(await a.heada!.get(`${V1}/tasks/${taskA!.id}`));
    const outside = await a.unita!.get(`${V1}/tasks/${taskB!.id}`);
    const missing = await a.unita!.get(`${V1}/tasks/2147483647`);
    expectProblem(outside, 404, 'NOT_FOUND');
    const strip = (b: any) => ({ ...b, requestId: undefined, instance: undefined });
    expect(strip(outside.json())).toEqual(strip(missing.json()));
    expect(expectOk(await a.unita!.get(`${V1}/minutes`)).items).toEqual([]);
    expectProblem(await a.unita!.get(`${V1}/minutes/${minutes.id}`), 404, 'NOT_FOUND');
    expect(expectOk(await a.leader!.get(`${V1}/minutes/${minutes.id}`)).tasks.length).toBe(2);
    // The 督查室 sees every task; the security administrator none (三员分立).
    expect(expectOk(await a.follow!.get(`${V1}/tasks?minutesId=${minutes.id}`)).items.length).toBe(2);
    expectProblem(await a.sec!.get(`${V1}/tasks`), 403, 'FORBIDDEN');

    // Time passes: B's deadline goes by — flagged overdue, and only B's.
    t.clock.advance(10 * DAY);
    const late = expectOk(await a.follow!.get(`${V1}/tasks?overdue=true`)).items;
    expect(late.map((x: any) => x.id)).toEqual([taskB!.id]);
    expect(late[0].overdue).toBe(true);

    // 催办: logged and counted; only the 督查室 urges.
    expectProblem(await a.unita!.post(`${V1}/tasks/${taskB!.id}/urge`, {}), 403, 'FORBIDDEN');
    const urged = expectOk(await a.follow!.post(`${V1}/tasks/${taskB!.id}/urge`, { note: '请于3日内报送办结情况' }));
    expect(urged.urgeCount).toBe(1);
    expect(urged.events.map((e: any) => [e.kind, e.note, e.actorOrgName])).toEqual([
      ['urge', '请于3日内报送办结情况', '市委督查室'],
    ]);
    expect(urged.version).toBe(1); // an urge does not make the owner's copy stale

    // The owner answers; another unit cannot (404); the 督查室 returns it; the owner answers again.
    expectProblem(await a.unita!.post(`${V1}/tasks/${taskB!.id}/report`, { version: 1, text: 'x' }), 404, 'NOT_FOUND');
    expectProblem(
      await a.unitb!.post(`${V1}/tasks/${taskB!.id}/report`, { version: 1, text: '  ' }),
      400,
      'VALIDATION_FAILED',
    );
    const reported = expectOk(
      await a.unitb!.post(`${V1}/tasks/${taskB!.id}/report`, { version: 1, text: '已清理违规收费12项' }),
    );
    expect([reported.status, reported.overdue, reported.reportedByName]).toEqual(['reported', false, 'unitb']);
    expectProblem(await a.follow!.post(`${V1}/tasks/${taskB!.id}/urge`, {}), 409, 'TASK_NOT_URGEABLE');
    expectProblem(
      await a.follow!.post(`${V1}/tasks/${taskB!.id}/return`, { version: 1, note: '退回' }),
      409,
      'CONFLICT_STALE',
    );
    expectProblem(
      await a.follow!.post(`${V1}/tasks/${taskB!.id}/return`, { version: 2, note: '' }),
      400,
      'VALIDATION_FAILED',
    );
    const returned = expectOk(
      await a.follow!.post(`${V1}/tasks/${taskB!.id}/return`, { version: 2, note: '请补充退费凭证' }),
    );
    expect([returned.status, returned.reviewNote, returned.overdue]).toEqual(['returned', '请补充退费凭证', true]);
    const again = expectOk(
      await a.unitb!.post(`${V1}/tasks/${taskB!.id}/report`, { version: 3, text: '已补充退费凭证' }),
    );
    expect(again.status).toBe('reported');
    const closed = expectOk(await a.follow!.post(`${V1}/tasks/${taskB!.id}/accept`, { version: 4 }));
    expect([closed.status, closed.closedOn, closed.overdue]).toEqual(['closed', shanghaiDate(t.clock.now()), false]);
    expect(closed.events.map((e: any) => e.kind)).toEqual(['urge', 'report', 'return', 'report', 'close']);
    expectProblem(
      await a.unitb!.post(`${V1}/tasks/${taskB!.id}/report`, { version: 5, text: 'x' }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(await a.follow!.post(`${V1}/tasks/${taskB!.id}/accept`, { version: 5 }), 409, 'INVALID_TRANSITION');
    // The office records, the 督查室 follows: the office does not close tasks, the 督查室 does not record minutes.
    expectProblem(await a.office!.post(`${V1}/tasks/${taskA!.id}/accept`, { version: 1 }), 403, 'FORBIDDEN');
    expectProblem(await a.follow!.post(`${V1}/minutes`, {}), 403, 'FORBIDDEN');
    expect(expectOk(await a.follow!.get(`${V1}/tasks?status=closed`)).items.map((x: any) => x.id)).toEqual([taskB!.id]);

    const actions = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('entity', '=', 'followup_task')
      .orderBy('seq')
      .execute();
    expect(actions.map((x) => x.action)).toEqual([
      'report.task.urge',
      'report.task.report',
      'report.task.return',
      'report.task.report',
      'report.task.close',
    ]);
  });
});
