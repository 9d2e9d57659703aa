import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import {
  AddWorkingDaysQuery,
  CalendarDay,
  CalendarList,
  CalendarQuery,
  DateParams,
  DateResult,
  DeadlineQuery,
  PutCalendarDay,
} from './calendar.schemas.js';
import { CalendarService } from './calendar.service.js';

const Ok = Type.Object({ ok: Type.Literal(true) });

/** M17 working calendar: read by every role (calendar.read), kept by the system administrator. */
export async function calendarRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new CalendarService(ctx);
  const tags = ['calendar'];

  r.get(
    '/calendar',
    {
      config: { access: 'calendar.read' },
      schema: {
        tags,
        summary: 'Holidays and make-up working days (调休) of a year',
        querystring: CalendarQuery,
        response: { 200: CalendarList },
      },
    },
    async (req) => svc.list(req.actor!, req.query.year),
  );
  r.get(
    '/calendar/deadline',
    {
      config: { access: 'calendar.read' },
      schema: {
        tags,
        summary: 'Rectification deadline: from + months, moved onto the next working day',
        querystring: DeadlineQuery,
        response: { 200: DateResult },
      },
    },
    async (req) => ({ date: await svc.deadline(req.query.from, req.query.months) }),
  );
  r.get(
    '/calendar/add-working-days',
    {
      config: { access: 'calendar.read' },
      schema: {
        tags,
        summary: 'The date n working days after from',
        querystring: AddWorkingDaysQuery,
        response: { 200: DateResult },
      },
    },
    async (req) => ({ date: await svc.addWorkingDays(req.query.from, req.query.days) }),
  );
  r.put(
    '/calendar/:date',
    {
      config: { access: 'calendar.write' },
      schema: {
        tags,
        summary: 'Mark a date as a holiday or a make-up working day',
        params: DateParams,
        body: PutCalendarDay,
        response: { 200: CalendarDay },
      },
    },
    async (req) => svc.set(req.actor!, req.auditCtx, req.params.date, req.body),
  );
  r.delete(
    '/calendar/:date',
    {
      config: { access: 'calendar.write' },
      schema: {
        tags,
        summary: 'Remove the exception of a date (it becomes an ordinary day again)',
        params: DateParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.remove(req.actor!, req.auditCtx, req.params.date);
      return { ok: true as const };
    },
  );
}
