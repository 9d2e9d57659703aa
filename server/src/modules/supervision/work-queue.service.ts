import type { Static } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import { isStalled } from '../../../../domain/progress.js';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import {
  actionOverdue,
  daysUntil,
  dispatchItemOverdue,
  routeProblem,
  taskOverdue,
  urgencyKey,
  type WorkQueueKind,
} from '../../../../domain/supervision.js';
import { scopeOf } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { WorkQueueQuery } from './supervision.schemas.js';
import { TasksRepository } from './tasks.repository.js';

export interface WorkQueueEntry {
  key: string;
  kind: WorkQueueKind;
  id: number;
  title: string;
  detail: string | null;
  unitOrgId: number | null;
  unitName: string | null;
  status: string;
  deadline: string | null;
  daysLeft: number | null;
  overdue: boolean;
  stalled: boolean;
  move: 'act' | 'watch';
  problemId: number | null;
  orderId: number | null;
  meetingId: number | null;
}

/**
 * A caller's work queue (SPEC M8, M18): what needs its organisation's attention, most urgent first
 * (overdue, then the nearest deadline, then stalled), paged by the urgency key (keyset).
 * - A supervisor: the open problems and measures routed to it by line — the problem category's line
 *   (dictionary extra.line) picks, among the supervisors liaising with the unit that may see the
 *   category there, those of that line (routeProblem).
 * - Whoever issued an action, a 派单 or convened a 沟通会: responses and reports waiting for its review
 *   (its move) and those still owed by the other side (watch).
 * - The owner of a 沟通会 task, and a unit addressed by an action or a 派单: what it still owes (its move).
 */
