import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the dashboard feature under /api/v1. */
export async function dashboardRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
