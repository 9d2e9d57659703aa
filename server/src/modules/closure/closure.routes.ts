import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the closure feature (being written in this change). */
export async function closureRoutes(_app: FastifyInstance, _ctx: AppContext) {}
