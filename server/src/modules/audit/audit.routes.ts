import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';

const AuditRow = Type.Object({
  seq: Type.Integer(),
  at: Type.Integer(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.Union([Type.String(), Type.Null()]),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Union([Type.String(), Type.Null()]),
  after: Type.Union([Type.String(), Type.Null()]),
  result: Type.String(),
  hash: Type.String(),
});

const AuditQuery = Type.Object(
  {
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'Keyset cursor: show rows with a smaller seq',
      }),
    ),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 80, description: 'Prefix, e.g. auth. or org.create' })),
    entity: Type.Optional(Type.String({ maxLength: 60 })),
    from: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    to: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

/** M16: read by the audit administrator only (the access table gives audit.read to no one else). */
export async function auditRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['audit'];
  r.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags,
        summary: 'The audit log, newest first',
        querystring: AuditQuery,
        response: {
          200: Type.Object({ items: Type.Array(AuditRow), nextCursor: Type.Union([Type.Integer(), Type.Null()]) }),
        },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const rows = await ctx.audit.repo.page(ctx.db, {
        beforeSeq: req.query.before,
        actor: req.query.actor,
        action: req.query.action,
        entity: req.query.entity,
        from: req.query.from,
        to: req.query.to,
        limit,
      });
      const items = rows.map((x) => ({
        ...x,
        seq: Number(x.seq),
        at: Number(x.at),
        actorId: x.actorId === null ? null : Number(x.actorId),
      }));
      return { items, nextCursor: items.length === limit ? items[items.length - 1]!.seq : null };
    },
  );
  r.get(
    '/audit/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        tags,
        summary: 'Verify the SM3 hash chain of the whole log',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            firstBad: Type.Optional(
              Type.Object({
                position: Type.Integer(),
                seq: Type.Integer(),
                reason: Type.String(),
                chain: Type.Optional(Type.Integer({ description: 'the hash chain the damage is on (PostgreSQL)' })),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const result = await ctx.audit.verify();
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'audit.verify',
        entity: 'audit_log',
        after: { ok: result.ok, checked: result.checked },
      });
      return result;
    },
  );
}
