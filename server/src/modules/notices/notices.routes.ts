import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the notices feature under /api/v1. */
export async function noticesRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
