import crypto from 'node:crypto';

/**
 * The audit hash chains (M16), pure. Each row's hash is HMAC-SM3(key, previous hash ‖ canonical row)
 * over the rows of its chain, and a head record per chain (last seq, hash, MAC) kept beside the log
 * catches truncation of the chain's tail.
 *
 * Why several chains: a writer holds its chain's head from the moment it reads it until COMMIT, so
 * with one chain every write of the whole system queues on one row (on PostgreSQL; SQLite has one
 * writer anyway and keeps to chain 1). Rows carry a global seq (the audit page's order) and their
 * chain; within a chain, seq rises with the chain's order because a writer takes its seq while it
 * holds the chain. The log verifies in one pass in seq order, one running hash per chain.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  /** 1 when absent: rows written before the log had chains, and the generator's history. */
  chain?: number;
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

/** A head as stored: its chain is the audit_head row's id. */
export interface StoredHead extends ChainHead {
  id: number;
}

export type Unhashed = Omit<ChainRow, 'prevHash' | 'hash'>;

const chainOf = (r: { chain?: number | null }) => (r.chain === undefined || r.chain === null ? 1 : Number(r.chain));

function canonical(r: Unhashed): string {
  const fields: unknown[] = [
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
  ];
  // Chain 1 hashes exactly as the single chain did, so the rows written before chains still verify;
  // any other chain is part of the hashed content (a row moved to another chain does not check out).
  const chain = chainOf(r);
  if (chain !== 1) fields.push(chain);
  return JSON.stringify(fields);
}

export function rowHash(key: Buffer, prevHash: string, row: Unhashed): string {
  return crypto.createHmac('sm3', key).update(prevHash).update('|').update(canonical(row)).digest('hex');
}

export function headMac(key: Buffer, seq: number, hash: string, chain = 1): string {
  const text = chain === 1 ? `head|${Number(seq)}|${hash}` : `head|${chain}|${Number(seq)}|${hash}`;
  return crypto.createHmac('sm3', key).update(text).digest('hex');
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /**
   * 1-based position in the log as read (seq order), and the seq found there; for a chain whose tail
   * or head is wrong, the place after the last row and the seq its head names (or expects).
   */
  firstBad?: { position: number; seq: number; reason: string; chain?: number };
}

/** The single chain of a log written before chains (and of SQLite, which writes chain 1 only). */
export function verifyChain(
  key: Buffer,
  rows: AsyncIterable<ChainRow> | Iterable<ChainRow>,
  head: ChainHead | null,
): Promise<VerifyResult> {
  return verifyChains(key, rows, head ? [{ ...head, id: 1 }] : [], 1);
}

/**
 * Walks the rows in seq order, keeping one running hash per chain; stops at the first row that does
 * not follow from the one before it on its chain. Then checks every chain's head against its tail.
 */
export async function verifyChains(
  key: Buffer,
  rows: AsyncIterable<ChainRow> | Iterable<ChainRow>,
  heads: readonly StoredHead[],
  chains: number,
): Promise<VerifyResult> {
  const tails = Array.from({ length: chains + 1 }, () => ({ hash: GENESIS_HASH, seq: 0, rows: 0 }));
  let lastSeq = 0;
  let position = 0;
  for await (const row of rows as AsyncIterable<ChainRow>) {
    position++;
    const seq = Number(row.seq);
    const chain = chainOf(row);
    const bad = (reason: string): VerifyResult => ({
      ok: false,
      checked: position - 1,
      firstBad: { position, seq, reason, ...(chains > 1 ? { chain } : {}) },
    });
    if (!Number.isInteger(chain) || chain < 1 || chain > chains)
      return bad(`row on chain ${chain}, which does not exist`);
    if (!(seq > lastSeq)) return bad('seq out of order');
    const tail = tails[chain]!;
    if (row.prevHash !== tail.hash) return bad('previous-hash link broken');
    if (rowHash(key, tail.hash, row) !== row.hash) return bad('row content does not match its hash');
    tail.hash = row.hash;
    tail.seq = seq;
    tail.rows++;
    lastSeq = seq;
  }
  const checked = position;
  const byChain = new Map(heads.map((h) => [Number(h.id), h]));
  // Chains 2… get their heads when the application first starts on a log with chains; a log that never
  // had them (written before chains, or not yet started) has neither heads nor rows there.
  const multi = [...byChain.keys()].some((c) => c > 1) || tails.some((t, c) => c > 1 && t.rows > 0);
  for (let chain = 1; chain <= chains; chain++) {
    const tail = tails[chain]!;
    const head = byChain.get(chain);
    const bad = (seq: number, reason: string): VerifyResult => ({
      ok: false,
      checked,
      firstBad: { position: checked + 1, seq, reason, ...(chains > 1 ? { chain } : {}) },
    });
    if (!head) {
      if (tail.rows === 0 && (chain === 1 || !multi)) continue;
      // Every row checked out; what is missing comes after the last one.
      return bad(tail.seq + 1, 'head record missing');
    }
    if (headMac(key, head.seq, head.hash, chain) !== head.mac) return bad(Number(head.seq), 'head record altered');
    if (Number(head.seq) !== tail.seq || head.hash !== tail.hash) {
      return bad(
        tail.seq + 1,
        Number(head.seq) > tail.seq
          ? `log truncated: rows after seq ${tail.seq} up to seq ${head.seq} missing`
          : 'log does not end at the head',
      );
    }
  }
  return { ok: true, checked };
}
