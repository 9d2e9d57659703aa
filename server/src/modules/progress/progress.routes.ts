import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the progress feature (being written in this change). */
export async function progressRoutes(_app: FastifyInstance, _ctx: AppContext) {}
