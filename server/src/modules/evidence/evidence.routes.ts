import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the evidence feature (being written in this change). */
export async function evidenceRoutes(_app: FastifyInstance, _ctx: AppContext) {}
