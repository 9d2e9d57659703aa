/** Shapes of the handover routes (server/src/modules/handover/handover.schemas.ts). */
import type { HandoverAction, HandoverItemStatus } from '../../../../domain/handover';

export interface HandoverItem {
  id: number;
  handoverId: number;
  problemId: number;
  problemNumber: string;
  problemDescription: string;
  categoryCode: string;
  severity: string;
  roundUnitId: number;
  roundName: string;
  unitOrgId: number;
  unitName: string;
  receivingOrgId: number;
  receivingOrgName: string;
  kind: 'long_term' | 'unrectified' | string;
  status: HandoverItemStatus | string;
  acceptedByName: string | null;
  acceptedAt: number | null;
  returnedByName: string | null;
  returnedAt: number | null;
  returnReason: string | null;
  supervisorOrgId: number | null;
  supervisorOrgName: string | null;
  dispatchedByName: string | null;
  dispatchedAt: number | null;
  dispatchNote: string | null;
  dueDate: string | null;
  concludedByName: string | null;
  concludedAt: number | null;
  conclusion: string | null;
  actions: HandoverAction[];
  version: number;
  createdAt: number;
}

export interface Handover {
  id: number;
  receivingOrgId: number;
  receivingOrgName: string;
  note: string | null;
  sentByName: string | null;
  sentAt: number;
  counts: Record<string, number>;
  version: number;
  createdAt: number;
}

export interface HandoverDetail extends Handover {
  items: HandoverItem[];
}
