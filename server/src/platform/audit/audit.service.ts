import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto.js';
import { AuditRepository } from './audit.repository.js';
import { GENESIS_HASH, headMac, rowHash, verifyChain } from './chain.js';

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

export class AuditService {
  readonly repo: AuditRepository;
  private readonly key: Buffer;

  constructor(
    private readonly db: Kysely<DB>,
    dialect: 'sqlite' | 'postgres',
    crypto: CryptoProvider,
    private readonly clock: Clock,
  ) {
    this.repo = new AuditRepository(dialect);
    this.key = crypto.subkey('audit-chain');
  }

  async ensureHead(): Promise<void> {
    await this.repo.insertHeadIfMissing(this.db, {
      seq: 0,
      hash: GENESIS_HASH,
      mac: headMac(this.key, 0, GENESIS_HASH),
    });
  }

  /**
   * Appends one record inside the caller's transaction, so a business write whose audit record
   * cannot be written is not committed either.
   */
  async record(trx: Transaction<DB>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    const head = await this.repo.lockHead(trx);
    if (!head) throw new Error('audit head missing');
    const seq = Number(head.seq) + 1;
    const base = {
      seq,
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
      { seq, hash, mac: headMac(this.key, seq, hash) },
    );
  }

  /** For events that are not part of a business write (a failed login, a download). */
  async recordAlone(ctx: AuditContext, entry: AuditEntry): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, ctx, entry));
  }

  async verify() {
    const head = (await this.repo.head(this.db)) ?? null;
    return verifyChain(this.key, this.repo.scan(this.db), head);
  }

  get chainKey(): Buffer {
    return this.key;
  }
}
