import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0060-supervision (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    supervisionPlans: SupervisionPlanTable;
    supervisionMilestones: SupervisionMilestoneTable;
    supervisionActions: SupervisionActionTable;
    dispatchOrders: DispatchOrderTable;
    dispatchItems: DispatchItemTable;
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
