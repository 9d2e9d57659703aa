import crypto from 'node:crypto';

/**
 * The audit hash chain (M16), pure. Each row's hash is HMAC-SM3(key, previous hash ‖ canonical row),
 * and a head record (seq, hash, MAC) kept beside the log catches truncation of the tail.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  at: number;
  actorId: number | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: string | null;
  after: string | null;
  result: string;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
  mac: string;
}

export type Unhashed = Omit<ChainRow, 'prevHash' | 'hash'>;

function canonical(r: Unhashed): string {
  return JSON.stringify([
    Number(r.seq),
    Number(r.at),
    r.actorId === null ? null : Number(r.actorId),
    r.actorName,
    r.ip,
    r.requestId,
    r.action,
    r.entity,
    r.entityId,
    r.before,
    r.after,
    r.result,
  ]);
}

export function rowHash(key: Buffer, prevHash: string, row: Unhashed): string {
  return crypto.createHmac('sm3', key).update(prevHash).update('|').update(canonical(row)).digest('hex');
}

export function headMac(key: Buffer, seq: number, hash: string): string {
  return crypto
    .createHmac('sm3', key)
    .update(`head|${Number(seq)}|${hash}`)
    .digest('hex');
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** 1-based position in the log as read, and the seq found there (or expected, for a missing tail). */
  firstBad?: { position: number; seq: number; reason: string };
}

/** Walks the rows in seq order; stops at the first row that does not follow from the one before. */
export async function verifyChain(
  key: Buffer,
  rows: AsyncIterable<ChainRow> | Iterable<ChainRow>,
  head: ChainHead | null,
): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let position = 0;
  for await (const row of rows as AsyncIterable<ChainRow>) {
    position++;
    const seq = Number(row.seq);
    const bad = (reason: string): VerifyResult => ({
      ok: false,
      checked: position - 1,
      firstBad: { position, seq, reason },
    });
    if (seq !== expectedSeq) return bad(seq > expectedSeq ? `missing row(s) before seq ${seq}` : `seq out of order`);
    if (row.prevHash !== prev) return bad('previous-hash link broken');
    if (rowHash(key, prev, row) !== row.hash) return bad('row content does not match its hash');
    prev = row.hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (!head) {
    if (last === 0) return { ok: true, checked: 0 };
    // Every row checked out; what is missing comes after the last one.
    return { ok: false, checked: last, firstBad: { position: last + 1, seq: last + 1, reason: 'head record missing' } };
  }
  if (headMac(key, head.seq, head.hash) !== head.mac) {
    return {
      ok: false,
      checked: last,
      firstBad: { position: last + 1, seq: Number(head.seq), reason: 'head record altered' },
    };
  }
  if (Number(head.seq) !== last || head.hash !== (last === 0 ? GENESIS_HASH : prev)) {
    const missingFrom = last + 1;
    return {
      ok: false,
      checked: last,
      firstBad: {
        position: missingFrom,
        seq: missingFrom,
        reason:
          Number(head.seq) > last
            ? `log truncated: rows ${missingFrom}..${head.seq} missing`
            : 'log does not end at the head',
      },
    };
  }
  return { ok: true, checked: last };
}
