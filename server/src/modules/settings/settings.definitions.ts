import { type Static, type TSchema, Type } from 'typebox';
import { ROLES } from '../../../../domain/roles.js';
import { literalUnion } from '../../platform/schema.js';
import { DISCLOSURE_SETTINGS } from './definitions/disclosure.js';
import { MEETING_SETTINGS } from './definitions/meetings.js';
import { WARNING_SETTINGS } from './definitions/warnings.js';

/**
 * Every setting, its schema, default and which administrator owns it (三员分立: system settings
 * belong to the system administrator, security settings to the security administrator).
 */
export const SETTINGS = {
  'security.passwordPolicy': {
    owner: 'settings.security',
    schema: Type.Object(
      {
        minLength: Type.Integer({ minimum: 8, maximum: 64 }),
        minClasses: Type.Integer({ minimum: 1, maximum: 4 }),
        maxAgeDays: Type.Integer({ minimum: 0, maximum: 3650, description: '0 = never expires' }),
      },
      { additionalProperties: false },
    ),
    default: { minLength: 8, minClasses: 3, maxAgeDays: 90 },
  },
  'security.lockout': {
    owner: 'settings.security',
    schema: Type.Object(
      { threshold: Type.Integer({ minimum: 3, maximum: 20 }), minutes: Type.Integer({ minimum: 1, maximum: 1440 }) },
      { additionalProperties: false },
    ),
    default: null, // from config
  },
  'security.session': {
    owner: 'settings.security',
    schema: Type.Object(
      {
        idleMinutes: Type.Integer({ minimum: 5, maximum: 240 }),
        absoluteHours: Type.Integer({ minimum: 1, maximum: 72 }),
      },
      { additionalProperties: false },
    ),
    default: null, // from config
  },
  'security.totpRequiredRoles': {
    owner: 'settings.security',
    schema: Type.Array(literalUnion(ROLES), { maxItems: ROLES.length, uniqueItems: true }),
    default: [] as string[],
  },
  'system.general': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        systemName: Type.String({ minLength: 1, maxLength: 100 }),
        rectificationMonths: Type.Integer({ minimum: 1, maximum: 24 }),
        reminderDaysBefore: Type.Integer({ minimum: 0, maximum: 60 }),
        timezone: Type.String({ minLength: 1, maxLength: 64 }),
      },
      { additionalProperties: false },
    ),
    default: {
      systemName: '巡察整改监督系统',
      rectificationMonths: 3,
      reminderDaysBefore: 7,
      timezone: 'Asia/Shanghai',
    },
  },
  'system.rectification': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        stalledDays: Type.Integer({
          minimum: 1,
          maximum: 365,
          description: 'An open measure without progress for this many days is flagged as stalled',
        }),
        longTermCadence: literalUnion(['monthly', 'quarterly'] as const, {
          description: 'How often long-term measures report after the period ends',
        }),
        recheckMonths: Type.Array(Type.Integer({ minimum: 1, maximum: 60 }), {
          maxItems: 6,
          uniqueItems: true,
          description: 'Months after closure at which 长期坚持 and 建章立制 measures are re-checked',
        }),
      },
      { additionalProperties: false },
    ),
    default: { stalledDays: 30, longTermCadence: 'quarterly', recheckMonths: [6, 12] },
  },
  'system.smtp': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        enabled: Type.Boolean(),
        host: Type.String({ maxLength: 200 }),
        port: Type.Integer({ minimum: 1, maximum: 65535 }),
        secure: Type.Boolean(),
        user: Type.String({ maxLength: 200 }),
        password: Type.Optional(Type.String({ maxLength: 200, description: 'write-only; stored SM4-sealed' })),
        from: Type.String({ maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    default: { enabled: false, host: '', port: 25, secure: false, user: '', from: '' },
  },
  'system.webhook': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        enabled: Type.Boolean(),
        url: Type.String({ maxLength: 500 }),
        secret: Type.Optional(Type.String({ maxLength: 200, description: 'write-only; stored SM4-sealed' })),
      },
      { additionalProperties: false },
    ),
    default: { enabled: false, url: '' },
  },
  // Keys owned by later features, each in its own file.
  ...MEETING_SETTINGS,
  ...WARNING_SETTINGS,
  ...DISCLOSURE_SETTINGS,
} satisfies Record<string, { owner: 'settings.security' | 'settings.system'; schema: TSchema; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = Static<(typeof SETTINGS)[K]['schema']>;
/** Fields never sent back to a client; stored sealed. */
export const WRITE_ONLY_FIELDS = ['password', 'secret'];
