import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import { together } from '../../db/pipeline.js';
import type { DB } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto.js';
import { AuditRepository, type ClaimedHead } from './audit.repository.js';
import { GENESIS_HASH, headMac, rowHash, verifyChains } from './chain.js';

/** Who did it and from where; built from the request by the auth plugin. */
export interface AuditContext {
  actorId: number | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string; // e.g. org.create, auth.login.failed, export.ledger, file.download
  entity?: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  result?: 'ok' | 'denied' | 'failed';
}

const SECRET_KEYS = /password|secret|token|totp|hash/i;

/** Before/after images without secrets: an audit log must not become a password store. */
function image(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return JSON.stringify(v, (k, val) => (k && SECRET_KEYS.test(k) ? '[redacted]' : val));
}

/**
 * Chains of the audit log (chain.ts says why). On PostgreSQL more than the pool's connections, so a
 * writer nearly always finds one free; SQLite has one writer, and one chain.
 */
export const AUDIT_CHAINS = { sqlite: 1, postgres: 16 } as const;

export class AuditService {
  readonly repo: AuditRepository;
  readonly chains: number;
  private readonly key: Buffer;
  /**
   * The chain each open transaction holds, with its last hash and seq there and the seq its next row
   * takes when already drawn (a transaction may record several entries; on PostgreSQL its rows are
   * written at COMMIT, so the head it holds is read from here, not from the table).
   */
  private readonly held = new WeakMap<
    Transaction<DB>,
    { chain: number; hash: string; seq: number; next: number | null }
  >();
  private start = 0;

  constructor(
    private readonly db: Kysely<DB>,
    dialect: 'sqlite' | 'postgres',
    crypto: CryptoProvider,
    private readonly clock: Clock,
  ) {
    this.repo = new AuditRepository(dialect);
    this.chains = AUDIT_CHAINS[dialect];
    this.key = crypto.subkey('audit-chain');
  }

  /** Every chain's head, at its genesis when missing (at every start: after an upgrade, chains 2… appear). */
  async ensureHeads(): Promise<void> {
    await this.repo.insertHeadsIfMissing(
      this.db,
      Array.from({ length: this.chains }, (_, i) => ({
        id: i + 1,
        seq: 0,
        hash: GENESIS_HASH,
        mac: headMac(this.key, 0, GENESIS_HASH, i + 1),
      })),
    );
  }

  /**
   * Appends one record inside the caller's transaction, so a business write whose audit record
   * cannot be written is not committed either.
   */
  async record(trx: Transaction<DB>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    const head = this.held.get(trx) ?? (await this.claim(trx));
    const { chain } = head;
    const seq = head.next ?? (this.repo.sequenced ? await this.repo.nextSeq(trx) : head.seq + 1);
    const base = {
      seq,
      chain,
      at: this.clock.now(),
      actorId: ctx.actorId,
      actorName: ctx.actorName,
      ip: ctx.ip,
      requestId: ctx.requestId,
      action: entry.action,
      entity: entry.entity ?? null,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      before: image(entry.before),
      after: image(entry.after),
      result: entry.result ?? 'ok',
    };
    const hash = rowHash(this.key, head.hash, base);
    this.held.set(trx, { chain, hash, seq, next: null });
    await this.repo.append(
      trx,
      { ...base, prevHash: head.hash, hash },
      { seq, hash, mac: headMac(this.key, seq, hash, chain) },
    );
  }

  /**
   * Runs `first` (the write's first statement: a read or a lock, see db/pipeline.ts) and takes this
   * transaction's audit chain in the same round trip on PostgreSQL; answers `first`'s rows. When every
   * chain is busy, `record` waits for one as it would have.
   */
  async claimWith<R>(trx: Transaction<DB>, first: CompiledQuery<R>): Promise<R[]> {
    if (this.held.has(trx) || !this.repo.sequenced) return (await together(trx, [first]))[0];
    const [rows, [head]] = await together(trx, [first, this.repo.freeChainClaim(trx, this.chains, this.nextStart())]);
    if (head) this.hold(trx, head);
    return rows;
  }

  private nextStart(): number {
    // Writers start their search for a free chain at different chains, so they rarely meet.
    this.start = (this.start % this.chains) + 1;
    return this.start;
  }

  private hold(trx: Transaction<DB>, head: ClaimedHead) {
    const held = { chain: Number(head.id), hash: head.hash, seq: Number(head.seq), next: Number(head.next) };
    this.held.set(trx, held);
    return held;
  }

  private async claim(trx: Transaction<DB>) {
    const head = await this.repo.claimHead(trx, this.chains, this.nextStart());
    if (!head) throw new Error('audit head missing');
    return this.hold(trx, head);
  }

  /** For events that are not part of a business write (a failed login, a download). */
  async recordAlone(ctx: AuditContext, entry: AuditEntry): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, ctx, entry));
  }

  async verify() {
    const heads = await this.repo.heads(this.db);
    return verifyChains(this.key, this.repo.scan(this.db), heads, this.chains);
  }

  get chainKey(): Buffer {
    return this.key;
  }
}
