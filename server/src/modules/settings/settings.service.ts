import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/types.js';
import type { AuditContext, AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import type { CryptoProvider } from '../../platform/crypto.js';
import { AppError, stale } from '../../platform/errors.js';
import { SETTINGS, type SettingKey, type SettingValue, WRITE_ONLY_FIELDS } from './settings.definitions.js';
import { SettingsRepository } from './settings.repository.js';

const CACHE_MS = 5000; // other instances see a change within this time

export class SettingsService {
  private readonly repo = new SettingsRepository();
  private cache: { at: number; values: Map<string, { value: unknown; version: number }> } | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly config: Config,
    private readonly crypto: CryptoProvider,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  private defaults(key: SettingKey): unknown {
    if (key === 'security.lockout')
      return { threshold: this.config.lockoutThreshold, minutes: this.config.lockoutMinutes };
    if (key === 'security.session') {
      return { idleMinutes: this.config.sessionIdleMinutes, absoluteHours: this.config.sessionAbsoluteHours };
    }
    return SETTINGS[key].default;
  }

  private async load() {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.values;
    const values = new Map<string, { value: unknown; version: number }>();
    for (const row of await this.repo.all(this.db))
      values.set(row.key, { value: JSON.parse(row.value), version: row.version });
    this.cache = { at: Date.now(), values };
    return values;
  }

  /** The effective value, secrets still sealed. */
  async get<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
    const stored = (await this.load()).get(key);
    return (stored?.value ?? this.defaults(key)) as SettingValue<K>;
  }

  /** A sealed secret field opened, for the mailer and the webhook sender. */
  async secret(key: SettingKey, field: string): Promise<string | null> {
    const v = (await this.get(key)) as Record<string, unknown>;
    const sealed = v?.[`${field}Sealed`];
    return typeof sealed === 'string' ? this.crypto.decrypt(sealed, `setting:${key}:${field}`) : null;
  }

  /** What a client may see: write-only fields replaced by whether they are set. */
  async view(key: SettingKey) {
    const stored = (await this.load()).get(key);
    const raw = stored?.value ?? this.defaults(key);
    if (Array.isArray(raw)) return { key, value: raw, version: stored?.version ?? 0 };
    const value = { ...(raw as Record<string, unknown>) };
    for (const f of WRITE_ONLY_FIELDS) {
      if (`${f}Sealed` in value) {
        delete value[`${f}Sealed`];
        value[`${f}Set`] = true;
      }
    }
    return { key, value, version: stored?.version ?? 0 };
  }

  async set(ctx: AuditContext, key: SettingKey, input: Record<string, unknown> | unknown[], version: number) {
    const now = this.clock.now();
    const result = await this.db.transaction().execute(async (trx) => {
      const current = await this.repo.get(trx, key);
      const currentVersion = current?.version ?? 0;
      if (currentVersion !== version) throw stale(await this.view(key));
      const before = current ? JSON.parse(current.value) : this.defaults(key);
      let value: unknown = input;
      if (!Array.isArray(input)) {
        const next: Record<string, unknown> = { ...input };
        for (const f of WRITE_ONLY_FIELDS) {
          if (typeof next[f] === 'string' && next[f] !== '') {
            next[`${f}Sealed`] = this.crypto.encrypt(next[f] as string, `setting:${key}:${f}`);
          } else if (before && typeof before === 'object' && `${f}Sealed` in before) {
            next[`${f}Sealed`] = (before as Record<string, unknown>)[`${f}Sealed`]; // keep the stored secret
          }
          delete next[f];
        }
        value = next;
      }
      const json = JSON.stringify(value);
      if (!current) await this.repo.insert(trx, key, json, now, ctx.actorId);
      else if (!(await this.repo.update(trx, key, json, currentVersion, now, ctx.actorId)))
        throw new AppError(409, 'CONFLICT_STALE');
      await this.audit.record(trx, ctx, {
        action: 'settings.update',
        entity: 'setting',
        entityId: key,
        before,
        after: value,
      });
      return value;
    });
    this.cache = null;
    return result;
  }
}
