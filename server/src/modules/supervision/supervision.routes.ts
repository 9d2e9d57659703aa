import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the supervision feature (SPEC M8–M12; being written in this change). */
export async function supervisionRoutes(_app: FastifyInstance, _ctx: AppContext) {}
