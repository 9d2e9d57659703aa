import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the surveys feature under /api/v1. */
export async function surveysRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