export class WorkQueueService {
  private readonly repo: TasksRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new TasksRepository(ctx.dialect);
  }

  async entries(actor: Actor): Promise<WorkQueueEntry[]> {
    const db = this.ctx.db;
    const now = this.ctx.clock.now();
    const today = shanghaiDate(now);
    const out: Omit<WorkQueueEntry, 'key' | 'daysLeft'>[] = [];
    const base = { problemId: null, orderId: null, meetingId: null, stalled: false };

    if (actor.role === 'supervisor') {
      const { stalledDays } = await this.ctx.settings.get('system.rectification');
      const links = await this.repo.linksAround(db, actor.orgId);
      const lines = await this.repo.categoryLines(db);
      const byUnit = new Map<number, typeof links>();
      for (const l of links) {
        const u = Number(l.unitOrgId);
        byUnit.set(u, [...(byUnit.get(u) ?? []), l]);
      }
      const routed = (await this.repo.openProblems(db, [...byUnit.keys()])).filter((p) => {
        const sups = (byUnit.get(Number(p.unitOrgId)) ?? []).map((l) => ({
          orgId: Number(l.supervisorOrgId),
          line: l.supervisorLine,
          sees:
            l.categories === null ||
            l.categories
              .split(',')
              .map((c) => c.trim())
              .includes(p.categoryCode),
        }));
        return routeProblem(lines.get(p.categoryCode), sups).includes(actor.orgId);
      });
      for (const p of routed) {
        if (Number(p.measureCount) > 0) continue; // followed through its measures below
        out.push({
          ...base,
          kind: 'problem',
          id: Number(p.id),
          title: `${p.number} ${p.description}`.slice(0, 200),
          detail: p.categoryCode,
          unitOrgId: Number(p.unitOrgId),
          unitName: p.unitName,
          status: 'no_measures',
          deadline: p.deadline,
          overdue: p.deadline !== null && p.deadline < today,
          move: 'watch',
          problemId: Number(p.id),
        });
      }
      for (const m of await this.repo.openMeasures(
        db,
        routed.filter((p) => Number(p.measureCount) > 0).map((p) => Number(p.id)),
      )) {
        out.push({
          ...base,
          kind: 'measure',
          id: Number(m.id),
          title: m.content.slice(0, 200),
          detail: m.problemNumber,
          unitOrgId: Number(m.unitOrgId),
          unitName: m.unitName,
          status: m.status,
          deadline: m.effectiveDeadline,
          overdue: m.effectiveDeadline < today,
          stalled: isStalled(
            {
              isDone: Number(m.isDone),
              lastProgressAt: m.lastProgressAt === null ? null : Number(m.lastProgressAt),
              createdAt: Number(m.createdAt),
            },
            now,
            stalledDays,
          ),
          move: 'watch',
          problemId: Number(m.problemId),
        });
      }
    }

    // What the caller's organisation issued.
    for (const a of await this.repo.issuedActions(db, actor.orgId)) {
      const row = { status: a.status, responseRequired: true, responseDeadline: a.responseDeadline };
      out.push({
        ...base,
        kind: 'action',
        id: Number(a.id),
        title: a.title,
        detail: a.kind,
        unitOrgId: Number(a.unitOrgId),
        unitName: a.unitName,
        status: a.status,
        deadline: a.status === 'open' ? a.responseDeadline : null,
        overdue: actionOverdue(row, today),
        move: a.status === 'responded' ? 'act' : 'watch',
      });
    }
    for (const i of await this.repo.issuedItems(db, actor.orgId)) {
      out.push({
        ...base,
        kind: 'dispatch_item',
        id: Number(i.id),
        title: `${i.orderTitle} · ${i.seq}. ${i.content}`.slice(0, 200),
        detail: null,
        unitOrgId: Number(i.unitOrgId),
        unitName: i.unitName,
        status: i.status,
        deadline: i.status === 'answered' ? null : i.deadline,
        overdue: dispatchItemOverdue(i, today),
        move: i.status === 'answered' ? 'act' : 'watch',
        orderId: Number(i.orderId),
      });
    }

    // What is owed by the caller's organisation: tasks it owns (or convened: its review).
    for (const t of await this.repo.openTasksOf(db, actor.orgId)) {
      const owns =
        Number(t.ownerOrgId) === actor.orgId && (t.ownerUserId === null || Number(t.ownerUserId) === actor.userId);
      const convened = Number(t.convenerOrgId) === actor.orgId;
      const owes = t.status === 'open' || t.status === 'returned';
      if (!convened && !(Number(t.ownerOrgId) === actor.orgId)) continue;
      out.push({
        ...base,
        kind: 'task',
        id: Number(t.id),
        title: t.content.slice(0, 200),
        detail: t.meetingTitle,
        unitOrgId: Number(t.ownerOrgId),
        unitName: t.ownerOrgName,
        status: t.status,
        deadline: owes ? t.deadline : null,
        overdue: taskOverdue(t, today),
        move: (owes && owns) || (!owes && convened) ? 'act' : 'watch',
        meetingId: Number(t.meetingId),
      });
    }
    // A unit: the responses and answers it owes.
    if (ROLE_SCOPE[actor.role] === 'own' && (actor.role === 'unit' || actor.role === 'unit_head')) {
      const scope = await scopeOf(db, actor);
      const units = scope.all ? [] : [...scope.orgIds];
      for (const a of await this.repo.actionsOwed(db, units)) {
        out.push({
          ...base,
          kind: 'action',
          id: Number(a.id),
          title: a.title,
          detail: a.kind,
          unitOrgId: Number(a.unitOrgId),
          unitName: a.unitName,
          status: a.status,
          deadline: a.responseDeadline,
          overdue: actionOverdue(
            { status: a.status, responseRequired: true, responseDeadline: a.responseDeadline },
            today,
          ),
          move: 'act',
        });
      }
      for (const i of await this.repo.itemsOwed(db, units)) {
        out.push({
          ...base,
          kind: 'dispatch_item',
          id: Number(i.id),
          title: `${i.orderTitle} · ${i.seq}. ${i.content}`.slice(0, 200),
          detail: null,
          unitOrgId: Number(i.unitOrgId),
          unitName: i.unitName,
          status: i.status,
          deadline: i.deadline,
          overdue: dispatchItemOverdue(i, today),
          move: 'act',
          orderId: Number(i.orderId),
        });
      }
    }

    // One entry per record (an organisation may both issue and be addressed), sorted by urgency.
    const seen = new Map<string, WorkQueueEntry>();
    for (const e of out) {
      const key = urgencyKey(e);
      const full: WorkQueueEntry = { ...e, key, daysLeft: e.deadline === null ? null : daysUntil(e.deadline, today) };
      const id = `${e.kind}:${e.id}`;
      const prev = seen.get(id);
      if (!prev || (prev.move === 'watch' && full.move === 'act')) seen.set(id, full);
    }
    return [...seen.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async page(actor: Actor, q: Static<typeof WorkQueueQuery>) {
    const limit = q.limit ?? 50;
    const all = (await this.entries(actor)).filter(
      (e) => (!q.kind || e.kind === q.kind) && (!q.move || e.move === q.move),
    );
    const rest = q.cursor ? all.filter((e) => e.key > q.cursor!) : all;
    const items = rest.slice(0, limit);
    return {
      items,
      total: all.length,
      overdue: all.filter((e) => e.overdue).length,
      nextCursor: rest.length > limit ? items[items.length - 1]!.key : null,
    };
  }
}
