import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { can } from '../../../../domain/roles.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { literalUnion } from '../../platform/schema.js';
import { SETTINGS, type SettingKey } from './settings.definitions.js';

const Setting = Type.Object({ key: Type.String(), value: Type.Unknown(), version: Type.Integer() });

/** One route pair per owner so that the access table can say who reads and writes what (三员分立). */
export async function settingsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['settings'];

  for (const owner of ['settings.system', 'settings.security'] as const) {
    const area = owner === 'settings.system' ? 'system' : 'security';
    const keys = (Object.keys(SETTINGS) as SettingKey[]).filter((k) => SETTINGS[k].owner === owner);
    const KeyParams = Type.Object({ key: literalUnion(keys) });

    r.get(
      `/settings/${area}`,
      {
        config: { access: owner },
        schema: {
          tags,
          summary: `The ${area} settings`,
          response: { 200: Type.Object({ items: Type.Array(Setting) }) },
        },
      },
      async () => ({ items: await Promise.all(keys.map((k) => ctx.settings.view(k))) }),
    );

    for (const key of keys) {
      r.put(
        `/settings/${area}/${key}`,
        {
          config: { access: owner },
          schema: {
            tags,
            summary: `Change ${key} (send the version you read; 0 when never set)`,
            body: Type.Object(
              { value: SETTINGS[key].schema, version: Type.Integer({ minimum: 0, maximum: 2147483647 }) },
              { additionalProperties: false },
            ),
            response: { 200: Setting },
          },
        },
        async (req) => {
          if (!can(req.actor!.role, owner)) throw new AppError(403, 'FORBIDDEN');
          await ctx.settings.set(req.auditCtx, key, req.body.value as Record<string, unknown>, req.body.version);
          return ctx.settings.view(key);
        },
      );
    }
    void KeyParams;
  }
}
