import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** Routes of the disclosure feature under /api/v1. */
export async function disclosureRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
