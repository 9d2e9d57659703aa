import type { Insertable, Updateable } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

/** The columns every read of a clue returns: metadata, and the sealed columns (still sealed). */
const CLUE_COLUMNS = [
  'c.id',
  'c.roundUnitId',
  'c.roundId',
  'r.name as roundName',
  'c.unitOrgId',
  'u.name as unitName',
  'c.problemId',
  'p.number as problemNumber',
  'c.senderOrgId',
  'so.name as senderOrgName',
  'c.sentBy',
  'sb.displayName as sentByName',
  'c.receivingOrgId',
  'ro.name as receivingOrgName',
  'c.source',
  'c.status',
  'c.sentAt',
  'c.receivedBy',
  'rb.displayName as receivedByName',
  'c.receivedAt',
  'c.disposalKind',
  'c.disposalDate',
  'c.disposedBy',
  'db.displayName as disposedByName',
  'c.disposedAt',
  'c.version',
  'c.createdAt',
  'c.updatedAt',
] as const;

const SEALED_COLUMNS = ['c.titleSealed', 'c.contentSealed', 'c.personsSealed', 'c.disposalNoteSealed'] as const;

/** Who may see a clue: its sending office (with clue.send) and its receiving organisation. */
export interface ClueSides {
  /** The caller's organisation when it may see what that organisation sent; null otherwise. */
  senderOrgId: number | null;
  /** The caller's organisation when it may see what that organisation received; null otherwise. */
  receivingOrgId: number | null;
}

/** 问题线索: all SQL of the feature. */
export class CluesRepository {
  private clues(db: Executor) {
    return db
      .selectFrom('clues as c')
      .innerJoin('rounds as r', 'r.id', 'c.roundId')
      .innerJoin('organisations as u', 'u.id', 'c.unitOrgId')
      .innerJoin('organisations as so', 'so.id', 'c.senderOrgId')
      .innerJoin('organisations as ro', 'ro.id', 'c.receivingOrgId')
      .leftJoin('problems as p', 'p.id', 'c.problemId')
      .leftJoin('users as sb', 'sb.id', 'c.sentBy')
      .leftJoin('users as rb', 'rb.id', 'c.receivedBy')
      .leftJoin('users as db', 'db.id', 'c.disposedBy');
  }

  /** One clue's metadata. */
  async clue(db: Executor, id: number) {
    return this.clues(db).select(CLUE_COLUMNS).where('c.id', '=', id).executeTakeFirst();
  }

  /** One clue with its sealed columns. */
  async sealed(db: Executor, id: number) {
    return this.clues(db)
      .select([...CLUE_COLUMNS, ...SEALED_COLUMNS])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** Keyset page, newest first, of the clues one of the caller's sides sees. */
  async page(
    db: Executor,
    f: {
      sides: ClueSides;
      status?: string;
      receivingOrgId?: number;
      roundId?: number;
      before?: number;
      limit: number;
    },
  ) {
    const { senderOrgId, receivingOrgId } = f.sides;
    if (senderOrgId === null && receivingOrgId === null) return [];
    let q = this.clues(db).select(CLUE_COLUMNS);
    q = q.where((eb) => {
      const ors = [];
      if (senderOrgId !== null) ors.push(eb('c.senderOrgId', '=', senderOrgId));
      if (receivingOrgId !== null) ors.push(eb('c.receivingOrgId', '=', receivingOrgId));
      return eb.or(ors);
    });
    if (f.before) q = q.where('c.id', '<', f.before);
    if (f.status) q = q.where('c.status', '=', f.status);
    if (f.receivingOrgId) q = q.where('c.receivingOrgId', '=', f.receivingOrgId);
    if (f.roundId) q = q.where('c.roundId', '=', f.roundId);
    return q.orderBy('c.id', 'desc').limit(f.limit).execute();
  }

  async roundUnit(db: Executor, id: number) {
    return db.selectFrom('roundUnits').select(['id', 'roundId', 'unitOrgId']).where('id', '=', id).executeTakeFirst();
  }

  async problemRoundUnit(db: Executor, problemId: number) {
    return db.selectFrom('problems').select(['id', 'roundUnitId']).where('id', '=', problemId).executeTakeFirst();
  }

  async organisation(db: Executor, id: number) {
    return db.selectFrom('organisations').select(['id', 'type', 'active']).where('id', '=', id).executeTakeFirst();
  }

  async insert(db: Executor, row: Insertable<DB['clues']>): Promise<number> {
    const r = await db.insertInto('clues').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Writes the sealed columns of a row just inserted (they are bound to its id). */
  async seal(
    db: Executor,
    id: number,
    sealed: Pick<Updateable<DB['clues']>, 'titleSealed' | 'contentSealed' | 'personsSealed'>,
  ) {
    await db.updateTable('clues').set(sealed).where('id', '=', id).execute();
  }

  /** An optimistic update: false when the version moved on. */
  async update(db: Executor, id: number, version: number, patch: Updateable<DB['clues']>): Promise<boolean> {
    const r = await db
      .updateTable('clues')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
