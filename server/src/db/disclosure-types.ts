import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0074-disclosure (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    disclosureBatches: DisclosureBatchTable;
    disclosureItems: DisclosureItemTable;
    disclosureChannels: DisclosureChannelTable;
  }
}

export interface DisclosureBatchTable {
  id: Generated<number>;
  number: number;
  titleHans: string;
  titleHant: string;
  createdBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DisclosureItemTable {
  id: Generated<number>;
  kind: string;
  status: string;
  batchId: number | null;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  cycle: number;
  problemId: number | null;
  reportKey: string | null;
  titleHans: string;
  titleHant: string;
  bodyHans: string;
  bodyHant: string;
  snapshot: string | null;
  persons: string;
  internalNote: string | null;
  publishedOn: string | null;
  createdBy: number | null;
  submittedBy: number | null;
  submittedAt: number | null;
  approvedBy: number | null;
  approvedAt: number | null;
  returnedNote: string | null;
  publishedBy: number | null;
  publishedAt: number | null;
  withdrawnBy: number | null;
  withdrawnAt: number | null;
  withdrawReason: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DisclosureChannelTable {
  id: Generated<number>;
  itemId: number;
  channel: string;
  publishedOn: string;
  note: string | null;
  recordedBy: number | null;
  recordedAt: number;
}
