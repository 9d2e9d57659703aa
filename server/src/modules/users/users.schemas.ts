import { Type } from 'typebox';
import { PERMISSIONS, ROLES } from '../../../../domain/roles.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const RoleSchema = literalUnion(ROLES);

/** Shared with the Excel import, so that a sheet and the form accept exactly the same values. */
export const USERNAME_PATTERN = '^[a-z0-9_.-]{3,64}$';
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
export const PHONE_PATTERN = '^[0-9+()\\- ]{3,32}$';
export const DISPLAY_NAME_MAX = 100;
export const EMAIL_MAX = 200;

/** An account as administrators see it: never the password hash or the TOTP secret. */
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  role: RoleSchema,
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  locked: Type.Boolean({ description: 'Locked out by failed sign-ins right now' }),
  passwordChangedAt: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const UserQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Text in username, display name or e-mail' })),
    role: Type.Optional(RoleSchema),
    orgId: Type.Optional(Id),
    disabled: Type.Optional(Type.Boolean()),
    after: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Keyset cursor: last id of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

export const UserPage = Type.Object({
  items: Type.Array(User),
  total: Type.Integer(),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});

const displayName = Type.String({ minLength: 1, maxLength: DISPLAY_NAME_MAX });
const email = Type.Union([Type.String({ maxLength: EMAIL_MAX, pattern: EMAIL_PATTERN }), Type.Null()]);
const phone = Type.Union([Type.String({ maxLength: 32, pattern: PHONE_PATTERN }), Type.Null()]);

export const CreateUser = Type.Object(
  {
    username: Type.String({
      minLength: 3,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_.-]{3,64}$',
      description: 'Stored in lower case',
    }),
    displayName,
    orgId: Id,
    role: RoleSchema,
    email: Type.Optional(email),
    phone: Type.Optional(phone),
  },
  { additionalProperties: false },
);

export const UpdateUser = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    displayName: Type.Optional(displayName),
    orgId: Type.Optional(Id),
    role: Type.Optional(RoleSchema),
    email: Type.Optional(email),
    phone: Type.Optional(phone),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const InitialPassword = Type.String({
  description: 'One-time password, shown once; it must be changed at the first sign-in',
});

export const CreatedUser = Type.Object({ user: User, initialPassword: InitialPassword });
export const ResetPassword = Type.Object({ initialPassword: InitialPassword });

export const RoleInfo = Type.Object({
  role: RoleSchema,
  permissions: Type.Array(literalUnion(PERMISSIONS)),
  scope: Type.Union([Type.Literal('all'), Type.Literal('own'), Type.Literal('liaised'), Type.Literal('none')]),
});
export const RoleList = Type.Object({ items: Type.Array(RoleInfo) });

export const IdParams = Type.Object({ id: Id });
