import { addDays, shanghaiDate } from '../../../../domain/calendar.js';
import {
  type ChainRecipient,
  type ChainStep,
  daysUntil,
  dueSteps,
  idemKey,
  looksLikeRoutineWork,
  stepKind,
  weekStart,
} from '../../../../domain/notices.js';
import type { AppContext } from '../../platform/context.js';
import { WARNING_DEFAULTS } from '../settings/definitions/warnings.js';
import { NoticesRepository } from './notices.repository.js';
import { type NoticeInput, notify } from './notify.js';

const DAY = 86_400_000;

export interface WarningConfig {
  steps: ChainStep[];
  digestWeekday: number;
  dailyAt: string;
  onBooksDays: number;
  routinePhrases: string[];
  stalledDays: number;
}

interface MeasureLike {
  id: number | bigint;
  problemId: number | bigint;
  unitOrgId: number | bigint;
  categoryCode: string;
  ownerUserId: number | bigint | null;
}

const follows = (categories: string | null, code: string) =>
  categories === null ||
  categories.trim() === '' ||
  categories
    .split(',')
    .map((c) => c.trim())
    .includes(code);

/**
 * 催着改: the daily warning run (chain steps, stalled measures, missed 民主生活会) and the weekly run
 * (digests per supervisor and per leader, the seed's warning signs per unit). Everything it sends goes
 * through notify() with a key per (rule, record, step, recipient), so a rerun adds nothing.
 */
export class WarningsService {
  private readonly repo = new NoticesRepository();
  constructor(private readonly ctx: AppContext) {}

  async config(): Promise<WarningConfig> {
    const w = await this.ctx.settings.get('system.warnings');
    const r = await this.ctx.settings.get('system.rectification');
    return {
      steps: [...w.steps],
      digestWeekday: w.digestWeekday,
      dailyAt: w.dailyAt ?? WARNING_DEFAULTS.dailyAt,
      onBooksDays: w.onBooksDays ?? WARNING_DEFAULTS.onBooksDays,
      routinePhrases: [...(w.routinePhrases ?? WARNING_DEFAULTS.routinePhrases)],
      stalledDays: r.stalledDays,
    };
  }

  /** Who each chain recipient is, for a set of measures (read once per run, not per measure). */
  private async recipients(measures: readonly MeasureLike[]) {
    const db = this.ctx.db;
    const unitIds = measures.map((m) => Number(m.unitOrgId));
    const unitUsers = await this.repo.usersIn(db, unitIds, ['unit', 'unit_head']);
    const owners = await this.repo.activeUserIds(
      db,
      measures.flatMap((m) => (m.ownerUserId === null ? [] : [Number(m.ownerUserId)])),
    );
    const leaders = await this.repo.problemLeaders(
      db,
      measures.map((m) => Number(m.problemId)),
    );
    const supervisors = await this.repo.liaisonSupervisors(db, unitIds);
    const byRole = (org: number, role: string) =>
      unitUsers.filter((u) => u.orgId === org && u.role === role).map((u) => u.id);

    return (m: MeasureLike, who: ChainRecipient | 'unit_all'): number[] => {
      const org = Number(m.unitOrgId);
      switch (who) {
        case 'owner': {
          // 责任人: the measure's owner account; without one, the unit's liaison (联络员) passes it on.
          const owner = m.ownerUserId === null ? null : Number(m.ownerUserId);
          return owner !== null && owners.has(owner) ? [owner] : byRole(org, 'unit');
        }
        case 'leader_in_charge': {
          // 分管领导: the problem's responsible leaders with an account; without one, the unit head.
          const ls = leaders.filter((l) => l.problemId === Number(m.problemId)).map((l) => l.userId);
          return ls.length ? [...new Set(ls)] : byRole(org, 'unit_head');
        }
        case 'principal':
          return byRole(org, 'unit_head'); // 主要负责人
        case 'supervisors':
          return [
            ...new Set(
              supervisors
                .filter((s) => s.unitOrgId === org && follows(s.categories, m.categoryCode))
                .map((s) => s.userId),
            ),
          ];
        case 'unit_all':
          return byRole(org, 'unit');
      }
    };
  }

  /** Writes the notices, one short transaction per record (all or none of a record's notices). */
  private async send(notices: NoticeInput[], now: number): Promise<number> {
    let created = 0;
    const byRecord = new Map<string, NoticeInput[]>();
    for (const n of notices) {
      const k = `${n.entity}:${n.entityId}`;
      byRecord.set(k, [...(byRecord.get(k) ?? []), n]);
    }
    for (const group of byRecord.values()) {
      await this.ctx.db.transaction().execute(async (trx) => {
        for (const n of group) if ((await notify(trx, now, n)) !== null) created++;
      });
    }
    return created;
  }

