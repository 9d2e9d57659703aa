import {
  actionOverdue,
  dispatchItemOverdue,
  hasDocument,
  milestoneLight,
  planLight,
} from '../../../../domain/supervision.js';
import { parseFileIds } from '../closure/closure.mappers.js';
import type { SupervisionRepository } from './supervision.repository.js';

type PlanRow = NonNullable<Awaited<ReturnType<SupervisionRepository['plan']>>>;
type MilestoneRow = NonNullable<Awaited<ReturnType<SupervisionRepository['milestone']>>>;
type ActionRow = NonNullable<Awaited<ReturnType<SupervisionRepository['action']>>>;
type OrderRow = NonNullable<Awaited<ReturnType<SupervisionRepository['order']>>>;
type ItemRow = NonNullable<Awaited<ReturnType<SupervisionRepository['item']>>>;

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

export function toMilestone(r: MilestoneRow, today: string) {
  return {
    id: Number(r.id),
    planId: Number(r.planId),
    title: r.title,
    dueDate: r.dueDate,
    doneDate: r.doneDate,
    doneNote: r.doneNote,
    doneBy: numOrNull(r.doneBy),
    doneByName: r.doneByName,
    light: milestoneLight(r, today),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type MilestoneView = ReturnType<typeof toMilestone>;

export function toPlan(r: PlanRow, milestones: readonly MilestoneView[]) {
  return {
    id: Number(r.id),
    supervisorOrgId: Number(r.supervisorOrgId),
    supervisorName: r.supervisorName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    roundUnitId: numOrNull(r.roundUnitId),
    title: r.title,
    content: r.content,
    startDate: r.startDate,
    endDate: r.endDate,
    light: planLight(milestones.map((m) => m.light)),
    milestones: [...milestones],
    createdBy: Number(r.createdBy),
    createdByName: r.createdByName,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

export function toAction(r: ActionRow, today: string) {
  const responseRequired = Number(r.responseRequired) === 1;
  return {
    id: Number(r.id),
    kind: r.kind,
    supervisorOrgId: Number(r.supervisorOrgId),
    supervisorName: r.supervisorName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    targetType: r.targetType,
    problemId: numOrNull(r.problemId),
    problemNumber: r.problemNumber ?? null,
    measureId: numOrNull(r.measureId),
    measureContent: r.measureContent ?? null,
    categoryCode: r.categoryCode ?? null,
    roundUnitId: numOrNull(r.roundUnitId),
    planId: numOrNull(r.planId),
    actionDate: r.actionDate,
    title: r.title,
    content: r.content,
    responseRequired,
    responseDeadline: r.responseDeadline,
    status: r.status,
    overdue: actionOverdue({ status: r.status, responseRequired, responseDeadline: r.responseDeadline }, today),
    responseText: r.responseText,
    responseFileIds: parseFileIds(r.responseFileIds),
    respondedBy: numOrNull(r.respondedBy),
    respondedByName: r.respondedByName,
    respondedAt: numOrNull(r.respondedAt),
    closedBy: numOrNull(r.closedBy),
    closedByName: r.closedByName,
    closedAt: numOrNull(r.closedAt),
    closeNote: r.closeNote,
    hasDocument: hasDocument(r.kind),
    docNumber: r.docNumber,
    createdBy: Number(r.createdBy),
    createdByName: r.createdByName,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type ActionView = ReturnType<typeof toAction>;

export function toItem(r: ItemRow, today: string) {
  return {
    id: Number(r.id),
    orderId: Number(r.orderId),
    seq: Number(r.seq),
    content: r.content,
    deadline: r.deadline,
    status: r.status,
    overdue: dispatchItemOverdue(r, today),
    answerText: r.answerText,
    answerFileIds: parseFileIds(r.answerFileIds),
    answeredBy: numOrNull(r.answeredBy),
    answeredByName: r.answeredByName,
    answeredAt: numOrNull(r.answeredAt),
    reviewedBy: numOrNull(r.reviewedBy),
    reviewedByName: r.reviewedByName,
    reviewedAt: numOrNull(r.reviewedAt),
    reviewNote: r.reviewNote,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type ItemView = ReturnType<typeof toItem>;

export function toOrder(r: OrderRow, items: readonly ItemView[]) {
  return {
    id: Number(r.id),
    supervisorOrgId: Number(r.supervisorOrgId),
    supervisorName: r.supervisorName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    roundUnitId: numOrNull(r.roundUnitId),
    addressee: r.addressee,
    title: r.title,
    content: r.content,
    deadline: r.deadline,
    status: r.status,
    doneAt: numOrNull(r.doneAt),
    overdueItems: items.filter((i) => i.overdue).length,
    items: [...items],
    createdBy: Number(r.createdBy),
    createdByName: r.createdByName,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
