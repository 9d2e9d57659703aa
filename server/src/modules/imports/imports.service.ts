import type { Locale } from '../../../../domain/errors.js';
import {
  codeFromCell,
  type ImportMessageKey,
  importMessage,
  ORG_TYPE_LABELS,
  ROLE_LABELS,
  SUPERVISOR_LINE_LABELS,
} from '../../../../domain/import-messages.js';
import { normaliseUsername } from '../../../../domain/password.js';
import type { OrgType, Role, SupervisorLine } from '../../../../domain/roles.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { type CryptoProvider, createCryptoProvider } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { type NewUser, UserRepository } from '../users/users.repository.js';
import { DISPLAY_NAME_MAX, EMAIL_MAX, EMAIL_PATTERN, PHONE_PATTERN, USERNAME_PATTERN } from '../users/users.schemas.js';
import { generateInitialPassword, isUniqueViolation } from '../users/users.service.js';
import { ImportRepository, type NewOrganisation } from './imports.repository.js';
import {
  type AllowedValue,
  assertPlainXlsx,
  type ColumnDef,
  columnLetter,
  loadWorkbook,
  readSheet,
  type SheetCell,
  type SheetRow,
  templateWorkbook,
} from './imports.workbook.js';

export const ORG_COLUMNS = [
  { field: 'code', header: '编码 code', required: true, width: 18 },
  { field: 'name', header: '名称 name', required: true, width: 36 },
  { field: 'parentCode', header: '上级编码 parent code', required: false, width: 20 },
  { field: 'type', header: '类型 type', required: true, width: 22 },
  { field: 'supervisorLine', header: '监督条线 supervisor line', required: false, width: 24 },
  { field: 'sort', header: '排序 sort', required: false, width: 10 },
  { field: 'shortName', header: '简称 short name', required: false, width: 20 },
] as const satisfies readonly ColumnDef<string>[];
type OrgField = (typeof ORG_COLUMNS)[number]['field'];

export const USER_COLUMNS = [
  { field: 'username', header: '用户名 username', required: true, width: 20 },
  { field: 'displayName', header: '姓名 display name', required: true, width: 20 },
  { field: 'orgCode', header: '单位编码 org code', required: true, width: 18 },
  { field: 'role', header: '角色 role', required: true, width: 22 },
  { field: 'email', header: '邮箱 email', required: false, width: 28 },
  { field: 'phone', header: '手机 phone', required: false, width: 18 },
] as const satisfies readonly ColumnDef<string>[];
type UserField = (typeof USER_COLUMNS)[number]['field'];

/** At most this many row errors are listed (the count says how many there were). */
const MAX_LISTED_ERRORS = 1000;

/**
 * PBKDF2 cost of the one-time passwords of a bulk import. Key stretching protects passwords people
 * choose; these are random, ≥ 16 characters of 66 (≈ 97 bits), so 2^97 guesses stay out of reach
 * at any cost, as with the API tokens that are stored as a single HMAC. At the full cost
 * (100,000 iterations, ~55 ms each) 10,000 accounts would take ten minutes. The stored hash
 * records its own cost, so sign-in verifies it unchanged; the account must change the password at
 * its first sign-in, and the password the user chooses then is hashed at the full cost.
 */
export const ONE_TIME_PBKDF2_ITERATIONS = 100;

export interface RowError {
  row: number;
  column: string;
  field: string;
  message: string;
}

export interface UploadedFile {
  buffer: Buffer;
  filename: string | undefined;
}

const ORG_CODE_PATTERN = /^[A-Za-z0-9_.-]+$/;

class RowErrors {
  readonly list: RowError[] = [];
  constructor(private readonly locale: Locale) {}

  add(row: number, cell: SheetCell, field: string, key: ImportMessageKey, params: Record<string, unknown> = {}) {
    this.list.push({ row, column: cell.column, field, message: importMessage(key, this.locale, params) });
  }

  /** Nothing is written when any row is wrong: every error is reported at once. */
  throwIfAny() {
    if (!this.list.length) return;
    const byColumn = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...this.list].sort((a, b) => a.row - b.row || byColumn(a.column, b.column));
    throw new AppError(
      400,
      'IMPORT_ROWS_INVALID',
      { count: sorted.length },
      { errors: sorted.slice(0, MAX_LISTED_ERRORS), truncated: sorted.length > MAX_LISTED_ERRORS },
    );
  }
}

