import { handoverActions } from '../../../../domain/handover.js';
import type { Role } from '../../../../domain/roles.js';
import type { HandoverRepository } from './handover.repository.js';

type ItemRow = NonNullable<Awaited<ReturnType<HandoverRepository['item']>>>;
type HandoverRow = NonNullable<Awaited<ReturnType<HandoverRepository['handover']>>>;
type ResponsibilityRow = NonNullable<Awaited<ReturnType<HandoverRepository['responsibilityHandover']>>>;
type NoticeRow = NonNullable<Awaited<ReturnType<HandoverRepository['notice']>>>;
type NoteRow = Awaited<ReturnType<HandoverRepository['notes']>>[number];

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** One handed-over item, with the moves open to a caller of `role`. */
export function toItem(r: ItemRow, role: Role) {
  return {
    id: Number(r.id),
    handoverId: Number(r.handoverId),
    problemId: Number(r.problemId),
    problemNumber: r.problemNumber,
    problemDescription: r.problemDescription,
    categoryCode: r.categoryCode,
    severity: r.severity,
    roundUnitId: Number(r.roundUnitId),
    roundName: r.roundName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    receivingOrgId: Number(r.receivingOrgId),
    receivingOrgName: r.receivingOrgName,
    kind: r.kind,
    status: r.status,
    acceptedBy: numOrNull(r.acceptedBy),
    acceptedByName: r.acceptedByName,
    acceptedAt: numOrNull(r.acceptedAt),
    returnedBy: numOrNull(r.returnedBy),
    returnedByName: r.returnedByName,
    returnedAt: numOrNull(r.returnedAt),
    returnReason: r.returnReason,
    supervisorOrgId: numOrNull(r.supervisorOrgId),
    supervisorOrgName: r.supervisorOrgName,
    dispatchedBy: numOrNull(r.dispatchedBy),
    dispatchedByName: r.dispatchedByName,
    dispatchedAt: numOrNull(r.dispatchedAt),
    dispatchNote: r.dispatchNote,
    dueDate: r.dueDate,
    concludedBy: numOrNull(r.concludedBy),
    concludedByName: r.concludedByName,
    concludedAt: numOrNull(r.concludedAt),
    conclusion: r.conclusion,
    actions: handoverActions(r.status, role),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type ItemView = ReturnType<typeof toItem>;

export function toNote(r: NoteRow) {
  return {
    id: Number(r.id),
    authorId: Number(r.authorId),
    authorName: r.authorName,
    authorOrgId: Number(r.authorOrgId),
    authorOrgName: r.authorOrgName,
    content: r.content,
    createdAt: Number(r.createdAt),
  };
}

export function toHandover(r: HandoverRow, counts: Record<string, number>) {
  return {
    id: Number(r.id),
    receivingOrgId: Number(r.receivingOrgId),
    receivingOrgName: r.receivingOrgName,
    note: r.note,
    sentBy: Number(r.sentBy),
    sentByName: r.sentByName,
    sentAt: Number(r.sentAt),
    counts,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

export function toResponsibilityHandover(r: ResponsibilityRow) {
  return {
    id: Number(r.id),
    roundUnitId: Number(r.roundUnitId),
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    fromUserId: numOrNull(r.fromUserId),
    fromName: r.fromName,
    toUserId: numOrNull(r.toUserId),
    toName: r.toName,
    effectiveDate: r.effectiveDate,
    reason: r.reason,
    measureCount: Number(r.measureCount),
    recordedBy: Number(r.recordedBy),
    recordedByName: r.recordedByName,
    createdAt: Number(r.createdAt),
  };
}

export function toNotice(r: NoticeRow) {
  return {
    id: Number(r.id),
    handoverId: Number(r.handoverId),
    role: r.role,
    roundUnitId: Number(r.roundUnitId),
    unitName: r.unitName,
    fromName: r.fromName,
    toName: r.toName,
    effectiveDate: r.effectiveDate,
    reason: r.reason,
    measureCount: Number(r.measureCount),
    createdAt: Number(r.createdAt),
    readAt: numOrNull(r.readAt),
  };
}
