import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { sendPrepared } from '../../platform/encoding.js';
import { Board, BoardQuery } from './dashboard.schemas.js';
import { DashboardService } from './dashboard.service.js';

/** Routes of the dashboard feature under /api/v1: 数着改 (SPEC M14). */
export async function dashboardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const board = new DashboardService(ctx);
  const tags = ['dashboard'];

  r.get(
    '/dashboard/board',
    {
      config: { access: 'dashboard.read' },
      schema: {
        tags,
        summary:
          'Headline figures, breakdowns by status and category, unit ranking with lights and the trend, within your scope',
        description:
          'Filter by term, round, unit and category. Every number carries `drill`: the ledger filters (GET /ledger) whose rows it counts.',
        querystring: BoardQuery,
        response: { 200: Board },
      },
    },
    async (req, reply) => sendPrepared(req, reply, await board.boardBody(req.actor!, req.query)),
  );
}
