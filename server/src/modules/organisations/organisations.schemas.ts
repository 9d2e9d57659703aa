import { Type } from 'typebox';
import { ORG_TYPES, SUPERVISOR_LINES } from '../../../../domain/roles.js';
import { literalUnion } from '../../platform/schema.js';

const OrgType = literalUnion(ORG_TYPES);
const Line = Type.Union([literalUnion(SUPERVISOR_LINES), Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const Organisation = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  code: Type.String(),
  name: Type.String(),
  shortName: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  supervisorLine: Type.Union([Type.String(), Type.Null()]),
  sort: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const OrganisationQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Text in name, short name or code' })),
    type: Type.Optional(OrgType),
    parentId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
    after: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Keyset cursor: last id of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

export const OrganisationPage = Type.Object({
  items: Type.Array(Organisation),
  total: Type.Integer(),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});

const name = Type.String({ minLength: 1, maxLength: 200 });
const code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });

export const CreateOrganisation = Type.Object(
  {
    parentId: Type.Union([Id, Type.Null()]),
    code,
    name,
    shortName: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    type: OrgType,
    supervisorLine: Type.Optional(Line),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  },
  { additionalProperties: false },
);

export const UpdateOrganisation = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    code: Type.Optional(code),
    name: Type.Optional(name),
    shortName: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    type: Type.Optional(OrgType),
    supervisorLine: Type.Optional(Line),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const LiaisonLink = Type.Object({
  id: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  supervisorOrgId: Type.Integer(),
  supervisorName: Type.String(),
  supervisorLine: Type.Union([Type.String(), Type.Null()]),
  categories: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Type.Integer(),
});

export const LiaisonQuery = Type.Object(
  { unitOrgId: Type.Optional(Id), supervisorOrgId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const CreateLiaisonLink = Type.Object(
  {
    unitOrgId: Id,
    supervisorOrgId: Id,
    categories: Type.Optional(
      Type.Union([
        Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), { maxItems: 50 }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Id });
