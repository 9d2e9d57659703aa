import { meetsPolicy, normaliseUsername } from '../../../domain/password.js';
import type { Role } from '../../../domain/roles.js';
import { generateInitialPassword } from '../modules/users/users.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { systemClock } from '../platform/clock.js';
import { createCryptoProvider } from '../platform/crypto.js';
import { openRuntime } from '../runtime.js';
import { type CliCommand, cliActor, EXIT_FAIL, EXIT_OK, parseCommandArgs, UsageError } from './lib/command.js';

const ADMIN_ROLES = ['secadmin', 'sysadmin', 'auditor'] as const satisfies readonly Role[];
type AdminRole = (typeof ADMIN_ROLES)[number];
const ROLE_NAMES: Record<AdminRole, string> = {
  secadmin: '安全管理员',
  sysadmin: '系统管理员',
  auditor: '审计管理员',
};
const USERNAME = /^[a-z0-9_.-]{3,64}$/;

/**
 * Creates an administrator account (三员分立: security, system or audit administrator) from the
 * server's shell: the first one on an empty database (with the root organisation), or an extra one
 * when the only administrator is locked out or gone.
 */
export const command: CliCommand = {
  name: 'create-admin',
  summary: 'Create an administrator account (secadmin, sysadmin or auditor)',
  usage: [
    'npm run cli -- create-admin [--username U] [--password P] [--role secadmin|sysadmin|auditor]',
    '',
    '  --role      secadmin (default, 安全管理员), sysadmin (系统管理员) or auditor (审计管理员)',
    '  --username  default: admin when free, else the role name, else role-2, role-3 …',
    '  --password  must meet the password policy; without it a one-time password is printed once',
    '              and must be changed at first sign-in',
    '',
    'The account belongs to the root organisation (created as on first start when the database is empty).',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' } },
      { min: 0, max: 0 },
    );
    const role = (values.role ?? 'secadmin') as AdminRole;
    if (!ADMIN_ROLES.includes(role)) throw new UsageError(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
    const wanted = values.username === undefined ? null : normaliseUsername(values.username);
    if (wanted !== null && !USERNAME.test(wanted))
      throw new UsageError('--username: 3–64 letters, digits, dot, dash or underscore');

    const { config, database } = await openRuntime(io.env);
    try {
      const { db } = database;
      const crypto = createCryptoProvider(config.masterKey);
      const audit = new AuditService(db, database.dialect, crypto, systemClock);
      await audit.ensureHeads();
      const stored = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'security.passwordPolicy')
        .executeTakeFirst();
      const policy = stored ? JSON.parse(stored.value) : { minLength: 8, minClasses: 3, maxAgeDays: 90 };

      const taken = async (u: string) =>
        !!(await db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirst());
      let username = wanted;
      if (username === null) {
        for (const candidate of ['admin', role, ...Array.from({ length: 98 }, (_, i) => `${role}-${i + 2}`)]) {
          if (!(await taken(candidate))) {
            username = candidate;
            break;
          }
        }
        if (username === null) throw new Error('no free username; give one with --username');
      } else if (await taken(username)) {
        io.err(`create-admin: the username ${username} is taken`);
        return EXIT_FAIL;
      }

      const generated = values.password === undefined;
      const password = values.password ?? generateInitialPassword(policy.minLength, username);
      if (!generated && !meetsPolicy(password, policy, username)) {
        io.err(
          `create-admin: the password does not meet the policy (at least ${policy.minLength} characters from ` +
            `${policy.minClasses} of upper case, lower case, digits, symbols; not a common password; not containing the username)`,
        );
        return EXIT_FAIL;
      }

      const now = systemClock.now();
      const actor = cliActor(io.env);
      await db.transaction().execute(async (trx) => {
        let root = await trx.selectFrom('organisations').select('id').where('code', '=', 'ROOT').executeTakeFirst();
        root ??= await trx
          .selectFrom('organisations')
          .select('id')
          .where('parentId', 'is', null)
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (!root) {
          // As on first start (platform/bootstrap.ts): the root of the organisation tree.
          const org = {
            parentId: null,
            code: 'ROOT',
            name: '中共市委',
            shortName: '市委',
            type: 'party_committee',
            supervisorLine: null,
            sort: 0,
            active: 1,
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
          root = await trx.insertInto('organisations').values(org).returning('id').executeTakeFirstOrThrow();
          await audit.record(trx, actor, {
            action: 'org.create',
            entity: 'organisation',
            entityId: Number(root.id),
            after: org,
          });
        }
        const user = await trx
          .insertInto('users')
          .values({
            username,
            displayName: ROLE_NAMES[role],
            orgId: Number(root.id),
            role,
            email: null,
            phone: null,
            passwordHash: crypto.hashPassword(password),
            passwordChangedAt: now,
            mustChangePassword: generated ? 1 : 0,
            totpSecret: null,
            totpEnabled: 0,
            disabled: 0,
            version: 1,
            createdAt: now,
            updatedAt: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit.record(trx, actor, {
          action: 'user.create',
          entity: 'user',
          entityId: Number(user.id),
          after: { username, role, orgId: Number(root.id), via: 'cli' },
        });
      });

      io.out(`Administrator created: ${username} (${role}, ${ROLE_NAMES[role]})`);
      if (generated) {
        io.out(`  one-time password: ${password}`);
        io.out('  (shown once; it must be changed at first sign-in)');
      }
      return EXIT_OK;
    } finally {
      await database.close();
    }
  },
};