  /** The daily run: chain steps, stalled measures, missed 整改专题民主生活会. */
  async runDaily(now: number, cfg?: WarningConfig) {
    const c = cfg ?? (await this.config());
    const db = this.ctx.db;
    const today = shanghaiDate(now);
    const notices: NoticeInput[] = [];

    // Chain steps. A step is due once the days left fall to its threshold; its key carries the
    // deadline, so an approved extension (a new effective deadline) starts the chain again.
    const horizon = c.steps.length ? Math.max(...c.steps.map((s) => s.daysBefore)) : null;
    const due = horizon === null ? [] : await this.repo.openMeasuresDueBy(db, addDays(today, horizon));
    const whoDue = await this.recipients(due);
    for (const m of due) {
      const left = daysUntil(today, m.effectiveDeadline);
      for (const step of dueSteps(c.steps, left)) {
        const kind = stepKind(step);
        const title =
          kind === 'overdue'
            ? `整改逾期预警：${m.unitName} 问题${m.problemNumber} 第${m.seq}项措施已逾期${Math.max(0, -left)}天`
            : `整改期限提醒：${m.unitName} 问题${m.problemNumber} 第${m.seq}项措施${left === 0 ? '今天到期' : `还有${left}天到期`}`;
        for (const userId of whoDue(m, step.recipient)) {
          notices.push({
            userId,
            kind,
            severity: step.daysBefore > 10 ? 'info' : step.daysBefore > 0 ? 'warning' : 'danger',
            title,
            body: `${m.content}\n整改期限：${m.effectiveDeadline}`,
            link: '/ledger',
            unitOrgId: Number(m.unitOrgId),
            entity: 'measure',
            entityId: Number(m.id),
            idemKey: idemKey(
              'chain',
              `measure:${m.id}@${m.effectiveDeadline}`,
              `d${step.daysBefore}:${step.recipient}`,
              userId,
            ),
          });
        }
      }
    }

    // Stalled (停滞): open measures without progress for stalledDays; once per stall (a new report re-arms it).
    const stalled = await this.repo.stalledMeasures(db, now - c.stalledDays * DAY);
    const whoStalled = await this.recipients(stalled);
    for (const m of stalled) {
      const since = shanghaiDate(Number(m.lastProgressAt ?? m.createdAt));
      for (const role of ['owner', 'supervisors'] as const) {
        for (const userId of whoStalled(m, role)) {
          notices.push({
            userId,
            kind: 'stalled',
            severity: 'warning',
            title: `整改停滞提示：${m.unitName} 问题${m.problemNumber} 第${m.seq}项措施自${since}起无进展`,
            body: `${m.content}\n已超过${c.stalledDays}天没有报送进展；整改期限：${m.effectiveDeadline}`,
            link: '/ledger',
            unitOrgId: Number(m.unitOrgId),
            entity: 'measure',
            entityId: Number(m.id),
            idemKey: idemKey('stalled', `measure:${m.id}@${m.lastProgressAt ?? 'none'}`, role, userId),
          });
        }
      }
    }

    // 整改专题民主生活会 still not held after the due date: the unit head and the liaison supervisors.
    const meetings = await this.repo.missedMeetings(db, today);
    const heads = await this.repo.usersIn(
      db,
      meetings.map((m) => Number(m.unitOrgId)),
      ['unit_head'],
    );
    const sups = await this.repo.liaisonSupervisors(
      db,
      meetings.map((m) => Number(m.unitOrgId)),
    );
    for (const m of meetings) {
      const org = Number(m.unitOrgId);
      const users = [
        ...heads.filter((h) => h.orgId === org).map((h) => ['principal', h.id] as const),
        ...[...new Set(sups.filter((s) => s.unitOrgId === org).map((s) => s.userId))].map(
          (id) => ['supervisors', id] as const,
        ),
      ];
      for (const [role, userId] of users) {
        notices.push({
          userId,
          kind: 'meeting_missed',
          severity: 'danger',
          title: `民主生活会逾期未召开：${m.unitName}（应于${m.dueDate}前召开）`,
          body: `${m.unitName}第${m.cycle}轮整改专题民主生活会计划于${m.plannedDate}召开，已超过规定时限${m.dueDate}仍未召开。`,
          link: '/meetings',
          unitOrgId: org,
          entity: 'democratic_meeting',
          entityId: Number(m.id),
          idemKey: idemKey('meeting', `dm:${m.id}@${m.dueDate}`, `missed:${role}`, userId),
        });
      }
    }

    const created = await this.send(notices, now);
    return { today, chainMeasures: due.length, stalled: stalled.length, missedMeetings: meetings.length, created };
  }

  /** The seed's warning signs per unit (SPEC M18), units with none left out. */
  async signs(now: number, cfg?: WarningConfig) {
    const c = cfg ?? (await this.config());
    const today = shanghaiDate(now);
    const figures = await this.repo.signFigures(
      this.ctx.db,
      today,
      addDays(today, -c.onBooksDays),
      now - c.stalledDays * DAY,
    );
    const routine = new Map<number, Set<number>>();
    for (const n of await this.repo.recentNarratives(this.ctx.db, now - 7 * DAY)) {
      if (!looksLikeRoutineWork(n.narrative, c.routinePhrases)) continue;
      const org = Number(n.unitOrgId);
      routine.set(org, (routine.get(org) ?? new Set()).add(Number(n.measureId)));
    }
    const names = await this.repo.orgNames(this.ctx.db, [...routine.keys()]);
    const units = new Map(figures.map((f) => [f.unitOrgId, { ...f, routineWork: 0 }]));
    for (const [org, ms] of routine) {
      const u = units.get(org) ?? {
        unitOrgId: org,
        unitName: names.get(org) ?? '',
        overdue: 0,
        onBooks: 0,
        planOnly: 0,
      };
      units.set(org, { ...u, routineWork: ms.size });
    }
    return [...units.values()]
      .filter((u) => u.overdue + u.onBooks + u.planOnly + u.routineWork > 0)
      .sort((a, b) => b.overdue - a.overdue || b.onBooks - a.onBooks || a.unitOrgId - b.unitOrgId);
  }

