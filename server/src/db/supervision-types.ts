import type { Generated } from 'kysely';

/** Table types of migrations 2026-11-27T0060-supervision and T0064-supervision-tasks (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    supervisionPlans: SupervisionPlanTable;
    supervisionMilestones: SupervisionMilestoneTable;
    supervisionActions: SupervisionActionTable;
    dispatchOrders: DispatchOrderTable;
    dispatchItems: DispatchItemTable;
    supervisionMeetings: SupervisionMeetingTable;
    supervisionTasks: SupervisionTaskTable;
  }
}

export interface SupervisionPlanTable {
  id: Generated<number>;
  supervisorOrgId: number;
  unitOrgId: number;
  roundUnitId: number | null;
  title: string;
  content: string;
  startDate: string | null;
  endDate: string | null;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface SupervisionMilestoneTable {
  id: Generated<number>;
  planId: number;
  title: string;
  dueDate: string;
  doneDate: string | null;
  doneNote: string | null;
  doneBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface SupervisionActionTable {
  id: Generated<number>;
  kind: string;
  supervisorOrgId: number;
  unitOrgId: number;
  targetType: string;
  problemId: number | null;
  measureId: number | null;
  roundUnitId: number | null;
  planId: number | null;
  actionDate: string;
  title: string;
  content: string;
  responseRequired: number;
  responseDeadline: string | null;
  status: string;
  responseText: string | null;
  responseFileIds: string;
  respondedBy: number | null;
  respondedAt: number | null;
  closedBy: number | null;
  closedAt: number | null;
  closeNote: string | null;
  docYear: number | null;
  docSeq: number | null;
  docNumber: string | null;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DispatchOrderTable {
  id: Generated<number>;
  supervisorOrgId: number;
  unitOrgId: number;
  roundUnitId: number | null;
  addressee: string;
  title: string;
  content: string;
  deadline: string;
  status: string;
  doneAt: number | null;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DispatchItemTable {
  id: Generated<number>;
  orderId: number;
  seq: number;
  content: string;
  deadline: string;
  status: string;
  answerText: string | null;
  answerFileIds: string;
  answeredBy: number | null;
  answeredAt: number | null;
  reviewedBy: number | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** 整改监督信息沟通会 record (T0064). */
export interface SupervisionMeetingTable {
  id: Generated<number>;
  convenerOrgId: number;
  roundId: number | null;
  title: string;
  heldOn: string;
  location: string | null;
  attendees: string; // JSON [{ name, orgId }]
  summary: string;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A decision of a 沟通会 as a tracked task (T0064). */
export interface SupervisionTaskTable {
  id: Generated<number>;
  meetingId: number;
  convenerOrgId: number;
  seq: number;
  content: string;
  ownerOrgId: number;
  ownerUserId: number | null;
  deadline: string;
  status: string;
  reportText: string | null;
  reportedBy: number | null;
  reportedAt: number | null;
  completedOn: string | null;
  reviewedBy: number | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}
