import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto.js';
import { AuditRepository } from './audit.repository.js';
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
  /** The chain each open transaction holds (a transaction may record several entries). */
  private readonly heldChain = new WeakMap<Transaction<DB>, number>();
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
    const held = this.heldChain.get(trx);
    // Writers start their search for a free chain at different chains, so they rarely meet.
    this.start = (this.start % this.chains) + 1;
    const head = await this.repo.claimHead(trx, this.chains, this.start, held);
    if (!head) throw new Error('audit head missing');
    const chain = Number(head.id);
    this.heldChain.set(trx, chain);
    const seq = Number(head.next);
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
    await this.repo.append(
      trx,
      { ...base, prevHash: head.hash, hash },
      { seq, hash, mac: headMac(this.key, seq, hash, chain) },
    );
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