/** A concurrent writer took a code or username between the check and the insert: 409, not 500. */
async function duplicateAs<T>(field: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError(409, 'DUPLICATE', { field });
    throw e;
  }
}

const shown = (v: string) => (v.length > 50 ? `${v.slice(0, 50)}…` : v);

function allowedValues<C extends string>(
  header: string,
  labels: Record<C, { 'zh-CN': string; 'zh-TW': string; en: string }>,
): AllowedValue[] {
  return (Object.entries(labels) as [C, AllowedValue['labels']][]).map(([code, l]) => ({
    field: header,
    code,
    labels: l,
  }));
}

export class ImportService {
  private readonly repo = new ImportRepository();
  private readonly users = new UserRepository();
  private readonly oneTime: CryptoProvider;

  constructor(private readonly ctx: AppContext) {
    this.oneTime = createCryptoProvider(ctx.config.masterKey, { pbkdf2Iterations: ONE_TIME_PBKDF2_ITERATIONS });
  }

  orgTemplate(): Promise<Buffer> {
    return templateWorkbook(
      '单位 organisations',
      ORG_COLUMNS,
      [
        ...allowedValues(ORG_COLUMNS[3].header, ORG_TYPE_LABELS),
        ...allowedValues(ORG_COLUMNS[4].header, SUPERVISOR_LINE_LABELS),
      ],
      [
        '类型、监督条线可填代码或任一语言的名称 / Type and supervisor line: the code or any of its names',
        '上级编码：系统中已有的单位，或本文件中任一行的单位；留空为顶级 / Parent code: an organisation in the system or anywhere in this file; empty for a top-level one',
        '任一行有误则整个文件不导入 / If any row is wrong, nothing is imported',
      ],
    );
  }

  userTemplate(): Promise<Buffer> {
    return templateWorkbook('用户 users', USER_COLUMNS, allowedValues(USER_COLUMNS[3].header, ROLE_LABELS), [
      '角色可填代码或任一语言的名称 / Role: the code or any of its names',
      '单位编码：系统中已有的单位 / Org code: an organisation that exists in the system',
      '初始密码在导入后显示一次，首次登录须修改 / One-time passwords are shown once after the import and must be changed at the first sign-in',
      '任一行有误则整个文件不导入 / If any row is wrong, nothing is imported',
    ]);
  }

  private async sheet<F extends string>(file: UploadedFile, columns: readonly ColumnDef<F>[], errors: RowErrors) {
    assertPlainXlsx(file.buffer, file.filename);
    const wb = await loadWorkbook(file.buffer);
    const { rows, missing } = readSheet(wb.worksheets[0]!, columns);
    for (const m of missing) {
      const column = columnLetter(columns.indexOf(m) + 1);
      errors.add(1, { text: '', column }, m.field, 'MISSING_COLUMN', { header: m.header });
    }
    if (!missing.length && !rows.length) errors.add(2, { text: '', column: 'A' }, columns[0]!.field, 'NO_ROWS');
    errors.throwIfAny();
    return rows;
  }

