import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import {
  addMonths,
  addWorkingDays,
  type DayException,
  isValidDate,
  isWorkingDay,
  rectificationDeadline,
} from '../../../../domain/calendar.js';
import type { DB } from '../../db/types.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { CalendarRepository } from './calendar.repository.js';
import type { PutCalendarDay } from './calendar.schemas.js';

type Executor = Kysely<DB> | Transaction<DB>;

const repo = new CalendarRepository();

function assertDate(date: string, field = 'date') {
  if (!isValidDate(date)) {
    throw invalid(`${field} ${date} is not a real calendar date`, {
      errors: [{ path: field, message: 'not a real calendar date (YYYY-MM-DD)' }],
    });
  }
}

const toDay = (r: { date: string; kind: string; note: string | null }) => ({
  date: r.date,
  kind: r.kind as DayException,
  note: r.note,
});

/**
 * M17 working calendar (工作日历): the holidays and make-up working days (调休上班) that differ from
 * a plain Monday–Friday week. The static methods are what other modules use to count deadlines,
 * inside their own transaction when they have one.
 */
export class CalendarService {
  readonly repo = repo;
  constructor(private readonly ctx: AppContext) {}

  /** The stored exceptions, from `from` on when given (a deadline never looks back). */
  static async exceptions(db: Executor, from?: string): Promise<Map<string, DayException>> {
    const rows = await repo.range(db, from);
    return new Map(rows.map((r) => [r.date, r.kind as DayException]));
  }

  /** `from` + `months` calendar months, moved onto the next working day (SPEC M2: feedback + 3 months). */
  static async deadline(db: Executor, from: string, months = 3): Promise<string> {
    assertDate(from, 'from');
    const ex = await CalendarService.exceptions(db, addMonths(from, months));
    return rectificationDeadline(from, ex, months);
  }

  /** `from` + n working days (from itself not counted). */
  static async addWorkingDays(db: Executor, from: string, days: number): Promise<string> {
    assertDate(from, 'from');
    return addWorkingDays(from, days, await CalendarService.exceptions(db, from));
  }

  static async isWorkingDay(db: Executor, date: string): Promise<boolean> {
    assertDate(date);
    return isWorkingDay(date, await CalendarService.exceptions(db, date));
  }

  async list(actor: Actor, year?: number) {
    void actor;
    const rows = year
      ? await this.repo.range(this.ctx.db, `${year}-01-01`, `${year}-12-31`)
      : await this.repo.range(this.ctx.db);
    return { items: rows.map(toDay) };
  }

  async set(actor: Actor, audit: AuditContext, date: string, input: Static<typeof PutCalendarDay>) {
    void actor;
    assertDate(date);
    const row = { date, kind: input.kind, note: input.note?.trim() || null };
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byDate(trx, date);
      await this.repo.upsert(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'calendar.set',
        entity: 'calendar_day',
        entityId: date,
        before: before ?? null,
        after: row,
      });
      return toDay(row);
    });
  }

  async remove(actor: Actor, audit: AuditContext, date: string) {
    void actor;
    assertDate(date);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byDate(trx, date);
      if (!before) throw notFound();
      await this.repo.delete(trx, date);
      await this.ctx.audit.record(trx, audit, {
        action: 'calendar.delete',
        entity: 'calendar_day',
        entityId: date,
        before,
      });
    });
  }

  /** The deadline with the administrator's default period (system.general.rectificationMonths) when none is given. */
  async deadline(from: string, months?: number): Promise<string> {
    const m = months ?? (await this.ctx.settings.get('system.general')).rectificationMonths;
    return CalendarService.deadline(this.ctx.db, from, m);
  }

  async addWorkingDays(from: string, days: number): Promise<string> {
    return CalendarService.addWorkingDays(this.ctx.db, from, days);
  }
}
