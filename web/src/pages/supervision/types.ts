/** Shapes of the supervision routes (server/src/modules/supervision/supervision.schemas.ts). */
import type { SupervisionActionKind } from '../../../../domain/supervision';

export type Light = 'green' | 'amber' | 'red';

export interface Milestone {
  id: number;
  planId: number;
  title: string;
  dueDate: string;
  doneDate: string | null;
  doneNote: string | null;
  doneByName: string | null;
  light: Light;
  version: number;
}

export interface Plan {
  id: number;
  supervisorOrgId: number;
  supervisorName: string;
  unitOrgId: number;
  unitName: string;
  roundUnitId: number | null;
  title: string;
  content: string;
  startDate: string | null;
  endDate: string | null;
  light: Light;
  milestones: Milestone[];
  createdByName: string | null;
  version: number;
  createdAt: number;
}

export type ActionStatus = 'open' | 'responded' | 'closed';
export type TargetType = 'unit' | 'problem' | 'measure';

export interface SupervisionAction {
  id: number;
  kind: SupervisionActionKind;
  supervisorOrgId: number;
  supervisorName: string;
  unitOrgId: number;
  unitName: string;
  targetType: TargetType;
  problemId: number | null;
  problemNumber: string | null;
  measureId: number | null;
  measureContent: string | null;
  planId: number | null;
  actionDate: string;
  title: string;
  content: string;
  responseRequired: boolean;
  responseDeadline: string | null;
  status: ActionStatus;
  overdue: boolean;
  responseText: string | null;
  responseFileIds: number[];
  respondedByName: string | null;
  respondedAt: number | null;
  closedByName: string | null;
  closedAt: number | null;
  closeNote: string | null;
  hasDocument: boolean;
  docNumber: string | null;
  createdByName: string | null;
  version: number;
  createdAt: number;
}

export type DispatchItemStatus = 'pending' | 'answered' | 'accepted' | 'returned';

export interface DispatchItem {
  id: number;
  orderId: number;
  seq: number;
  content: string;
  deadline: string;
  status: DispatchItemStatus;
  overdue: boolean;
  answerText: string | null;
  answeredByName: string | null;
  answeredAt: number | null;
  reviewedByName: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  version: number;
}

export interface DispatchOrder {
  id: number;
  supervisorOrgId: number;
  supervisorName: string;
  unitOrgId: number;
  unitName: string;
  addressee: string;
  title: string;
  content: string;
  deadline: string;
  status: 'open' | 'done';
  overdueItems: number;
  items: DispatchItem[];
  createdByName: string | null;
  version: number;
  createdAt: number;
}

export interface Paged<T> {
  items: T[];
  nextCursor: number | null;
}

export type SupervisionTaskStatus = 'open' | 'reported' | 'accepted' | 'returned';

/** A decision of a 整改监督信息沟通会, tracked to completion. */
export interface SupervisionTask {
  id: number;
  meetingId: number;
  meetingTitle: string;
  meetingHeldOn: string;
  convenerOrgId: number;
  convenerName: string;
  seq: number;
  content: string;
  ownerOrgId: number;
  ownerOrgName: string;
  ownerUserId: number | null;
  ownerUserName: string | null;
  deadline: string;
  status: SupervisionTaskStatus;
  overdue: boolean;
  reportText: string | null;
  reportedByName: string | null;
  reportedAt: number | null;
  completedOn: string | null;
  reviewedByName: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  version: number;
}

export interface SupervisionMeeting {
  id: number;
  convenerOrgId: number;
  convenerName: string;
  title: string;
  heldOn: string;
  location: string | null;
  attendees: { name: string; orgId: number | null }[];
  summary: string;
  tasks: SupervisionTask[];
  openTasks: number;
  overdueTasks: number;
  version: number;
}

export type WorkQueueKind = 'problem' | 'measure' | 'action' | 'dispatch_item' | 'task';

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

export interface WorkQueuePage {
  items: WorkQueueEntry[];
  total: number;
  overdue: number;
  nextCursor: string | null;
}