  async importOrganisations(actor: Actor, audit: AuditContext, locale: Locale, file: UploadedFile) {
    const errors = new RowErrors(locale);
    const rows: SheetRow<OrgField>[] = await this.sheet(file, ORG_COLUMNS, errors);
    const existing = await this.repo.orgCodes(this.ctx.db);

    interface Candidate {
      row: number;
      code: string;
      name: string;
      shortName: string | null;
      parentCode: string | null;
      parentCell: SheetCell;
      type: OrgType;
      supervisorLine: SupervisorLine | null;
      sort: number;
    }
    const candidates: Candidate[] = [];
    const firstRowOf = new Map<string, number>();
    const byCode = new Map<string, Candidate>();

    for (const { row, cells } of rows) {
      const code = cells.code.text.normalize('NFKC');
      if (!code) errors.add(row, cells.code, 'code', 'REQUIRED');
      else if (code.length > 64) errors.add(row, cells.code, 'code', 'TOO_LONG', { max: 64 });
      else if (!ORG_CODE_PATTERN.test(code)) errors.add(row, cells.code, 'code', 'BAD_CODE');
      else if (firstRowOf.has(code))
        errors.add(row, cells.code, 'code', 'DUPLICATE_IN_FILE', { row: firstRowOf.get(code) });
      else if (existing.has(code)) errors.add(row, cells.code, 'code', 'EXISTS', { value: code });
      if (code && !firstRowOf.has(code)) firstRowOf.set(code, row);

      const name = cells.name.text;
      if (!name) errors.add(row, cells.name, 'name', 'REQUIRED');
      else if (name.length > 200) errors.add(row, cells.name, 'name', 'TOO_LONG', { max: 200 });

      const shortName = cells.shortName.text;
      if (shortName.length > 100) errors.add(row, cells.shortName, 'shortName', 'TOO_LONG', { max: 100 });

      const type = codeFromCell(cells.type.text, ORG_TYPE_LABELS);
      if (!cells.type.text) errors.add(row, cells.type, 'type', 'REQUIRED');
      else if (!type) errors.add(row, cells.type, 'type', 'NOT_ALLOWED', { value: shown(cells.type.text) });

      const lineText = cells.supervisorLine.text;
      const line = lineText ? codeFromCell(lineText, SUPERVISOR_LINE_LABELS) : undefined;
      if (lineText && !line)
        errors.add(row, cells.supervisorLine, 'supervisorLine', 'NOT_ALLOWED', { value: shown(lineText) });

      let sort = 0;
      const sortText = cells.sort.text;
      if (sortText) {
        sort = Number(sortText);
        if (!/^\d+(\.0+)?$/.test(sortText) || !Number.isInteger(sort) || sort > 1_000_000)
          errors.add(row, cells.sort, 'sort', 'NOT_INTEGER', { min: 0, max: 1_000_000 });
      }

      const c: Candidate = {
        row,
        code,
        name,
        shortName: shortName || null,
        parentCode: cells.parentCode.text.normalize('NFKC') || null,
        parentCell: cells.parentCode,
        type: type ?? 'other',
        supervisorLine: line ?? null,
        sort,
      };
      candidates.push(c);
      if (code && firstRowOf.get(code) === row) byCode.set(code, c);
    }

    // Parents: in the system, or anywhere in this file (before or after the row) — without cycles.
    const inFileParent = new Map<string, string>();
    for (const c of candidates) {
      if (!c.parentCode) continue;
      if (existing.has(c.parentCode)) continue;
      if (!byCode.has(c.parentCode))
        errors.add(c.row, c.parentCell, 'parentCode', 'PARENT_NOT_FOUND', { value: shown(c.parentCode) });
      else if (byCode.get(c.code) === c) inFileParent.set(c.code, c.parentCode);
    }
    const state = new Map<string, 'walking' | 'done'>();
    for (const start of inFileParent.keys()) {
      if (state.has(start)) continue;
      const path: string[] = [];
      let cur: string | undefined = start;
      while (cur !== undefined && !state.has(cur)) {
        state.set(cur, 'walking');
        path.push(cur);
        cur = inFileParent.get(cur);
      }
      if (cur !== undefined && state.get(cur) === 'walking') {
        for (const code of path.slice(path.indexOf(cur))) {
          const c = byCode.get(code)!;
          errors.add(c.row, c.parentCell, 'parentCode', 'PARENT_CYCLE');
        }
      }
      for (const code of path) state.set(code, 'done');
    }
    errors.throwIfAny();

    // Parent-first: level 0 hangs below the system's organisations (or nothing), level n+1 below level n.
    const children = new Map<string, Candidate[]>();
    let level: Candidate[] = [];
    for (const c of candidates) {
      const p = c.parentCode;
      if (p && !existing.has(p)) {
        const list = children.get(p);
        if (list) list.push(c);
        else children.set(p, [c]);
      } else level.push(c);
    }
    const now = this.ctx.clock.now();
    const count = await duplicateAs('code', () =>
      this.ctx.db.transaction().execute(async (trx) => {
        const ids = new Map(existing);
        let written = 0;
        while (level.length) {
          const values: NewOrganisation[] = level.map((c) => ({
            parentId: c.parentCode ? ids.get(c.parentCode)! : null,
            code: c.code,
            name: c.name,
            shortName: c.shortName,
            type: c.type,
            supervisorLine: c.supervisorLine,
            sort: c.sort,
            active: 1,
            version: 1,
            createdAt: now,
            updatedAt: now,
          }));
          for (const [code, id] of await this.repo.insertOrganisations(trx, values)) ids.set(code, id);
          written += values.length;
          level = level.flatMap((c) => children.get(c.code) ?? []);
        }
        await this.ctx.audit.record(trx, audit, {
          action: 'org.import',
          entity: 'organisation',
          after: { count: written, file: file.filename?.slice(0, 200) ?? null },
        });
        return written;
      }),
    );
    void actor;
    return { imported: count };
  }

