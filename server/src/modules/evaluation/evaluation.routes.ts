import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the evaluation feature under /api/v1. */
export async function evaluationRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
