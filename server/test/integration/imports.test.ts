import crypto from 'node:crypto';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClasses } from '../../../domain/password.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const ORG_HEADERS = [
  '编码 code',
  '名称 name',
  '上级编码 parent code',
  '类型 type',
  '监督条线 supervisor line',
  '排序 sort',
];
const USER_HEADERS = [
  '用户名 username',
  '姓名 display name',
  '单位编码 org code',
  '角色 role',
  '邮箱 email',
  '手机 phone',
];
type Cell = string | number | null;

/** An .xlsx in memory: headers in row 1, then the rows. */
async function workbook(headers: string[], rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body with one file, built by hand. */
function multipart(filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = `----rectify${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(agent: Agent, url: string, filename: string, content: Buffer, headers: Record<string, string> = {}) {
  const m = multipart(filename, content);
  return agent.request('POST', url, m.body, { 'content-type': m.contentType, ...headers });
}

/** The parts of a zip (all of them inflated). */
function unzip(buf: Buffer): Map<string, Buffer> {
  let end = buf.length - 22;
  while (buf.readUInt32LE(end) !== 0x06054b50) end--;
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const parts = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    parts.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return parts;
}

/** A zip of the given parts, stored uncompressed. */
function zip(parts: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of parts) {
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.size, 8);
  eocd.writeUInt16LE(parts.size, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A real workbook turned macro-enabled, as Excel saves an .xlsm. */
async function macroWorkbook(rows: Cell[][]): Promise<Buffer> {
  const parts = unzip(await workbook(ORG_HEADERS, rows));
  const types = parts
    .get('[Content_Types].xml')!
    .toString('utf8')
    .replace(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
    )
    .replace('</Types>', '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>');
  parts.set('[Content_Types].xml', Buffer.from(types));
  parts.set('xl/vbaProject.bin', crypto.randomBytes(512));
  return zip(parts);
}

const orgCount = async (t: TestApp) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const userCount = async (t: TestApp) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(DIALECTS)('Excel imports on %s', (dialect) => {
  let t: TestApp;
  let sec: Agent;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.createOrg({ code: 'SUP', name: '市纪委监委', type: 'supervisor', supervisorLine: 'discipline' });
    await t.createUser({ username: 'sec', role: 'secadmin' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'liaison', role: 'unit' });
    sec = await t.login('sec');
  });
  afterAll(() => t.close());

  it('serves both templates: bilingual headers and a sheet of allowed values', async () => {
    for (const [url, headers, code] of [
      ['/api/v1/imports/organisations/template', ORG_HEADERS, 'inspected_unit'],
      ['/api/v1/imports/users/template', USER_HEADERS, 'secadmin'],
    ] as const) {
      const r = await sec.get(url);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml.sheet');
      expect(r.headers['content-disposition']).toMatch(/^attachment; filename="[a-z-]+\.xlsx"; filename\*=UTF-8''/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as any);
      const [data, allowed] = wb.worksheets;
      const row1 = (data!.getRow(1).values as Cell[]).slice(1);
      expect(row1.slice(0, headers.length)).toEqual(headers);
      const codes = allowed!.getColumn(2).values as Cell[];
      expect(codes).toContain(code);
    }
    const office = await t.login('office');
    expect((await office.get('/api/v1/imports/users/template')).statusCode).toBe(403);
  });

  it('imports organisations whose parents are in the system or anywhere in the file', async () => {
    const before = await orgCount(t);
    const file = await workbook(ORG_HEADERS, [
      ['D01', '区县一', 'ROOT', '党委', null, 1],
      ['D01-U01', '区县一 住建局', 'D01', 'inspected_unit', null, 2],
      ['D02-U01', '区县二 财政局', 'D02', '被巡察單位', null, null], // parent defined further down; zh-TW label
      ['D02', '区县二', null, 'party_committee', null, 3],
      ['D02-S', '区县二 宣传部', 'D02', 'supervisor', '宣传部', 4],
      ['D01-U01-X', '下属单位', 'D01-U01', 'Other', 'audit', 0],
    ]);
    const r = await upload(sec, '/api/v1/imports/organisations', 'orgs.xlsx', file);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ imported: 6 });
    expect(await orgCount(t)).toBe(before + 6);

    const rows = await t.ctx.db.selectFrom('organisations').selectAll().execute();
    const byCode = new Map(rows.map((o) => [o.code, o]));
    const id = (code: string) => Number(byCode.get(code)!.id);
    expect(Number(byCode.get('D01')!.parentId)).toBe(t.rootOrgId);
    expect(Number(byCode.get('D01-U01')!.parentId)).toBe(id('D01'));
    expect(Number(byCode.get('D02-U01')!.parentId)).toBe(id('D02'));
    expect(byCode.get('D02')!.parentId).toBeNull();
    expect(Number(byCode.get('D01-U01-X')!.parentId)).toBe(id('D01-U01'));
    expect(byCode.get('D01')).toMatchObject({
      name: '区县一',
      type: 'party_committee',
      sort: 1,
      active: 1,
      version: 1,
    });
    expect(byCode.get('D02-U01')).toMatchObject({ type: 'inspected_unit', sort: 0 });
    expect(byCode.get('D02-S')).toMatchObject({ type: 'supervisor', supervisorLine: 'propaganda' });
    // Parent first: every parent has a smaller id than its children.
    for (const code of ['D01-U01', 'D02-U01', 'D02-S', 'D01-U01-X'])
      expect(Number(byCode.get(code)!.parentId)).toBeLessThan(id(code));

    const audit = await t.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'org.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toEqual({ count: 6, file: 'orgs.xlsx' });
    expect(audit[0]!.actorName).toBe('sec');
  });

  it('imports nothing when three rows are wrong and names exactly those rows and columns', async () => {
    const before = await orgCount(t);
    const auditBefore = await t.ctx.db.selectFrom('auditLog').select('seq').execute();
    const file = await workbook(ORG_HEADERS, [
      ['E01', '好单位一', 'ROOT', 'inspected_unit', null, 1], // row 2
      ['E02', '坏类型', 'ROOT', 'ministry', null, 2], // row 3: type (D)
      ['E03', '好单位二', 'E01', 'inspected_unit', null, 3], // row 4
      ['E04', '无上级', 'NOPE', 'inspected_unit', null, 4], // row 5: parent code (C)
      ['E01', '重复编码', 'ROOT', 'inspected_unit', null, 5], // row 6: code (A), same as row 2
      ['E05', '好单位三', null, 'other', 'discipline', 6], // row 7
    ]);
    const r = await upload(sec, '/api/v1/imports/organisations', 'bad.xlsx', file, { 'accept-language': 'en' });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const body = r.json();
    expect(body.code).toBe('IMPORT_ROWS_INVALID');
    expect(body.detail).toBe('3 errors; nothing was imported');
    expect(body.errors.map((e: any) => [e.row, e.column, e.field])).toEqual([
      [3, 'D', 'type'],
      [5, 'C', 'parentCode'],
      [6, 'A', 'code'],
    ]);
    expect(body.errors[0].message).toBe('"ministry" is not an allowed value; see the "allowed values" sheet');
    expect(body.errors[2].message).toBe('Same as row 2');
    expect(await orgCount(t)).toBe(before);
    expect(await t.ctx.db.selectFrom('auditLog').select('seq').execute()).toHaveLength(auditBefore.length);
  });

  it('checks every cell: required values, lengths, numbers, existing codes and parent cycles', async () => {
    const file = await workbook(ORG_HEADERS, [
      ['ROOT', '已存在', null, 'other', null, null], // 2: A exists
      ['', '', null, '', null, null, 'x'], // 3: fully empty in known columns → skipped
      [null, '缺编码', null, 'other', null, null], // 4: A required
      ['bad code!', 'x'.repeat(201), null, 'other', 'nowhere', -1], // 5: A, B, E, F
      ['C1', '循环一', 'C2', 'other', null, null], // 6: C cycle
      ['C2', '循环二', 'C1', 'other', null, null], // 7: C cycle
      ['SELF', '自己', 'SELF', 'other', null, 1.5], // 8: C cycle, F
    ]);
    const r = await upload(sec, '/api/v1/imports/organisations', 'cells.xlsx', file);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().errors.map((e: any) => `${e.row}${e.column}`)).toEqual([
      '2A',
      '4A',
      '5A',
      '5B',
      '5E',
      '5F',
      '6C',
      '7C',
      '8C',
      '8F',
    ]);
  });

  it('answers the row errors in the language of the request', async () => {
    const file = await workbook(ORG_HEADERS, [['L1', '', null, 'other', null, null]]);
    const msg = async (lang: string) =>
      (await upload(sec, '/api/v1/imports/organisations', 'lang.xlsx', file, { 'accept-language': lang })).json();
    const [cn, tw, en] = [await msg('zh-CN'), await msg('zh-TW,zh;q=0.9'), await msg('en-GB')];
    expect(cn.errors[0]).toMatchObject({ row: 2, column: 'B', field: 'name', message: '不能为空' });
    expect(tw.errors[0].message).toBe('不能為空');
    expect(en.errors[0].message).toBe('Required');
    expect(new Set([cn.detail, tw.detail, en.detail]).size).toBe(3);
  });

  it('reports a missing column and a file without data rows', async () => {
    const noType = await workbook(['编码 code', '名称 name'], [['M1', '缺列']]);
    const r1 = await upload(sec, '/api/v1/imports/organisations', 'cols.xlsx', noType, { 'accept-language': 'en' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().errors).toEqual([
      { row: 1, column: 'D', field: 'type', message: 'Column "类型 type" is missing (use the import template)' },
    ]);
    const empty = await workbook(ORG_HEADERS, []);
    const r2 = await upload(sec, '/api/v1/imports/organisations', 'empty.xlsx', empty, { 'accept-language': 'en' });
    expect(r2.json().errors).toEqual([{ row: 2, column: 'A', field: 'code', message: 'The file has no data rows' }]);
  });

  it('finds the columns by their headers in any order', async () => {
    const file = await workbook(['type', '名称', 'code'], [['other', '换序单位', 'ORDER1']]);
    const r = await upload(sec, '/api/v1/imports/organisations', 'order.xlsx', file);
    expect(r.statusCode, r.body).toBe(200);
    const org = await t.ctx.db.selectFrom('organisations').selectAll().where('code', '=', 'ORDER1').executeTakeFirst();
    expect(org).toMatchObject({ name: '换序单位', type: 'other', parentId: null });
  });

  it('refuses what is not a plain .xlsx workbook', async () => {
    const good = await workbook(ORG_HEADERS, [['F1', '文件', null, 'other', null, null]]);
    const before = await orgCount(t);
    const cases: [string, string, Buffer][] = [
      ['a text file renamed .xlsx', 'notes.xlsx', Buffer.from('编码,名称\nF1,文件\n')],
      ['a PDF', 'report.xlsx', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n')],
      ['a workbook under another name', 'orgs.csv', good],
      ['a macro-enabled workbook', 'macros.xlsm', await macroWorkbook([['F1', '宏', null, 'other', null, null]])],
      [
        'a macro-enabled workbook renamed .xlsx',
        'macros.xlsx',
        await macroWorkbook([['F1', '宏', null, 'other', null, null]]),
      ],
      ['a zip that is no workbook', 'archive.xlsx', zip(new Map([['readme.txt', Buffer.from('hello')]]))],
      ['a truncated workbook', 'cut.xlsx', good.subarray(0, Math.floor(good.length / 2))],
      [
        'a zip with broken workbook parts',
        'broken.xlsx',
        zip(
          new Map([
            ['[Content_Types].xml', Buffer.from('<Types/>')],
            ['xl/workbook.xml', Buffer.from('<not xml')],
          ]),
        ),
      ],
      ['an empty file', 'empty.xlsx', Buffer.alloc(0)],
    ];
    for (const [what, name, content] of cases) {
      const r = await upload(sec, '/api/v1/imports/organisations', name, content, { 'accept-language': 'en' });
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.json().code, what).toBe('IMPORT_INVALID_FILE');
      expect(r.json().detail).toBe('The file is not a valid .xlsx workbook');
    }
    expect(await orgCount(t)).toBe(before);

    const json = await sec.post('/api/v1/imports/organisations', { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a file over 20 MB', async () => {
    const big = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(20 * 1024 * 1024)]);
    const r = await upload(sec, '/api/v1/imports/organisations', 'big.xlsx', big);
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a zip bomb before ExcelJS inflates it', async () => {
    const parts = unzip(await workbook(ORG_HEADERS, [['Z1', '炸弹', null, 'other', null, null]]));
    const bomb = zlib.deflateRawSync(Buffer.alloc(120 * 1024 * 1024, 0x20));
    // A deflated part whose inflated size is far beyond the limit, written with method 8.
    const file = zip(parts);
    const entry = Buffer.from('xl/worksheets/sheet9.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(bomb.length, 18);
    local.writeUInt32LE(1000, 22);
    local.writeUInt16LE(entry.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(bomb.length, 20);
    central.writeUInt32LE(1000, 24); // lies about its size
    central.writeUInt16LE(entry.length, 28);
    // Rebuild: the original parts, then the bomb, then a central directory listing all of them.
    const eocdAt = file.length - 22;
    const cdSize = file.readUInt32LE(eocdAt + 12);
    const cdAt = file.readUInt32LE(eocdAt + 16);
    central.writeUInt32LE(cdAt, 42);
    const cd = Buffer.concat([file.subarray(cdAt, cdAt + cdSize), central, entry]);
    const eocd = Buffer.from(file.subarray(eocdAt));
    eocd.writeUInt16LE(parts.size + 1, 8);
    eocd.writeUInt16LE(parts.size + 1, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(cdAt + 30 + entry.length + bomb.length, 16);
    const r = await upload(
      sec,
      '/api/v1/imports/organisations',
      'bomb.xlsx',
      Buffer.concat([file.subarray(0, cdAt), local, entry, bomb, cd, eocd]),
    );
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets only the holders of the import permissions import', async () => {
    const file = await workbook(ORG_HEADERS, [['P1', '权限', null, 'other', null, null]]);
    for (const username of ['office', 'liaison']) {
      const a = await t.login(username);
      for (const url of ['/api/v1/imports/organisations', '/api/v1/imports/users']) {
        const r = await upload(a, url, 'p.xlsx', file);
        expect(r.statusCode, `${username} ${url}`).toBe(403);
        expect(r.json().code).toBe('FORBIDDEN');
      }
    }
    const noCsrf = await t.login('sec');
    noCsrf.csrf = null;
    expect((await upload(noCsrf, '/api/v1/imports/organisations', 'p.xlsx', file)).json().code).toBe('CSRF_FAILED');
  });

  it('imports accounts with one-time passwords that must be changed at the first sign-in', async () => {
    const before = await userCount(t);
    const file = await workbook(USER_HEADERS, [
      ['Wang.Wu', '王五', 'ROOT', '巡察办', 'wangwu@example.gov.cn', 13800138000],
      ['zhao.liu', '赵六', 'SUP', 'supervisor', null, '0571-12345678'],
      ['ｓｕｎ.ｑｉ', '孙七', 'ROOT', 'Unit liaison', null, null], // full-width letters, as an IME types them
    ]);
    const r = await upload(sec, '/api/v1/imports/users', 'users.xlsx', file);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(body.imported).toBe(3);
    expect(body.accounts.map((a: any) => a.username)).toEqual(['wang.wu', 'zhao.liu', 'sun.qi']);
    for (const a of body.accounts) {
      expect(a.initialPassword.length).toBeGreaterThanOrEqual(12);
      expect(passwordClasses(a.initialPassword)).toBe(4);
    }
    expect(await userCount(t)).toBe(before + 3);
    const users = await t.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('username', 'in', ['wang.wu', 'zhao.liu'])
      .execute();
    const wang = users.find((u) => u.username === 'wang.wu')!;
    expect(wang).toMatchObject({
      displayName: '王五',
      role: 'office',
      email: 'wangwu@example.gov.cn',
      phone: '13800138000',
      mustChangePassword: 1,
      disabled: 0,
      totpEnabled: 0,
    });
    expect(Number(wang.orgId)).toBe(t.rootOrgId);
    expect(wang.passwordHash).not.toContain(body.accounts[0].initialPassword);

    const a = await t.login('wang.wu', body.accounts[0].initialPassword);
    expect((await a.get('/api/v1/auth/me')).json().restriction).toBe('password_change');
    const business = await a.get('/api/v1/organisations');
    expect(business.json().code).toBe('PASSWORD_CHANGE_REQUIRED');

    const audit = await t.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'user.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toEqual({ count: 3, file: 'users.xlsx' });
    for (const acc of body.accounts) expect(audit[0]!.after).not.toContain(acc.initialPassword);
  });

  it('imports no account when rows are wrong, naming each row and column', async () => {
    const before = await userCount(t);
    const file = await workbook(USER_HEADERS, [
      ['ok.one', '好人', 'ROOT', 'unit', null, null], // 2
      ['sec', '重名', 'ROOT', 'unit', null, null], // 3: A exists in the system
      ['ok.two', '无单位', 'NOWHERE', 'unit', null, null], // 4: C unknown org
      ['ok.three', '坏角色', 'ROOT', 'king', 'not-an-email', 'call me'], // 5: D, E, F
      ['OK.ONE', '重复', 'ROOT', 'unit', null, null], // 6: A same as row 2
      ['x', '', 'ROOT', 'unit', null, null], // 7: A pattern, B required
    ]);
    const r = await upload(sec, '/api/v1/imports/users', 'bad-users.xlsx', file, { 'accept-language': 'zh-CN' });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().code).toBe('IMPORT_ROWS_INVALID');
    expect(r.json().errors.map((e: any) => [e.row, e.column, e.field])).toEqual([
      [3, 'A', 'username'],
      [4, 'C', 'orgCode'],
      [5, 'D', 'role'],
      [5, 'E', 'email'],
      [5, 'F', 'phone'],
      [6, 'A', 'username'],
      [7, 'A', 'username'],
      [7, 'B', 'displayName'],
    ]);
    expect(r.json().errors[1].message).toBe('单位编码“NOWHERE”在系统中不存在');
    expect(await userCount(t)).toBe(before);
  });

  it('imports 10,000 organisations and 10,000 accounts in a few seconds each', async () => {
    const orgRows: Cell[][] = [];
    for (let i = 0; i < 100; i++) orgRows.push([`BIG${i}`, `大区${i}`, 'ROOT', 'party_committee', null, i]);
    for (let i = 0; i < 9900; i++)
      orgRows.push([`BIG${i % 100}-${i}`, `单位${i}`, `BIG${i % 100}`, 'inspected_unit', null, i]);
    const orgFile = await workbook(ORG_HEADERS, orgRows.reverse()); // children before their parents
    let start = performance.now();
    const r1 = await upload(sec, '/api/v1/imports/organisations', 'big-orgs.xlsx', orgFile);
    const orgMs = performance.now() - start;
    expect(r1.statusCode, r1.body.slice(0, 500)).toBe(200);
    expect(r1.json().imported).toBe(10_000);

    const userRows: Cell[][] = [];
    for (let i = 0; i < 10_000; i++)
      userRows.push([`bulk.${i}`, `批量${i}`, `BIG${i % 100}-${i % 9900}`, 'unit', `bulk${i}@example.com`, null]);
    const userFile = await workbook(USER_HEADERS, userRows);
    start = performance.now();
    const r2 = await upload(sec, '/api/v1/imports/users', 'big-users.xlsx', userFile);
    const userMs = performance.now() - start;
    expect(r2.statusCode, r2.body.slice(0, 500)).toBe(200);
    expect(r2.json().imported).toBe(10_000);
    expect(new Set(r2.json().accounts.map((a: any) => a.initialPassword)).size).toBe(10_000);
    console.log(`[${dialect}] 10,000 organisations in ${orgMs.toFixed(0)} ms, 10,000 users in ${userMs.toFixed(0)} ms`);
    // A few seconds on an idle machine (about 2 s and 3–4 s here); the bounds leave room for a busy CI host.
    expect(orgMs).toBeLessThan(15_000);
    expect(userMs).toBeLessThan(20_000);
  }, 120_000);
});
