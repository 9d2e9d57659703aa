import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the reports feature under /api/v1. */
export async function reportsRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
