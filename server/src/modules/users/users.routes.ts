import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import {
  CreatedUser,
  CreateUser,
  IdParams,
  ResetPassword,
  RoleList,
  UpdateUser,
  User,
  UserPage,
  UserQuery,
} from './users.schemas.js';
import { UserService } from './users.service.js';

/** M1 accounts, kept by the security administrator (三员分立); the office may read them. */
export async function userRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new UserService(ctx);
  const tags = ['users'];

  r.get(
    '/users',
    {
      config: { access: 'user.read' },
      schema: {
        tags,
        summary: 'Accounts in scope (keyset paged)',
        querystring: UserQuery,
        response: { 200: UserPage },
      },
    },
    async (req) => svc.list(req.actor!, req.query),
  );
  r.get(
    '/users/:id',
    {
      config: { access: 'user.read' },
      schema: { tags, summary: 'One account', params: IdParams, response: { 200: User } },
    },
    async (req) => svc.get(req.actor!, req.params.id),
  );
  r.post(
    '/users',
    {
      config: { access: 'user.write' },
      schema: {
        tags,
        summary: 'Create an account with a one-time password (shown once, changed at first sign-in)',
        body: CreateUser,
        response: { 201: CreatedUser },
      },
    },
    async (req, reply) => {
      reply.status(201).header('cache-control', 'no-store');
      return svc.create(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/users/:id',
    {
      config: { access: 'user.write' },
      schema: {
        tags,
        summary:
          'Change an account (optimistic: send the version you read). Disabling it or changing its role or organisation ends its sessions',
        params: IdParams,
        body: UpdateUser,
        response: { 200: User },
      },
    },
    async (req) => svc.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/users/:id/reset-password',
    {
      config: { access: 'user.write' },
      schema: {
        tags,
        summary: 'Give an account a new one-time password (ends its sessions; not your own)',
        params: IdParams,
        response: { 200: ResetPassword },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return svc.resetPassword(req.actor!, req.auditCtx, req.params.id);
    },
  );
  r.post(
    '/users/:id/reset-totp',
    {
      config: { access: 'user.write' },
      schema: {
        tags,
        summary: 'Clear the TOTP second factor of an account (ends its sessions; not your own)',
        params: IdParams,
        response: { 200: User },
      },
    },
    async (req) => svc.resetTotp(req.actor!, req.auditCtx, req.params.id),
  );
  r.post(
    '/users/:id/unlock',
    {
      config: { access: 'user.write' },
      schema: {
        tags,
        summary: 'Lift a lockout after failed sign-ins',
        params: IdParams,
        response: { 200: User },
      },
    },
    async (req) => svc.unlock(req.actor!, req.auditCtx, req.params.id),
  );

  r.get(
    '/roles',
    {
      config: { access: 'user.read' },
      schema: {
        tags,
        summary: 'Roles, their permissions and data scope (read-only; defined in domain/roles.ts)',
        response: { 200: RoleList },
      },
    },
    async () => svc.roles(),
  );
}