  /** The weekly run: a digest per supervisor and per leader, and the warning signs per unit. */
  async runWeekly(now: number, periodKey: string, cfg?: WarningConfig) {
    const c = cfg ?? (await this.config());
    const db = this.ctx.db;
    const today = shanghaiDate(now);
    const since = weekStart(today);
    const figures = await this.repo.digestFigures(db, now - 7 * DAY, since, today, now - c.stalledDays * DAY);
    const notices: NoticeInput[] = [];

    const digest = (userId: number, rows: typeof figures, who: string) => {
      const perUnit = new Map<number, { name: string; moved: number; late: number; stalled: number }>();
      for (const r of rows) {
        const u = perUnit.get(r.unitOrgId) ?? { name: r.unitName, moved: 0, late: 0, stalled: 0 };
        u.moved += r.moved;
        u.late += r.late;
        u.stalled += r.stalled;
        perUnit.set(r.unitOrgId, u);
      }
      const units = [...perUnit.values()];
      const sum = (k: 'moved' | 'late' | 'stalled') => units.reduce((a, u) => a + u[k], 0);
      const top = (k: 'moved' | 'late' | 'stalled') =>
        units
          .filter((u) => u[k] > 0)
          .sort((a, b) => b[k] - a[k])
          .slice(0, 10)
          .map((u) => `${u.name} ${u[k]}项`)
          .join('；') || '无';
      notices.push({
        userId,
        kind: 'digest',
        severity: sum('late') > 0 ? 'warning' : 'info',
        title: `整改周报（${since}至${today}）：推进${sum('moved')}项，逾期${sum('late')}项，停滞${sum('stalled')}项`,
        body: [
          `联系单位 ${units.length} 个。`,
          `本周有进展：${sum('moved')}项（${top('moved')}）`,
          `逾期未完成：${sum('late')}项（${top('late')}）`,
          `停滞无进展：${sum('stalled')}项（${top('stalled')}）`,
        ].join('\n'),
        link: '/board',
        entity: 'digest',
        entityId: periodKey,
        idemKey: idemKey('digest', periodKey, who, userId),
      });
    };

    // Per supervisor: its liaison units, within the categories the link follows (by line).
    const links = await this.repo.allLiaisons(db);
    const bySupervisor = new Map<number, typeof links>();
    for (const l of links) bySupervisor.set(l.userId, [...(bySupervisor.get(l.userId) ?? []), l]);
    for (const [userId, ls] of bySupervisor) {
      const rows = figures.filter((f) =>
        ls.some((l) => l.unitOrgId === f.unitOrgId && follows(l.categories, f.categoryCode)),
      );
      digest(userId, rows, 'supervisor');
    }
    // Per leader (领导小组): every unit.
    for (const u of await this.repo.usersWithRole(db, ['leader'])) digest(u.id, figures, 'leader');

    // Warning signs per unit: to its liaison supervisors and the inspection office, for review.
    const signs = await this.signs(now, c);
    const sups = await this.repo.liaisonSupervisors(
      db,
      signs.map((s) => s.unitOrgId),
    );
    const office = await this.repo.usersWithRole(db, ['office']);
    for (const s of signs) {
      const to = new Set([
        ...sups.filter((x) => x.unitOrgId === s.unitOrgId).map((x) => x.userId),
        ...office.map((o) => o.id),
      ]);
      const lines = [
        s.overdue ? `整改超规定时限：${s.overdue}项` : null,
        s.onBooks ? `挂账整改（逾期超过${c.onBooksDays}天）：${s.onBooks}项` : null,
        s.planOnly ? `以整改计划代替落实（超过${c.stalledDays}天无佐证材料）：${s.planOnly}项` : null,
        s.routineWork ? `疑似日常工作代替整改（请核查）：${s.routineWork}项` : null,
      ].filter(Boolean);
      for (const userId of to) {
        notices.push({
          userId,
          kind: 'warning_signs',
          severity: s.onBooks || s.overdue ? 'danger' : 'warning',
          title: `整改预警信号：${s.unitName}`,
          body: lines.join('\n'),
          link: '/board',
          unitOrgId: s.unitOrgId,
          entity: 'unit_signs',
          entityId: `${s.unitOrgId}@${periodKey}`,
          idemKey: idemKey('signs', `unit:${s.unitOrgId}@${periodKey}`, 'review', userId),
        });
      }
    }

    const created = await this.send(notices, now);
    return { since, today, digests: bySupervisor.size, signs: signs.length, created };
  }
}
