import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0062-clues (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    clues: ClueTable;
  }
}

/** A 问题线索. The *Sealed columns hold SM4 ciphertext bound to the row and column; nothing else is confidential. */
export interface ClueTable {
  id: Generated<number>;
  roundUnitId: number;
  roundId: number;
  unitOrgId: number;
  problemId: number | null;
  senderOrgId: number;
  sentBy: number | null;
  receivingOrgId: number;
  source: string;
  titleSealed: string;
  contentSealed: string;
  personsSealed: string;
  status: string;
  sentAt: number;
  receivedBy: number | null;
  receivedAt: number | null;
  disposalKind: string | null;
  disposalDate: string | null;
  disposalNoteSealed: string | null;
  disposedBy: number | null;
  disposedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}
