import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../platform/auth/auth.service.js';
import type { AppContext } from '../platform/context.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { calendarRoutes } from './calendar/calendar.routes.js';
import { closureRoutes } from './closure/closure.routes.js';
import { cluesRoutes } from './clues/clues.routes.js';
import { dictionaryRoutes } from './dictionaries/dictionaries.routes.js';
import { evidenceRoutes } from './evidence/evidence.routes.js';
import { handoverRoutes } from './handover/handover.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { ledgerRoutes } from './ledger/ledger.routes.js';
import { ledgerExcelRoutes } from './ledger-excel/ledger-excel.routes.js';
import { meetingsRoutes } from './meetings/meetings.routes.js';
import { organisationRoutes } from './organisations/organisations.routes.js';
import { progressRoutes } from './progress/progress.routes.js';
import { roundRoutes } from './rounds/rounds.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { supervisionRoutes } from './supervision/supervision.routes.js';
import { userRoutes } from './users/users.routes.js';

/** Every capability of SPEC §3 registers its routes here, under /api/v1. */
export async function registerModules(app: FastifyInstance, ctx: AppContext, auth: AuthService) {
  await app.register(async (r) => authRoutes(r, ctx, auth));
  await app.register(async (r) => organisationRoutes(r, ctx));
  await app.register(async (r) => settingsRoutes(r, ctx));
  await app.register(async (r) => auditRoutes(r, ctx));
  await app.register(async (r) => dictionaryRoutes(r, ctx));
  await app.register(async (r) => calendarRoutes(r, ctx));
  await app.register(async (r) => userRoutes(r, ctx));
  await app.register(async (r) => importRoutes(r, ctx));
  await app.register(async (r) => roundRoutes(r, ctx));
  await app.register(async (r) => ledgerRoutes(r, ctx));
  await app.register(async (r) => ledgerExcelRoutes(r, ctx));
  await app.register(async (r) => evidenceRoutes(r, ctx));
  await app.register(async (r) => progressRoutes(r, ctx));
  await app.register(async (r) => closureRoutes(r, ctx));
  await app.register(async (r) => supervisionRoutes(r, ctx));
  await app.register(async (r) => handoverRoutes(r, ctx));
  await app.register(async (r) => cluesRoutes(r, ctx));
  await app.register(async (r) => meetingsRoutes(r, ctx));
}
