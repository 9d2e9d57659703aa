import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import { canTransition } from '../../../../domain/rectification.js';
import {
  canUrge,
  isTaskOverdue,
  lateParagraph,
  nextStepsParagraph,
  outcomeParagraph,
  overviewParagraph,
  percent,
  TASK_TRANSITIONS,
  type TaskStatus,
  unitsParagraph,
} from '../../../../domain/reports.js';
import { can } from '../../../../domain/roles.js';
import { scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import * as docx from '../../platform/docx/gbt9704.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { AftercareService } from '../closure/aftercare.service.js';
import { ClosureService } from '../closure/closure.service.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { SheetService } from '../ledger/sheet.service.js';
import { xmlSafe } from '../ledger-excel/ledger-excel.layout.js';
import { ReportsRepository } from './reports.repository.js';
import type {
  AcceptTask,
  CreateMinutes,
  CreateReportMeeting,
  ReportQuery,
  ReportTask,
  ReturnTask,
  TaskQuery,
  UpdateReportMeeting,
  UrgeTask,
} from './reports.schemas.js';

type TaskRow = NonNullable<Awaited<ReturnType<ReportsRepository['task']>>>;
type MeetingRow = NonNullable<Awaited<ReturnType<ReportsRepository['meeting']>>>;
type MinutesRow = NonNullable<Awaited<ReturnType<ReportsRepository['minutes']>>>;

const LIST_LIMIT = 200; // rows of the overdue and stalled lists in the Word report
const BATCH = 1000;

/** The workbook layouts (header, key, width), shared with the tests that read them back. */
export const PROGRESS_SHEET = '整改进展情况统计表';
export const PROGRESS_COLUMNS = [
  { header: '序号', key: 'seq', width: 6 },
  { header: '被巡察单位', key: 'unitName', width: 28 },
  { header: '问题数', key: 'problems', width: 9 },
  { header: '已整改问题', key: 'rectifiedProblems', width: 11 },
  { header: '整改措施数', key: 'measures', width: 11 },
  { header: '已完成措施', key: 'doneMeasures', width: 11 },
  { header: '整改率(%)', key: 'rectificationRate', width: 10 },
  { header: '超期措施', key: 'overdue', width: 9 },
  { header: '停滞措施', key: 'stalled', width: 9 },
  { header: '建立完善制度', key: 'rulesEstablished', width: 12 },
  { header: '退缴违规资金(元)', key: 'fundsReturned', width: 16 },
  { header: '挽回经济损失(元)', key: 'lossesRecovered', width: 16 },
  { header: '追责问责(人)', key: 'peopleHeldAccountable', width: 12 },
  { header: '立案(件)', key: 'casesFiled', width: 9 },
  { header: '红黄绿灯', key: 'light', width: 9 },
] as const;
export const OPEN_SHEET = '正在整改情况统计表';
export const OPEN_COLUMNS = [
  { header: '序号', key: 'seq', width: 6 },
  { header: '巡察轮次', key: 'roundName', width: 16 },
  { header: '被巡察单位', key: 'unitName', width: 24 },
  { header: '问题编号', key: 'problemNumber', width: 10 },
  { header: '问题', key: 'problemDescription', width: 40 },
  { header: '整改措施', key: 'content', width: 40 },
  { header: '整改状态', key: 'status', width: 10 },
  { header: '责任领导', key: 'responsibleLeader', width: 12 },
  { header: '责任部门', key: 'responsibleDepartment', width: 14 },
  { header: '责任人', key: 'owner', width: 12 },
  { header: '整改时限', key: 'effectiveDeadline', width: 12 },
  { header: '是否超期', key: 'overdue', width: 9 },
] as const;

const STATUS_LABELS: Record<string, string> = {
  not_started: '未启动',
  in_progress: '整改中',
  completed: '已完成',
  closure_requested: '申请销号',
  closed: '已销号',
};
const LIGHT_LABELS: Record<string, string> = { red: '红', yellow: '黄', green: '绿' };

function checkDate(field: string, value: string | undefined) {
  if (value !== undefined && !isValidDate(value))
    throw new AppError(400, 'REPORT_DATE_INVALID', { detail: `${field} ${value}` });
}

function nonBlank(field: string, value: string): string {
  const v = value.trim();
  if (!v) throw invalid(`${field} is required`);
  return v;
}

/**
 * Reports (SPEC M13). The comprehensive report and the statistics tables are written from the
 * ledger's own figures (SheetService: the headline figures, per-unit figures, the overdue sheet;
 * AftercareService: the stalled list) for the caller's scope, never from a second definition. The
 * 三个汇报 records and minutes are the office's; every decision of the minutes is a 限时办结 task
 * the 督查室 follows and the owning organisation answers.
 */
export class ReportsService {
  readonly repo: ReportsRepository;
  private readonly sheet: SheetService;
  private readonly aftercare: AftercareService;

  constructor(private readonly ctx: AppContext) {
    this.repo = new ReportsRepository(ctx.dialect);
    const ledger = new LedgerService(ctx);
    this.sheet = new SheetService(ctx, ledger);
    this.aftercare = new AftercareService(ctx, new ClosureService(ctx, ledger));
    this.ledger = ledger;
  }
  private readonly ledger: LedgerService;

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  // --- the data of a report -----------------------------------------------------------------------

  /** "第五届市委第一轮巡察" or the term, or all terms; 400 when the term or round does not exist. */
  private async scopeLabel(q: Static<typeof ReportQuery>) {
    if (q.roundId) {
      const r = await this.repo.round(this.ctx.db, q.roundId);
      if (!r || (q.termId && Number(r.termId) !== q.termId)) throw new AppError(400, 'REPORT_SCOPE_UNKNOWN');
      return r.name;
    }
    if (q.termId) {
      const t = await this.repo.term(this.ctx.db, q.termId);
      if (!t) throw new AppError(400, 'REPORT_SCOPE_UNKNOWN');
      return t.name;
    }
    return '历轮';
  }

  /** Figures, per-unit rows, and the overdue and stalled lists of the selection, in the caller's scope. */
  async reportData(actor: Actor, q: Static<typeof ReportQuery>) {
    const label = await this.scopeLabel(q);
    const sel = { termId: q.termId, roundId: q.roundId, unitOrgId: q.unitOrgId };
    const figures = await this.sheet.figures(actor, sel);
    let units = (await this.sheet.units(actor, { termId: q.termId, roundId: q.roundId })).items;
    if (q.unitOrgId) units = units.filter((u) => u.unitOrgId === q.unitOrgId);
    const overdue = await this.sheet.page(actor, {
      ...sel,
      overdue: true,
      sort: 'deadline',
      order: 'asc',
      limit: LIST_LIMIT,
    });
    const stalled = await this.aftercare.stalled(actor, { ...sel, limit: LIST_LIMIT });
    return { label, figures, units, overdue, stalled };
  }

  async comprehensiveDocx(actor: Actor, audit: AuditContext, q: Static<typeof ReportQuery>) {
    const d = await this.reportData(actor, q);
    const today = this.today();
    const f = d.figures;
    const stalledTotal = d.units.reduce((s, u) => s + u.stalled, 0);
    const overdueUnits = d.units.filter((u) => u.overdue > 0).length;
    // A round is named "…巡察" already: no "巡察巡察".
    const title = `关于${d.label}${d.label.endsWith('巡察') ? '' : '巡察'}整改进展情况的综合报告`;
    const blocks = [
      docx.title(title),
      docx.addressee('市委巡察工作领导小组'),
      docx.body(
        `根据巡察整改工作安排，现将${d.label}巡察整改进展情况报告如下（数据截至${docx.chineseDate(today)}，由巡察整改监督系统根据整改台账生成）。`,
      ),
      docx.heading1('一、总体情况'),
      docx.body(overviewParagraph(d.label, f)),
      docx.body(outcomeParagraph(f)),
      docx.heading1('二、各单位整改进展'),
      docx.body(unitsParagraph(d.units)),
      docx.table(
        ['序号', '被巡察单位', '问题数', '措施数', '已完成', '整改率', '超期', '停滞'],
        d.units.map((u, i) => [
          String(i + 1),
          u.unitName,
          String(u.problems),
          String(u.measures),
          String(u.doneMeasures),
          percent(u.rectificationRate),
          String(u.overdue),
          String(u.stalled),
        ]),
        [2, 8, 3, 3, 3, 3, 2, 2],
      ),
      docx.heading1('三、超期和停滞情况'),
      docx.body(lateParagraph(f.overdue, stalledTotal, overdueUnits)),
      docx.heading2('（一）超过整改时限尚未完成的措施'),
    ];
    if (d.overdue.items.length) {
      blocks.push(
        docx.table(
          ['序号', '被巡察单位', '整改措施', '整改时限', '责任人'],
          d.overdue.items.map((m, i) => [
            String(i + 1),
            m.unitName,
            m.content,
            m.effectiveDeadline,
            m.ownerName ?? m.responsiblePerson ?? '',
          ]),
          [2, 6, 12, 4, 3],
        ),
      );
      if (d.overdue.total > d.overdue.items.length)
        blocks.push(docx.body(`（以上列出时限最早的${d.overdue.items.length}项，共${d.overdue.total}项。）`));
    } else blocks.push(docx.body('无。'));
    blocks.push(docx.heading2('（二）长期无进展的措施'));
    if (d.stalled.items.length) {
      blocks.push(
        docx.body(`以下措施已连续${d.stalled.stalledDays}日以上无整改进展：`),
        docx.table(
          ['序号', '被巡察单位', '整改措施', '整改时限', '无进展天数'],
          d.stalled.items.map((m, i) => [
            String(i + 1),
            m.unitName,
            m.content,
            m.effectiveDeadline,
            String(m.daysWithoutProgress),
          ]),
          [2, 6, 12, 4, 3],
        ),
      );
    } else blocks.push(docx.body('无。'));
    blocks.push(
      docx.heading1('四、对账销号情况'),
      docx.body(
        `已完成的${f.doneMeasures}项整改措施中，${f.closedMeasures}项已对账销号，销号率${percent(f.closureRate)}；` +
          `尚有${f.doneMeasures - f.closedMeasures}项待对账销号。`,
      ),
      docx.heading1('五、下步工作'),
      docx.body(nextStepsParagraph(f)),
      docx.blank(),
      docx.signature('市委巡察办', today),
    );
    const bytes = await docx.buildDocx(
      docx.documentXml(blocks, { pageNumbers: true, footer: 1304 }),
      new Date(this.ctx.clock.now()),
      true,
    );
    await this.ctx.audit.recordAlone(audit, {
      action: 'report.comprehensive.download',
      entity: 'report',
      after: { query: q, measures: f.measures, doneMeasures: f.doneMeasures, size: bytes.length },
    });
    return { bytes, name: `${title}.docx`, ascii: `comprehensive-report-${today}.docx`, title };
  }

  // --- Excel ----------------------------------------------------------------------------------------

  private workbook(out: Writable) {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Rectify';
    wb.created = new Date(this.ctx.clock.now());
    return wb;
  }

  private sheet1(
    wb: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    columns: readonly { header: string; key: string; width: number }[],
  ) {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    head.commit();
    return ws;
  }

  /** 整改进展情况统计表: the ledger's per-unit figures, one row per unit, and the total (the headline figures). */
  async progressStatistics(actor: Actor, q: Static<typeof ReportQuery>) {
    const label = await this.scopeLabel(q);
    const sel = { termId: q.termId, roundId: q.roundId, unitOrgId: q.unitOrgId };
    const figures = await this.sheet.figures(actor, sel);
    let units = (await this.sheet.units(actor, { termId: q.termId, roundId: q.roundId })).items;
    if (q.unitOrgId) units = units.filter((u) => u.unitOrgId === q.unitOrgId);
    return { label, figures, units };
  }

  async writeProgressStatistics(data: Awaited<ReturnType<ReportsService['progressStatistics']>>, out: Writable) {
    const wb = this.workbook(out);
    const ws = this.sheet1(wb, PROGRESS_SHEET, PROGRESS_COLUMNS);
    data.units.forEach((u, i) => {
      ws.addRow({
        ...u,
        seq: i + 1,
        unitName: xmlSafe(u.unitName),
        rectificationRate: u.rectificationRate,
        light: LIGHT_LABELS[u.light],
      }).commit();
    });
    const f = data.figures;
    const stalled = data.units.reduce((s, u) => s + u.stalled, 0);
    const total = ws.addRow({
      seq: '',
      unitName: '合计',
      problems: f.problems,
      rectifiedProblems: f.rectifiedProblems,
      measures: f.measures,
      doneMeasures: f.doneMeasures,
      rectificationRate: f.rectificationRate,
      overdue: f.overdue,
      stalled,
      rulesEstablished: f.rulesEstablished,
      fundsReturned: f.fundsReturned,
      lossesRecovered: f.lossesRecovered,
      peopleHeldAccountable: f.peopleHeldAccountable,
      casesFiled: f.casesFiled,
      light: '',
    });
    total.font = { bold: true };
    total.commit();
    ws.commit();
    await wb.commit();
  }

  /** 正在整改情况统计表: every measure not yet done in scope, with its owners and deadline, in batches. */
  async writeOpenMeasures(actor: Actor, q: Static<typeof ReportQuery>, out: Writable) {
    const scope = await this.ledger.readScope(actor);
    const today = this.today();
    const wb = this.workbook(out);
    const ws = this.sheet1(wb, OPEN_SHEET, OPEN_COLUMNS);
    let after = 0;
    let n = 0;
    for (;;) {
      if (out.destroyed) return n;
      const rows = await this.repo.openMeasures(this.ctx.db, { ...q, scope }, after, BATCH);
      if (!rows.length) break;
      for (const r of rows) {
        ws.addRow({
          seq: ++n,
          roundName: xmlSafe(r.roundName),
          unitName: xmlSafe(r.unitName),
          problemNumber: xmlSafe(r.problemNumber),
          problemDescription: xmlSafe(r.problemDescription),
          content: xmlSafe(r.content),
          status: STATUS_LABELS[r.status] ?? r.status,
          responsibleLeader: xmlSafe(r.responsibleLeader ?? ''),
          responsibleDepartment: xmlSafe(r.responsibleDepartment ?? ''),
          owner: xmlSafe(r.ownerDisplayName ?? r.ownerName ?? ''),
          effectiveDeadline: r.effectiveDeadline,
          // The ledger's rule (measureLight): open and past the effective deadline.
          overdue: r.effectiveDeadline < today ? '是' : '否',
        }).commit();
      }
      after = Number(rows[rows.length - 1]!.id);
      if (rows.length < BATCH) break;
    }
    ws.commit();
    await wb.commit();
    return n;
  }

  async checkReportQuery(q: Static<typeof ReportQuery>) {
    return this.scopeLabel(q);
  }

  // --- who sees the office's records and which tasks --------------------------------------------------

  /** The office, the leadership and the 督查室 read the 三个汇报 records and minutes; units do not. */
  private seesRecords(actor: Actor): boolean {
    return actor.role === 'office' || actor.role === 'leader' || can(actor.role, 'task.follow');
  }

  /** The tasks' owners a caller sees: every one (office, leadership, 督查室) or those in its own scope. */
  private async taskOrgs(db: Executor, actor: Actor): Promise<ReadonlySet<number> | undefined> {
    if (this.seesRecords(actor)) return undefined;
    const s = await scopeOf(db as never, actor);
    return s.all ? undefined : s.orgIds;
  }

  // --- 三个汇报 ---------------------------------------------------------------------------------------

  private toMeeting(r: MeetingRow) {
    return {
      id: Number(r.id),
      kind: r.kind,
      meetingDate: r.meetingDate,
      termId: r.termId === null ? null : Number(r.termId),
      roundId: r.roundId === null ? null : Number(r.roundId),
      roundName: r.roundName ?? null,
      termName: r.termName ?? null,
      title: r.title,
      summary: r.summary,
      reportKind: r.reportKind,
      figures: r.figures ? (JSON.parse(r.figures) as Record<string, unknown>) : null,
      createdBy: Number(r.createdBy),
      createdByName: r.createdByName ?? null,
      version: Number(r.version),
      createdAt: Number(r.createdAt),
      updatedAt: Number(r.updatedAt),
    };
  }

  async meetings(actor: Actor, kind?: string) {
    if (!this.seesRecords(actor)) return { items: [] };
    return { items: (await this.repo.meetingList(this.ctx.db, kind)).map((r) => this.toMeeting(r)) };
  }

  async createMeeting(actor: Actor, audit: AuditContext, input: Static<typeof CreateReportMeeting>) {
    checkDate('meetingDate', input.meetingDate);
    const title = nonBlank('title', input.title);
    const summary = nonBlank('summary', input.summary);
    const q = { termId: input.termId, roundId: input.roundId };
    await this.scopeLabel(q);
    let termId = input.termId ?? null;
    if (input.roundId && !termId) termId = Number((await this.repo.round(this.ctx.db, input.roundId))!.termId);
    // The headline figures as reported at the meeting, read before the transaction (own connections).
    const figures = input.reportKind ? await this.sheet.figures(actor, q) : null;
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const id = await this.repo.insertMeeting(trx, {
        kind: input.kind,
        meetingDate: input.meetingDate,
        termId,
        roundId: input.roundId ?? null,
        title,
        summary,
        reportKind: input.reportKind ?? null,
        figures: figures ? JSON.stringify(figures) : null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = this.toMeeting((await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'report.meeting.create',
        entity: 'report_meeting',
        entityId: id,
        after,
      });
      return after;
    });
  }

  async updateMeeting(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateReportMeeting>) {
    checkDate('meetingDate', input.meetingDate);
    const patch: Record<string, unknown> = { updatedAt: this.ctx.clock.now() };
    if (input.meetingDate !== undefined) patch.meetingDate = input.meetingDate;
    if (input.title !== undefined) patch.title = nonBlank('title', input.title);
    if (input.summary !== undefined) patch.summary = nonBlank('summary', input.summary);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.meeting(trx, id);
      if (!before || !this.seesRecords(actor)) throw notFound();
      if (Number(before.version) !== input.version) throw stale(this.toMeeting(before));
      if (!(await this.repo.updateMeeting(trx, id, input.version, patch)))
        throw stale(this.toMeeting((await this.repo.meeting(trx, id))!));
      const after = this.toMeeting((await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'report.meeting.update',
        entity: 'report_meeting',
        entityId: id,
        before: this.toMeeting(before),
        after,
      });
      return after;
    });
  }

  // --- minutes ----------------------------------------------------------------------------------------

  private toTask(r: TaskRow, today: string) {
    return {
      id: Number(r.id),
      minutesId: Number(r.minutesId),
      minutesTitle: r.minutesTitle,
      minutesKind: r.minutesKind,
      meetingDate: r.meetingDate,
      seq: Number(r.seq),
      content: r.content,
      ownerOrgId: Number(r.ownerOrgId),
      ownerOrgName: r.ownerOrgName,
      ownerUserId: r.ownerUserId === null ? null : Number(r.ownerUserId),
      ownerUserName: r.ownerUserName ?? null,
      deadline: r.deadline,
      status: r.status as TaskStatus,
      overdue: isTaskOverdue(r.status, r.deadline, today),
      reportText: r.reportText,
      reportedAt: r.reportedAt === null ? null : Number(r.reportedAt),
      reportedByName: r.reportedByName ?? null,
      reviewNote: r.reviewNote,
      reviewedAt: r.reviewedAt === null ? null : Number(r.reviewedAt),
      closedOn: r.closedOn,
      urgeCount: Number(r.urgeCount),
      lastUrgedAt: r.lastUrgedAt === null ? null : Number(r.lastUrgedAt),
      version: Number(r.version),
      createdAt: Number(r.createdAt),
      updatedAt: Number(r.updatedAt),
    };
  }

  private async minutesView(db: Executor, m: MinutesRow) {
    const today = this.today();
    return {
      id: Number(m.id),
      kind: m.kind,
      meetingDate: m.meetingDate,
      docNumber: m.docNumber,
      title: m.title,
      content: m.content,
      roundId: m.roundId === null ? null : Number(m.roundId),
      reportMeetingId: m.reportMeetingId === null ? null : Number(m.reportMeetingId),
      createdBy: Number(m.createdBy),
      createdByName: m.createdByName ?? null,
      version: Number(m.version),
      createdAt: Number(m.createdAt),
      updatedAt: Number(m.updatedAt),
      tasks: (await this.repo.tasksOfMinutes(db, [Number(m.id)])).map((t) => this.toTask(t, today)),
    };
  }

  async minutesList(actor: Actor) {
    if (!this.seesRecords(actor)) return { items: [] };
    const rows = await this.repo.minutesList(this.ctx.db);
    const today = this.today();
    const tasks = await this.repo.tasksOfMinutes(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    return {
      items: rows.map((m) => ({
        id: Number(m.id),
        kind: m.kind,
        meetingDate: m.meetingDate,
        docNumber: m.docNumber,
        title: m.title,
        content: m.content,
        roundId: m.roundId === null ? null : Number(m.roundId),
        reportMeetingId: m.reportMeetingId === null ? null : Number(m.reportMeetingId),
        createdBy: Number(m.createdBy),
        createdByName: m.createdByName ?? null,
        version: Number(m.version),
        createdAt: Number(m.createdAt),
        updatedAt: Number(m.updatedAt),
        tasks: tasks.filter((t) => Number(t.minutesId) === Number(m.id)).map((t) => this.toTask(t, today)),
      })),
    };
  }

  async getMinutes(actor: Actor, id: number) {
    const m = await this.repo.minutes(this.ctx.db, id);
    if (!m || !this.seesRecords(actor)) throw notFound();
    return this.minutesView(this.ctx.db, m);
  }

  /** Records the minutes and turns each decision into a 限时办结 task, in one transaction. */
  async createMinutes(actor: Actor, audit: AuditContext, input: Static<typeof CreateMinutes>) {
    checkDate('meetingDate', input.meetingDate);
    const title = nonBlank('title', input.title);
    const content = nonBlank('content', input.content);
    const decisions = input.decisions.map((d, i) => {
      checkDate(`decisions.${i}.deadline`, d.deadline);
      return { ...d, content: nonBlank(`decisions.${i}.content`, d.content) };
    });
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (input.roundId && !(await this.repo.round(trx, input.roundId)))
        throw new AppError(400, 'REPORT_SCOPE_UNKNOWN');
      if (input.reportMeetingId && !(await this.repo.reportMeetingExists(trx, input.reportMeetingId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'reportMeetingId' });
      for (const d of decisions) {
        const org = await this.repo.organisation(trx, d.ownerOrgId);
        if (!org || Number(org.active) !== 1) throw new AppError(400, 'TASK_OWNER_UNKNOWN');
        if (d.ownerUserId) {
          const u = await this.repo.user(trx, d.ownerUserId);
          if (!u || Number(u.orgId) !== d.ownerOrgId) throw new AppError(400, 'TASK_OWNER_UNKNOWN');
        }
      }
      const id = await this.repo.insertMinutes(trx, {
        kind: input.kind,
        meetingDate: input.meetingDate,
        docNumber: input.docNumber?.trim() || null,
        title,
        content,
        roundId: input.roundId ?? null,
        reportMeetingId: input.reportMeetingId ?? null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      let seq = 0;
      for (const d of decisions) {
        await this.repo.insertTask(trx, {
          minutesId: id,
          seq: ++seq,
          content: d.content,
          ownerOrgId: d.ownerOrgId,
          ownerUserId: d.ownerUserId ?? null,
          deadline: d.deadline,
          status: 'open',
          reportText: null,
          reportedBy: null,
          reportedAt: null,
          reviewNote: null,
          reviewedBy: null,
          reviewedAt: null,
          closedOn: null,
          urgeCount: 0,
          lastUrgedAt: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
      }
      const after = await this.minutesView(trx, (await this.repo.minutes(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'report.minutes.create',
        entity: 'meeting_minutes',
        entityId: id,
        after,
      });
      return after;
    });
  }

  // --- tasks ------------------------------------------------------------------------------------------

  async taskPage(actor: Actor, q: Static<typeof TaskQuery>) {
    const orgIds = await this.taskOrgs(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const today = this.today();
    const rows = await this.repo.taskPage(this.ctx.db, {
      orgIds,
      status: q.status,
      overdue: q.overdue,
      ownerOrgId: q.ownerOrgId,
      minutesId: q.minutesId,
      today,
      before: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => this.toTask(r, today)),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  private async taskView(db: Executor, id: number) {
    const row = await this.repo.task(db, id);
    if (!row) throw notFound();
    const events = await this.repo.events(db, id);
    return {
      ...this.toTask(row, this.today()),
      events: events.map((e) => ({
        id: Number(e.id),
        kind: e.kind,
        note: e.note,
        actorId: Number(e.actorId),
        actorName: e.actorName ?? null,
        actorOrgName: e.actorOrgName ?? null,
        createdAt: Number(e.createdAt),
      })),
    };
  }

  /** The task if the caller may see it; 404 otherwise, exactly as a missing one. */
  private async visibleTask(db: Executor, actor: Actor, id: number) {
    const row = await this.repo.task(db, id);
    const orgIds = await this.taskOrgs(db, actor);
    if (!row || (orgIds && !orgIds.has(Number(row.ownerOrgId)))) throw notFound();
    return row;
  }

  async getTask(actor: Actor, id: number) {
    await this.visibleTask(this.ctx.db, actor, id);
    return this.taskView(this.ctx.db, id);
  }

  private transition(from: string, to: TaskStatus) {
    if (!canTransition(TASK_TRANSITIONS, from as TaskStatus, to))
      throw new AppError(409, 'INVALID_TRANSITION', { from, to });
  }

  /** 催办: the 督查室 urges the owner of a task still waiting on it; logged, counted, no version bump. */
  async urge(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UrgeTask>) {
    const note = input.note?.trim() || null;
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.visibleTask(trx, actor, id);
      await this.repo.lockTask(trx, id);
      const task = (await this.repo.task(trx, id))!;
      if (!canUrge(task.status)) throw new AppError(409, 'TASK_NOT_URGEABLE');
      await this.repo.updateTask(trx, id, null, { urgeCount: Number(task.urgeCount) + 1, lastUrgedAt: now });
      await this.repo.insertEvent(trx, {
        taskId: id,
        kind: 'urge',
        note,
        actorId: actor.userId,
        actorOrgId: actor.orgId,
        createdAt: now,
      });
      const after = await this.taskView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'report.task.urge',
        entity: 'followup_task',
        entityId: id,
        after: { status: after.status, urgeCount: after.urgeCount, overdue: after.overdue, note },
      });
      return after;
    });
  }

  /** The owning organisation reports the task done (办结情况), answering open or returned tasks. */
  async report(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReportTask>) {
    const text = nonBlank('text', input.text);
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.task(trx, id);
      if (!first || (!scope.all && !scope.orgIds.has(Number(first.ownerOrgId)))) throw notFound();
      await this.repo.lockTask(trx, id);
      const task = (await this.repo.task(trx, id))!;
      if (Number(task.version) !== input.version) throw stale(this.toTask(task, this.today()));
      this.transition(task.status, 'reported');
      if (
        !(await this.repo.updateTask(trx, id, input.version, {
          status: 'reported',
          reportText: text,
          reportedBy: actor.userId,
          reportedAt: now,
          updatedAt: now,
        }))
      )
        throw stale(this.toTask((await this.repo.task(trx, id))!, this.today()));
      await this.repo.insertEvent(trx, {
        taskId: id,
        kind: 'report',
        note: text,
        actorId: actor.userId,
        actorOrgId: actor.orgId,
        createdAt: now,
      });
      const after = await this.taskView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'report.task.report',
        entity: 'followup_task',
        entityId: id,
        before: { status: task.status, version: Number(task.version) },
        after: { status: after.status, version: after.version, reportText: text },
      });
      return after;
    });
  }

  /** The 督查室 accepts the report (办结, the task closes) or returns it with the reason. */
  async review(
    actor: Actor,
    audit: AuditContext,
    id: number,
    decision: 'closed' | 'returned',
    input: Static<typeof AcceptTask> | Static<typeof ReturnTask>,
  ) {
    const note = input.note?.trim() || null;
    if (decision === 'returned' && !note) throw invalid('note is required to return a report');
    const now = this.ctx.clock.now();
    const today = this.today();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.visibleTask(trx, actor, id);
      await this.repo.lockTask(trx, id);
      const task = (await this.repo.task(trx, id))!;
      if (Number(task.version) !== input.version) throw stale(this.toTask(task, today));
      this.transition(task.status, decision);
      if (
        !(await this.repo.updateTask(trx, id, input.version, {
          status: decision,
          reviewNote: note,
          reviewedBy: actor.userId,
          reviewedAt: now,
          closedOn: decision === 'closed' ? today : null,
          updatedAt: now,
        }))
      )
        throw stale(this.toTask((await this.repo.task(trx, id))!, today));
      await this.repo.insertEvent(trx, {
        taskId: id,
        kind: decision === 'closed' ? 'close' : 'return',
        note,
        actorId: actor.userId,
        actorOrgId: actor.orgId,
        createdAt: now,
      });
      const after = await this.taskView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: decision === 'closed' ? 'report.task.close' : 'report.task.return',
        entity: 'followup_task',
        entityId: id,
        before: { status: task.status, version: Number(task.version) },
        after: { status: after.status, version: after.version, note },
      });
      return after;
    });
  }
}