  async importUsers(actor: Actor, audit: AuditContext, locale: Locale, file: UploadedFile) {
    const errors = new RowErrors(locale);
    const rows: SheetRow<UserField>[] = await this.sheet(file, USER_COLUMNS, errors);
    const [orgs, taken] = await Promise.all([this.repo.orgCodes(this.ctx.db), this.users.allUsernames(this.ctx.db)]);
    const usernamePattern = new RegExp(USERNAME_PATTERN);
    const emailPattern = new RegExp(EMAIL_PATTERN);
    const phonePattern = new RegExp(PHONE_PATTERN);

    interface Candidate {
      username: string;
      displayName: string;
      orgId: number;
      role: Role;
      email: string | null;
      phone: string | null;
    }
    const candidates: Candidate[] = [];
    const firstRowOf = new Map<string, number>();

    for (const { row, cells } of rows) {
      const username = normaliseUsername(cells.username.text);
      if (!username) errors.add(row, cells.username, 'username', 'REQUIRED');
      else if (!usernamePattern.test(username)) errors.add(row, cells.username, 'username', 'BAD_USERNAME');
      else if (firstRowOf.has(username))
        errors.add(row, cells.username, 'username', 'DUPLICATE_IN_FILE', { row: firstRowOf.get(username) });
      else if (taken.has(username)) errors.add(row, cells.username, 'username', 'EXISTS', { value: username });
      if (username && !firstRowOf.has(username)) firstRowOf.set(username, row);

      const displayName = cells.displayName.text;
      if (!displayName) errors.add(row, cells.displayName, 'displayName', 'REQUIRED');
      else if (displayName.length > DISPLAY_NAME_MAX)
        errors.add(row, cells.displayName, 'displayName', 'TOO_LONG', { max: DISPLAY_NAME_MAX });

      const orgCode = cells.orgCode.text.normalize('NFKC');
      const orgId = orgs.get(orgCode);
      if (!orgCode) errors.add(row, cells.orgCode, 'orgCode', 'REQUIRED');
      else if (orgId === undefined)
        errors.add(row, cells.orgCode, 'orgCode', 'ORG_NOT_FOUND', { value: shown(orgCode) });

      const role = codeFromCell(cells.role.text, ROLE_LABELS);
      if (!cells.role.text) errors.add(row, cells.role, 'role', 'REQUIRED');
      else if (!role) errors.add(row, cells.role, 'role', 'NOT_ALLOWED', { value: shown(cells.role.text) });

      const email = cells.email.text;
      if (email.length > EMAIL_MAX) errors.add(row, cells.email, 'email', 'TOO_LONG', { max: EMAIL_MAX });
      else if (email && !emailPattern.test(email)) errors.add(row, cells.email, 'email', 'BAD_EMAIL');

      const phone = cells.phone.text;
      if (phone && !phonePattern.test(phone)) errors.add(row, cells.phone, 'phone', 'BAD_PHONE');

      candidates.push({
        username,
        displayName,
        orgId: orgId ?? 0,
        role: role ?? 'unit',
        email: email || null,
        phone: phone || null,
      });
    }
    errors.throwIfAny();

    const policy = await this.ctx.settings.get('security.passwordPolicy');
    const now = this.ctx.clock.now();
    const accounts: { username: string; initialPassword: string }[] = [];
    const values: NewUser[] = [];
    for (const c of candidates) {
      const initialPassword = generateInitialPassword(policy.minLength, c.username);
      accounts.push({ username: c.username, initialPassword });
      values.push({
        ...c,
        passwordHash: this.oneTime.hashPassword(initialPassword),
        passwordChangedAt: now,
        mustChangePassword: 1,
        totpSecret: null,
        totpEnabled: 0,
        disabled: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      // Let other requests in between while thousands of hashes are computed.
      if (values.length % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await duplicateAs('username', () =>
      this.ctx.db.transaction().execute(async (trx) => {
        await this.users.insertMany(trx, values);
        await this.ctx.audit.record(trx, audit, {
          action: 'user.import',
          entity: 'user',
          after: { count: values.length, file: file.filename?.slice(0, 200) ?? null },
        });
      }),
    );
    void actor;
    return { imported: values.length, accounts };
  }
}
