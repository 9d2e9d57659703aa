import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the clues feature (SPEC M8–M12; being written in this change). */
export async function cluesRoutes(_app: FastifyInstance, _ctx: AppContext) {}
