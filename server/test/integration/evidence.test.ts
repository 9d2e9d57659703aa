import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceRepository } from '../../src/modules/evidence/evidence.repository.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const sm3 = (b: Buffer) => crypto.createHash('sm3').update(b).digest('hex');

// --- samples, built here byte by byte ------------------------------------------------------------

interface ZipIn {
  name: string;
  data: Buffer;
  method?: 0 | 8;
  /** Declare this uncompressed size instead of the real one (a lying header). */
  declaredSize?: number;
  flags?: number;
}

/** A zip (local headers, central directory, end record) with the sizes each entry declares. */
function makeZip(entries: ZipIn[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(e.data);
    const usize = e.declaredSize ?? e.data.length;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The entries of a zip (central directory; stored or deflated), to check what a download holds. */
function readZip(buf: Buffer): Map<string, Buffer> {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  expect(end).toBeGreaterThanOrEqual(0);
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28);
    const m = buf.readUInt16LE(p + 30);
    const k = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + n);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    p += 46 + n + m + k;
  }
  return out;
}

/** A Compound File (OLE2) with one FAT sector and one directory sector naming `streams`. */
function makeCfb(streams: string[]): Buffer {
  const h = Buffer.alloc(512);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(h, 0);
  h.writeUInt16LE(0x3e, 0x18);
  h.writeUInt16LE(3, 0x1a);
  h.writeUInt16LE(0xfffe, 0x1c);
  h.writeUInt16LE(9, 0x1e);
  h.writeUInt16LE(6, 0x20);
  h.writeUInt32LE(1, 0x2c); // one FAT sector
  h.writeUInt32LE(1, 0x30); // the directory in sector 1
  h.writeUInt32LE(0x1000, 0x38);
  h.writeUInt32LE(0xfffffffe, 0x3c);
  h.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) h.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: the FAT
  fat.writeUInt32LE(0xfffffffe, 4); // sector 1: the directory, end of chain
  const dir = Buffer.alloc(512);
  ['Root Entry', ...streams].forEach((name, i) => {
    const p = i * 128;
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(dir, p);
    dir.writeUInt16LE(n.length, p + 0x40);
    dir[p + 0x42] = i === 0 ? 5 : 2;
    dir.writeUInt32LE(0xffffffff, p + 0x44);
    dir.writeUInt32LE(0xffffffff, p + 0x48);
    dir.writeUInt32LE(
      i === 0 ? (streams.length ? 1 : 0xffffffff) : i + 1 <= streams.length ? i + 1 : 0xffffffff,
      p + 0x4c,
    );
    dir.writeUInt32LE(0xfffffffe, p + 0x74);
  });
  return Buffer.concat([h, fat, dir]);
}

function pngBytes(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pdfBytes = (text = 'evidence') =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
const jpgBytes = () =>
  Buffer.concat([
    Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    crypto.randomBytes(64),
    Buffer.from('ffd9', 'hex'),
  ]);
const docxBytes = () =>
  makeZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: Buffer.from('<w:document>整改报告</w:document>') },
  ]);
const xlsxBytes = () =>
  makeZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
  ]);
const ofdBytes = () =>
  makeZip([
    { name: 'OFD.xml', data: Buffer.from('<ofd:OFD/>') },
    { name: 'Doc_0/Document.xml', data: Buffer.from('<ofd:Document/>') },
  ]);
const zipBytes = () =>
  makeZip([
    { name: '会议纪要.txt', data: Buffer.from('整改专题会议纪要'.repeat(20)) },
    { name: 'photo.png', data: pngBytes(), method: 0 },
  ]);
const exeBytes = () =>
  Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from('PE\0\0'), crypto.randomBytes(200)]);

function multipart(filename: string, data: Buffer, field = 'file') {
  const boundary = `----rectify${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(agent: Agent, ru: number, filename: string, data: Buffer, field = 'file') {
  const { payload, contentType } = multipart(filename, data, field);
  return agent.request('POST', `${V1}/round-units/${ru}/files`, payload, { 'content-type': contentType });
}

// --- seeding ---------------------------------------------------------------------------------------

let seeded = 0;
/** A new term and round with one round-unit per unit given. */
async function seedRoundUnits(t: TestApp, unitOrgIds: number[]) {
  const now = t.clock.now();
  const n = ++seeded;
  const stamps = { version: 1, createdAt: now, updatedAt: now };
  const term = await t.ctx.db
    .insertInto('terms')
    .values({ number: n, name: `第${n}届`, startDate: null, endDate: null, ...stamps })
    .returning('id')
    .executeTakeFirstOrThrow();
  const round = await t.ctx.db
    .insertInto('rounds')
    .values({
      termId: Number(term.id),
      number: 1,
      name: `第${n}届第1轮巡察`,
      type: 'regular',
      onSiteStart: null,
      onSiteEnd: null,
      notes: null,
      ...stamps,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const unitOrgId of unitOrgIds) {
    const r = await t.ctx.db
      .insertInto('roundUnits')
      .values({
        roundId: Number(round.id),
        termId: Number(term.id),
        unitOrgId,
        teamId: null,
        status: 'rectifying',
        cycle: 1,
        feedbackDate: '2026-11-01',
        deadline: '2027-02-01',
        deadlineOverridden: 0,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(Number(r.id));
  }
  return ids;
}

async function seedCategories(t: TestApp, codes: string[]) {
  for (const code of codes)
    await t.ctx.db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code,
        labelZhCn: code,
        labelZhTw: code,
        labelEn: code,
        sort: 0,
        active: 1,
        extra: null,
        version: 1,
        updatedAt: t.clock.now(),
      })
      .execute();
}

/** What the store holds: rows, digests, staged temporaries and every file under its folder. */
async function storeState(t: TestApp) {
  const rows = Number(
    (
      await t.ctx.db
        .selectFrom('evidenceFiles')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const digests: string[] = [];
  for await (const d of t.ctx.files.list()) digests.push(d);
  const tmp = path.join(t.ctx.config.filesDir, 'tmp');
  const temps = fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
  const all = fs.existsSync(t.ctx.config.filesDir)
    ? (fs.readdirSync(t.ctx.config.filesDir, { recursive: true }) as string[]).filter((f) =>
        fs.statSync(path.join(t.ctx.config.filesDir, f)).isFile(),
      )
    : [];
  return { rows, digests: digests.sort(), temps, all: all.sort() };
}

async function auditRows(t: TestApp, action: string) {
  return t.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('seq').execute();
}

function expectCode(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(JSON.parse(res.body).code, res.body).toBe(code);
}

// --- the tests -------------------------------------------------------------------------------------

describe.each(DIALECTS)('evidence files on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const ru: Record<string, number> = {};
  const agents: Record<string, Agent> = {};
  type M = { id: number; problemId: number; roundUnitId: number; unitOrgId: number };
  const measure: Record<string, M> = {};
  let ruIntegrity: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    org.A = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.B = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.C = await t.createOrg({ code: 'UC', name: '市文旅局' });
    org.S1 = await t.createOrg({ code: 'S1', name: '第一监督检查室', type: 'supervisor' });
    org.S2 = await t.createOrg({ code: 'S2', name: '市委宣传部', type: 'supervisor', supervisorLine: 'propaganda' });
    const link = (unitOrgId: number, supervisorOrgId: number, categories: string | null) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories, createdAt: t.clock.now() })
        .execute();
    await link(org.A, org.S1, null);
    await link(org.B, org.S1, null);
    await link(org.C, org.S2, 'CAT1'); // S2 follows unit C for one line only
    await seedCategories(t, ['CAT1', 'CAT2']);
    [ru.A, ru.B, ru.C] = (await seedRoundUnits(t, [org.A, org.B, org.C])) as [number, number, number];
    [ruIntegrity] = (await seedRoundUnits(t, [org.A])) as [number];
    const users: [string, 'office' | 'leader' | 'unit' | 'unit_head' | 'supervisor', number?][] = [
      ['office', 'office'],
      ['leader', 'leader'],
      ['unitA', 'unit', org.A],
      ['headA', 'unit_head', org.A],
      ['unitB', 'unit', org.B],
      ['headB', 'unit_head', org.B],
      ['unitC', 'unit', org.C],
      ['headC', 'unit_head', org.C],
      ['s1', 'supervisor', org.S1],
      ['s2', 'supervisor', org.S2],
    ];
    for (const [username, role, orgId] of users) await t.createUser({ username, role, orgId });
    for (const [username] of users) agents[username] = await t.login(username);
    // One problem per (unit, category) with one measure, made through the ledger.
    for (const [key, unit, cat] of [
      ['A1', 'A', 'CAT1'],
      ['B2', 'B', 'CAT2'],
      ['C1', 'C', 'CAT1'],
      ['C2', 'C', 'CAT2'],
    ] as const)
      measure[key] = await createMeasure(ru[unit]!, unit, cat, key);
  });

  async function createMeasure(roundUnitId: number, unit: string, cat: string, key: string): Promise<M> {
    const res = await agents.office!.post(`${V1}/round-units/${roundUnitId}/problems`, {
      number: `问题${key}-${roundUnitId}`,
      categoryCode: cat,
      description: '落实主体责任不到位',
      source: 'feedback',
      severity: 'high',
      responsibleLeader: '张书记',
      responsibles: [],
      measures: [{ content: '建立制度', type: 'deadline', deadline: '2027-01-31' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().measures[0].id, problemId: res.json().id, roundUnitId, unitOrgId: org[unit]! };
  }
  afterAll(() => t?.close());

  /** Links a file to a measure as a progress report would (the evidence repository, as the report feature calls it). */
  async function attach(fileId: number, m: M) {
    const f = await t.ctx.db.selectFrom('evidenceFiles').selectAll().where('id', '=', fileId).executeTakeFirstOrThrow();
    await new EvidenceRepository().attach(t.ctx.db, m, [{ id: fileId, sm3: f.sm3 }], 'report', 1, t.clock.now());
  }

  // --- uploads refused ------------------------------------------------------------------------------

  const bomb = () => {
    // 20 MB of zeros: about 20 KB deflated, a ratio above 1000.
    return makeZip([{ name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }]);
  };
  const declaredHuge = () =>
    // 3 MB that declare 2 GiB: a ratio under the per-entry bound, a total past 1 GiB.
    makeZip([{ name: 'big.bin', data: crypto.randomBytes(3 * 1024 * 1024), declaredSize: 2 * 1024 ** 3 }]);
  const declaredRatio = () =>
    // 100 entries of 10 KB declaring 5 MB each: each under 1000:1, together past 200 × the file.
    makeZip(
      Array.from({ length: 100 }, (_, i) => ({
        name: `part-${i}.bin`,
        data: crypto.randomBytes(10 * 1024),
        declaredSize: 5 * 1024 * 1024,
      })),
    );
  const lyingHeader = () =>
    // Declares 1 KB, inflates to 8 MB of 'a'-runs mixed with noise (ratio well under the bound as declared).
    makeZip([
      {
        name: 'report.txt',
        data: Buffer.concat(
          Array.from({ length: 64 }, () => Buffer.concat([crypto.randomBytes(2048), Buffer.alloc(126 * 1024, 0x61)])),
        ),
        declaredSize: 1000,
      },
    ]);
  const overlapping = () => {
    // Two directory entries over the same local entry (the overlapping-files bomb).
    const zip = makeZip([
      { name: 'a.txt', data: Buffer.from('a'.repeat(1000)) },
      { name: 'b.txt', data: Buffer.from('b'.repeat(1000)) },
    ]);
    const end = zip.length - 22;
    const second = zip.readUInt32LE(end + 16) + 46 + 'a.txt'.length;
    zip.writeUInt32LE(0, second + 42);
    return zip;
  };
  const nestedTwice = () =>
    makeZip([
      { name: 'outer/inner.zip', data: makeZip([{ name: 'deep.zip', data: zipBytes(), method: 0 }]), method: 0 },
    ]);

  const REFUSALS: [string, string, () => Buffer, number, string, string?][] = [
    ['a .pdf whose bytes are a PNG', 'scan.pdf', pngBytes, 415, 'FILE_TYPE_MISMATCH'],
    ['an executable renamed .pdf', 'report.pdf', exeBytes, 415, 'FILE_TYPE_MISMATCH'],
    [
      'an HTML page renamed .pdf',
      'page.pdf',
      () => Buffer.from('<html><script>alert(1)</script></html>'),
      415,
      'FILE_TYPE_MISMATCH',
    ],
    ['a docx that is a plain zip', 'report.docx', zipBytes, 415, 'FILE_TYPE_MISMATCH'],
    ['a Word file renamed .xls', 'sheet.xls', () => makeCfb(['WordDocument']), 415, 'FILE_TYPE_MISMATCH'],
    [
      'an OLE2 file that is neither Word nor Excel (.doc)',
      'setup.doc',
      () => makeCfb(['SummaryInformation']),
      415,
      'FILE_TYPE_MISMATCH',
    ],
    ['a path ../x.pdf', '../x.pdf', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['a Windows path', '..\\..\\x.pdf', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['a name with NUL', 'report\0.pdf', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['a right-to-left override', 'report\u202Efdp.exe', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['full-width dots and slash', '．．／x.pdf', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['a full-width extension', 'report．ｐｄｆ', pdfBytes, 400, 'FILE_NAME_INVALID'],
    ['a zero-byte file', 'empty.pdf', () => Buffer.alloc(0), 400, 'FILE_EMPTY'],
    ['a .exe', 'setup.exe', exeBytes, 415, 'FILE_TYPE_NOT_ALLOWED'],
    ['a .html', 'index.html', () => Buffer.from('<html></html>'), 415, 'FILE_TYPE_NOT_ALLOWED'],
    ['a zip bomb (20 MB of zeros)', 'bomb.zip', bomb, 422, 'FILE_ARCHIVE_UNSAFE', 'entry_ratio'],
    ['a zip declaring 2 GiB', 'huge.zip', declaredHuge, 422, 'FILE_ARCHIVE_UNSAFE', 'too_large'],
    ['a zip declaring 250 × its size', 'ratio.zip', declaredRatio, 422, 'FILE_ARCHIVE_UNSAFE', 'ratio'],
    ['a zip whose header lies about its size', 'liar.zip', lyingHeader, 422, 'FILE_ARCHIVE_UNSAFE', 'size_mismatch'],
    [
      'a docx whose part lies about its size',
      'liar.docx',
      () => makeZip([{ name: 'word/document.xml', data: Buffer.alloc(4 << 20, 0x20), declaredSize: 10_000 }]),
      422,
      'FILE_ARCHIVE_UNSAFE',
      'size_mismatch',
    ],
    ['a zip whose entries overlap', 'overlap.zip', overlapping, 422, 'FILE_ARCHIVE_UNSAFE', 'overlap'],
    ['archives nested two deep', 'nested.zip', nestedTwice, 422, 'FILE_ARCHIVE_UNSAFE', 'nested'],
    [
      'a zip with a broken directory',
      'broken.zip',
      () => zipBytes().subarray(0, 60),
      422,
      'FILE_ARCHIVE_UNSAFE',
      'malformed',
    ],
    [
      'a zip whose entry climbs out',
      'slip.zip',
      () => makeZip([{ name: '../../etc/passwd', data: Buffer.from('root') }]),
      422,
      'FILE_ARCHIVE_UNSAFE',
      'entry_name',
    ],
  ];

  it.each(REFUSALS)('refuses %s with its code, storing nothing', async (_what, name, bytes, status, code, reason) => {
    const before = await storeState(t);
    const cwdBefore = fs.readdirSync(process.cwd()).sort();
    const parent = path.dirname(t.ctx.config.filesDir);
    const res = await upload(agents.unitA!, ru.A!, name, bytes());
    expectCode(res, status, code);
    if (reason) expect(res.json().reason).toBe(reason);
    const after = await storeState(t);
    expect(after).toEqual(before);
    expect(after.temps).toEqual([]);
    // Nothing landed outside the store either (under a name taken from the upload).
    expect(fs.readdirSync(process.cwd()).sort()).toEqual(cwdBefore);
    expect(fs.readdirSync(parent).filter((f) => /x\.pdf|report|passwd|fdp/.test(f))).toEqual([]);
  });

  it('refuses what is not one multipart part named "file"', async () => {
    const before = await storeState(t);
    expectCode(await upload(agents.unitA!, ru.A!, 'a.pdf', pdfBytes(), 'other'), 400, 'VALIDATION_FAILED');
    expectCode(
      await agents.unitA!.post(`${V1}/round-units/${ru.A}/files`, { file: 'x' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await storeState(t)).toEqual(before);
  });

  it('answers a multipart body cut off inside the file with 400, storing nothing', async () => {
    const before = await storeState(t);
    const b = 'cut-boundary';
    const head = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 hello`;
    for (const body of [
      head,
      `${head}\r\n--${b}`,
      `${head}\r\n--${b}\r\nContent-Disposition: form-data; name="x"; filename="y"\r\n`,
    ]) {
      const res = await agents.unitA!.request('POST', `${V1}/round-units/${ru.A}/files`, Buffer.from(body), {
        'content-type': `multipart/form-data; boundary=${b}`,
      });
      expectCode(res, 400, 'VALIDATION_FAILED');
    }
    expect(await storeState(t)).toEqual(before);
  });

  it('answers 404 for an upload to a round-unit outside the caller’s scope, and 403 without the permission', async () => {
    const before = await storeState(t);
    expectCode(await upload(agents.unitB!, ru.A!, 'a.pdf', pdfBytes()), 404, 'NOT_FOUND');
    expectCode(await upload(agents.unitA!, 999999, 'a.pdf', pdfBytes()), 404, 'NOT_FOUND');
    expectCode(await upload(agents.s1!, ru.A!, 'a.pdf', pdfBytes()), 403, 'FORBIDDEN');
    expectCode(await upload(agents.headA!, ru.A!, 'a.pdf', pdfBytes()), 403, 'FORBIDDEN');
    expect(await storeState(t)).toEqual(before);
  });

  // --- uploads accepted -----------------------------------------------------------------------------

  const VALID: [string, string, () => Buffer][] = [
    ['pdf', '整改报告（一）.pdf', () => pdfBytes('accepted')],
    ['docx', '整改方案.docx', docxBytes],
    ['xlsx', '台账.xlsx', xlsxBytes],
    ['jpg', '现场照片.JPG', jpgBytes],
    ['jpg', 'photo.jpeg', jpgBytes],
    ['png', 'scan.png', pngBytes],
    ['zip', '会议材料.zip', zipBytes],
    [
      'zip',
      'with-one-inner.zip',
      () =>
        makeZip([
          { name: 'inner.zip', data: zipBytes(), method: 0 },
          { name: 'a.txt', data: Buffer.from('a') },
        ]),
    ],
    ['ofd', '电子公文.ofd', ofdBytes],
    ['doc', 'notice.doc', () => makeCfb(['WordDocument', 'SummaryInformation'])],
    ['xls', 'old.xls', () => makeCfb(['Workbook'])],
  ];

  it.each(VALID)('accepts a %s (%s), stored under its SM3, with an audit record', async (kind, name, bytes) => {
    const data = bytes();
    const before = await storeState(t);
    const res = await upload(agents.unitA!, ru.A!, name, data);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name,
      size: data.length,
      sm3: sm3(data),
      kind,
      roundUnitId: ru.A,
      unitOrgId: org.A,
      uploadedBy: expect.any(Number),
      duplicates: 0,
    });
    const after = await storeState(t);
    expect(after.rows).toBe(before.rows + 1);
    expect(after.digests).toContain(sm3(data));
    expect(after.temps).toEqual([]);
    const audit = (await auditRows(t, 'evidence.upload')).filter((a) => a.entityId === String(body.id));
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ sm3: sm3(data), name });
    const got = await agents.unitA!.get(`${V1}/files/${body.id}/content`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(data)).toBe(true);
  });

  it('accepts a zip with an encrypted entry and counts it in the audit record', async () => {
    const data = makeZip([
      { name: 'plain.txt', data: Buffer.from('plain text') },
      { name: 'secret.bin', data: crypto.randomBytes(500), flags: 0x1 },
      { name: 'inner.zip', data: zipBytes(), method: 0 },
    ]);
    const res = await upload(agents.unitA!, ru.A!, 'mixed.zip', data);
    expect(res.statusCode, res.body).toBe(201);
    const audit = (await auditRows(t, 'evidence.upload')).find((a) => a.entityId === String(res.json().id))!;
    expect(JSON.parse(audit.after!).archive).toEqual({ entries: 3, encryptedEntries: 1, nestedArchives: 1 });
  });

  it('sends a download as an attachment: UTF-8 name (RFC 5987), nosniff, no-store, the kind’s type', async () => {
    const data = pdfBytes('headers');
    const name = "整改 (第1批) it's.pdf";
    const up = (await upload(agents.unitA!, ru.A!, name, data)).json();
    const meta = await agents.unitA!.get(`${V1}/files/${up.id}`);
    expect(meta.json()).toEqual({ ...up, duplicates: undefined });
    const res = await agents.unitA!.get(`${V1}/files/${up.id}/content`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const star = cd.split("filename*=UTF-8''")[1]!;
    expect(star).toMatch(/^[A-Za-z0-9%\-._~]+$/);
    expect(decodeURIComponent(star)).toBe(name);
    expect(res.rawPayload.equals(data)).toBe(true);
  });

  it('counts, on upload, the evidence links of other problems that carry the same bytes', async () => {
    const data = pdfBytes('shared');
    const a = (await upload(agents.unitA!, ru.A!, 'shared.pdf', data)).json();
    await attach(a.id, measure.A1!);
    const c = (await upload(agents.unitC!, ru.C!, 'shared.pdf', data)).json();
    expect(c.duplicates).toBe(1);
    await attach(c.id, measure.C2!);
    const b = (await upload(agents.unitB!, ru.B!, 'same.pdf', data)).json();
    expect(b.duplicates).toBe(2);
    // The measure's evidence shows where else the bytes were offered, as far as the caller may see.
    const office = (await agents.office!.get(`${V1}/measures/${measure.A1!.id}/evidence`)).json();
    const item = office.items.find((i: { fileId: number }) => i.fileId === a.id);
    expect(item.reuses.map((r: { measureId: number }) => r.measureId)).toEqual([measure.C2!.id]);
    expect(item.moreReuses).toBe(0);
    const s1 = (await agents.s1!.get(`${V1}/measures/${measure.A1!.id}/evidence`)).json();
    const s1Item = s1.items.find((i: { fileId: number }) => i.fileId === a.id);
    expect(s1Item.reuses).toEqual([]); // unit C is not S1's
    expect(s1Item.moreReuses).toBe(1);
    expect((await agents.s2!.get(`${V1}/measures/${measure.A1!.id}/evidence`)).statusCode).toBe(404);
    const s2 = await agents.s2!.get(`${V1}/measures/${measure.C2!.id}/evidence`); // C2 is outside S2's line
    expect(s2.statusCode).toBe(404);
  });

  // --- integrity ------------------------------------------------------------------------------------

  it('refuses to send a stored file with one byte flipped: 409 FILE_INTEGRITY_FAILED and an audit event', async () => {
    const data = pdfBytes(`flip ${crypto.randomBytes(8).toString('hex')}`);
    const up = (await upload(agents.unitA!, ruIntegrity, 'flip.pdf', data)).json();
    const file = path.join(t.ctx.config.filesDir, up.sm3.slice(0, 2), up.sm3.slice(2, 4), up.sm3);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const downloadsBefore = (await auditRows(t, 'evidence.download')).length;
    expectCode(await agents.office!.get(`${V1}/files/${up.id}/content`), 409, 'FILE_INTEGRITY_FAILED');
    expectCode(await agents.s1!.get(`${V1}/round-units/${ruIntegrity}/materials.zip`), 409, 'FILE_INTEGRITY_FAILED');
    const events = (await auditRows(t, 'evidence.integrity_failed')).filter((a) => a.entityId === String(up.id));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ entity: 'evidence_file', result: 'failed' });
    const after = JSON.parse(events[0]!.after!);
    expect(after.expected).toBe(up.sm3);
    expect(after.actual).toBe(sm3(bytes));
    expect(after.actual).not.toBe(up.sm3);
    expect((await auditRows(t, 'evidence.download')).length).toBe(downloadsBefore);
    // The metadata still answers; a missing blob answers the same code.
    expect((await agents.office!.get(`${V1}/files/${up.id}`)).statusCode).toBe(200);
    fs.rmSync(file);
    expectCode(await agents.office!.get(`${V1}/files/${up.id}/content`), 409, 'FILE_INTEGRITY_FAILED');
    const missing = (await auditRows(t, 'evidence.integrity_failed')).filter((a) => a.entityId === String(up.id));
    expect(missing).toHaveLength(3);
    expect(JSON.parse(missing[2]!.after!)).toMatchObject({ expected: up.sm3, missing: true });
  });

  // --- who downloads whose file ---------------------------------------------------------------------

  describe('the download policy', () => {
    type Unit = 'A' | 'B' | 'C';
    interface F {
      key: string;
      unit: Unit;
      /** Categories of the measures it is evidence for. */
      cats: string[];
      id: number;
      name: string;
      data: Buffer;
    }
    const files: F[] = [];
    /** The policy (SPEC §2), written down independently of the server. */
    const POLICY: Record<string, (f: Pick<F, 'unit' | 'cats'>) => boolean> = {
      office: () => true,
      leader: () => true,
      s1: (f) => f.unit === 'A' || f.unit === 'B', // liaised to A and B in full
      s2: (f) => f.unit === 'C' && f.cats.includes('CAT1'), // liaised to C for CAT1 only
      unitA: (f) => f.unit === 'A',
      headA: (f) => f.unit === 'A',
      unitB: (f) => f.unit === 'B',
      headB: (f) => f.unit === 'B',
      unitC: (f) => f.unit === 'C',
      headC: (f) => f.unit === 'C',
    };
    /** Which round-unit lists a caller may open at all (its scope of units). */
    const RU_POLICY: Record<string, Unit[]> = {
      office: ['A', 'B', 'C'],
      leader: ['A', 'B', 'C'],
      s1: ['A', 'B'],
      s2: ['C'],
      unitA: ['A'],
      headA: ['A'],
      unitB: ['B'],
      headB: ['B'],
      unitC: ['C'],
      headC: ['C'],
    };
    const ra: Record<string, Agent> = {};
    const rru: Record<string, number> = {};

    beforeAll(async () => {
      // Round-units of their own: the lists hold exactly this table's files.
      const specs: [string, Unit, string[], string][] = [
        ['fA1', 'A', ['CAT1'], 'A-cat1.pdf'],
        ['fA0', 'A', [], 'A-none.png'],
        ['fB2', 'B', ['CAT2'], 'B-cat2.pdf'],
        ['fB0', 'B', [], 'B-none.pdf'],
        ['fC1', 'C', ['CAT1'], 'C-cat1.pdf'],
        ['fC2', 'C', ['CAT2'], 'C-cat2.pdf'],
        ['fC0', 'C', [], 'C-none.docx'],
        ['fC12', 'C', ['CAT1', 'CAT2'], 'C-both.pdf'],
      ];
      const rus = await seedRoundUnits(t, [org.A!, org.B!, org.C!]);
      [rru.A, rru.B, rru.C] = rus as [number, number, number];
      Object.assign(ra, agents);
      const pm: Record<string, M> = {};
      for (const unit of ['A', 'B', 'C'] as Unit[])
        for (const cat of ['CAT1', 'CAT2'])
          pm[`${unit}${cat}`] = await createMeasure(rru[unit]!, unit, cat, `${unit}${cat}`);
      for (const [key, unit, cats, name] of specs) {
        const data = name.endsWith('.png')
          ? pngBytes()
          : name.endsWith('.docx')
            ? docxBytes()
            : pdfBytes(`${key} ${crypto.randomBytes(4).toString('hex')}`);
        const res = await upload(ra[`unit${unit}`]!, rru[unit]!, name, data);
        expect(res.statusCode, res.body).toBe(201);
        const id = res.json().id as number;
        for (const cat of cats) await attach(id, pm[`${unit}${cat}`]!);
        files.push({ key, unit, cats, id, name, data });
      }
    });

    it('answers every (caller, file) pair of GET /files/:id and /files/:id/content with 200 or 404 as the policy says', async () => {
      const mismatches: string[] = [];
      for (const caller of Object.keys(POLICY)) {
        for (const f of files) {
          const want = POLICY[caller]!(f) ? 200 : 404;
          const meta = await ra[caller]!.get(`${V1}/files/${f.id}`);
          const content = await ra[caller]!.get(`${V1}/files/${f.id}/content`);
          if (meta.statusCode !== want) mismatches.push(`${caller} meta ${f.key}: ${meta.statusCode} ≠ ${want}`);
          if (content.statusCode !== want)
            mismatches.push(`${caller} content ${f.key}: ${content.statusCode} ≠ ${want}`);
          if (want === 200 && !content.rawPayload.equals(f.data)) mismatches.push(`${caller} ${f.key}: wrong bytes`);
          if (want === 404) {
            expect(meta.json().code).toBe('NOT_FOUND');
            expect(content.json().code).toBe('NOT_FOUND');
          }
        }
      }
      expect(mismatches).toEqual([]);
      // An id that does not exist answers exactly like one outside the scope.
      const none = await ra.s2!.get(`${V1}/files/2147483647`);
      const hidden = await ra.s2!.get(`${V1}/files/${files.find((f) => f.key === 'fA1')!.id}`);
      expect(none.statusCode).toBe(404);
      expect({ ...hidden.json(), instance: null, requestId: null }).toEqual({
        ...none.json(),
        instance: null,
        requestId: null,
      });
    });

    it('lists each round-unit’s files and zips its materials for each caller exactly as the policy says', async () => {
      for (const caller of Object.keys(POLICY)) {
        for (const unit of ['A', 'B', 'C'] as Unit[]) {
          const list = await ra[caller]!.get(`${V1}/round-units/${rru[unit]}/files`);
          const zip = await ra[caller]!.get(`${V1}/round-units/${rru[unit]}/materials.zip`);
          if (!RU_POLICY[caller]!.includes(unit)) {
            expect(list.statusCode, `${caller} list ${unit}`).toBe(404);
            expect(zip.statusCode, `${caller} zip ${unit}`).toBe(404);
            continue;
          }
          const want = files.filter((f) => f.unit === unit && POLICY[caller]!(f));
          expect(list.statusCode, `${caller} list ${unit}`).toBe(200);
          expect(
            list.json().items.map((i: { id: number }) => i.id),
            `${caller} list ${unit}`,
          ).toEqual(want.map((f) => f.id).sort((a, b) => b - a));
          expect(zip.statusCode, `${caller} zip ${unit}`).toBe(200);
          expect(zip.headers['content-type']).toBe('application/zip');
          const entries = readZip(zip.rawPayload);
          expect([...entries.keys()].sort(), `${caller} zip ${unit}`).toEqual(want.map((f) => f.name).sort());
          for (const f of want) expect(entries.get(f.name)!.equals(f.data)).toBe(true);
        }
      }
    });

    it('audits every download and every zip', async () => {
      const before = (await auditRows(t, 'evidence.download')).length;
      const zipsBefore = (await auditRows(t, 'evidence.download_zip')).length;
      const f = files[0]!;
      await ra.office!.get(`${V1}/files/${f.id}/content`);
      await ra.s1!.get(`${V1}/files/${f.id}/content`);
      await ra.s1!.get(`${V1}/round-units/${rru.A}/materials.zip`);
      const downloads = await auditRows(t, 'evidence.download');
      expect(downloads.length).toBe(before + 2);
      expect(downloads.slice(-2).map((d) => [d.actorName, d.entityId])).toEqual([
        ['office', String(f.id)],
        ['s1', String(f.id)],
      ]);
      const zips = await auditRows(t, 'evidence.download_zip');
      expect(zips.length).toBe(zipsBefore + 1);
      expect(JSON.parse(zips.at(-1)!.after!).fileIds.sort()).toEqual(
        files
          .filter((x) => x.unit === 'A')
          .map((x) => x.id)
          .sort(),
      );
    });

    it('pages a round-unit’s files by id, newest first', async () => {
      const all = (await ra.office!.get(`${V1}/round-units/${rru.C}/files`))
        .json()
        .items.map((i: { id: number }) => i.id);
      expect(all).toHaveLength(4);
      const seen: number[] = [];
      let cursor: number | null = null;
      do {
        const page: { items: { id: number }[]; nextCursor: number | null } = (
          await ra.office!.get(`${V1}/round-units/${rru.C}/files?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      expectCode(await ra.office!.get(`${V1}/round-units/${rru.C}/files?limit=0`), 400, 'VALIDATION_FAILED');
    });
  });
});

describe.each(DIALECTS)('evidence uploads past the size limit on %s', (dialect) => {
  let t: TestApp;
  let unit: Agent;
  let ru: number;
  const MAX = 64 * 1024;

  beforeAll(async () => {
    t = await createTestApp(dialect, { uploadMaxBytes: MAX });
    const orgId = await t.createOrg({ code: 'U1' });
    [ru] = (await seedRoundUnits(t, [orgId])) as [number];
    await t.createUser({ username: 'unit', role: 'unit', orgId });
    unit = await t.login('unit');
  });
  afterAll(() => t?.close());

  it('refuses a body whose Content-Length is past the limit before reading it, and a file past it while streaming', async () => {
    const before = await storeState(t);
    // Declared too long: refused unread, and the connection is closed rather than drained.
    const unread = await upload(unit, ru, 'big.pdf', Buffer.concat([pdfBytes(), crypto.randomBytes(MAX + 70 * 1024)]));
    expectCode(unread, 413, 'PAYLOAD_TOO_LARGE');
    expect(unread.headers.connection).toBe('close');
    // Within the framing allowance, but the file itself is past the limit: refused while staging.
    expectCode(
      await upload(unit, ru, 'big.pdf', Buffer.concat([pdfBytes(), crypto.randomBytes(MAX)])),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await storeState(t)).toEqual(before);
    // Exactly at the limit is fine.
    const exact = Buffer.concat([pdfBytes(), crypto.randomBytes(MAX - pdfBytes().length)]);
    expect((await upload(unit, ru, 'exact.pdf', exact)).statusCode).toBe(201);
  });
});

describe.each(DIALECTS)('evidence uploads over real HTTP on %s', (dialect) => {
  let t: TestApp;
  let unit: Agent;
  let ru: number;
  let base: string;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const orgId = await t.createOrg({ code: 'U1' });
    [ru] = (await seedRoundUnits(t, [orgId])) as [number];
    await t.createUser({ username: 'unit', role: 'unit', orgId });
    unit = await t.login('unit');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => t?.close());

  const headers = () => ({
    cookie: Object.entries(unit.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    'x-csrf-token': unit.csrf!,
  });

  it('leaves no row and no file when the client goes away halfway through an upload', async () => {
    const before = await storeState(t);
    const data = Buffer.concat([pdfBytes(), crypto.randomBytes(4 * 1024 * 1024)]);
    const { payload, contentType } = multipart('cut.pdf', data);
    const tmp = path.join(t.ctx.config.filesDir, 'tmp');
    const req = http.request(`${base}${V1}/round-units/${ru}/files`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': contentType, 'content-length': String(payload.length) },
    });
    req.on('error', () => {});
    req.write(payload.subarray(0, payload.length >> 1));
    // Wait until the server is staging the upload, then cut the connection.
    let staging = false;
    for (let i = 0; i < 100 && !staging; i++) {
      await new Promise((r) => setTimeout(r, 20));
      staging = fs.existsSync(tmp) && fs.readdirSync(tmp).length > 0;
    }
    expect(staging).toBe(true);
    req.destroy();
    let after = await storeState(t);
    for (let i = 0; i < 100 && after.temps.length; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await storeState(t);
    }
    expect(after).toEqual(before);
    expect(after.temps).toEqual([]);
    expect((await auditRows(t, 'evidence.upload')).length).toBe(0);
  });

  it('answers 413 to a declared 10 GB body before the body is sent', async () => {
    const before = await storeState(t);
    const { payload, contentType } = multipart('huge.pdf', pdfBytes());
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}${V1}/round-units/${ru}/files`, {
        method: 'POST',
        headers: { ...headers(), 'content-type': contentType, 'content-length': String(10 * 1024 ** 3) },
      });
      req.on('error', reject);
      req.on('response', (r) => {
        let body = '';
        r.on('data', (c) => {
          body += c;
        });
        r.on('end', () => {
          req.destroy(); // the rest of the promised body is never sent
          resolve({ status: r.statusCode!, body });
        });
      });
      req.write(payload.subarray(0, 200)); // a few bytes of the promised 10 GB, then nothing
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storeState(t)).toEqual(before);
  });

  it('refuses a bad name in a large body over HTTP, and the next upload goes through', async () => {
    const before = await storeState(t);
    const big = Buffer.concat([pdfBytes(), crypto.randomBytes(3 * 1024 * 1024)]);
    const form = new FormData();
    form.append('file', new Blob([big]), '../escape.pdf');
    const res = await fetch(`${base}${V1}/round-units/${ru}/files`, { method: 'POST', headers: headers(), body: form });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('FILE_NAME_INVALID');
    // Answered before the body was all there: the connection is not kept for another request.
    expect(res.headers.get('connection')).toBe('close');
    expect(await storeState(t)).toEqual(before);
    const ok = new FormData();
    ok.append('file', new Blob([pdfBytes('after a refusal')]), 'after.pdf');
    const next = await fetch(`${base}${V1}/round-units/${ru}/files`, { method: 'POST', headers: headers(), body: ok });
    expect(next.status).toBe(201);
  });

  it('aborts a materials zip when a later file fails its check, and records the failure', async () => {
    const orgId = Number(
      (await t.ctx.db.selectFrom('roundUnits').select('unitOrgId').where('id', '=', ru).executeTakeFirstOrThrow())
        .unitOrgId,
    );
    const [zipRu] = (await seedRoundUnits(t, [orgId])) as [number];
    const good = pdfBytes(`zip good ${crypto.randomBytes(8).toString('hex')}`);
    const bad = pdfBytes(`zip bad ${crypto.randomBytes(8).toString('hex')}`);
    const first = (await upload(unit, zipRu, 'first.pdf', good)).json();
    const second = (await upload(unit, zipRu, 'second.pdf', bad)).json();
    const whole = await fetch(`${base}${V1}/round-units/${zipRu}/materials.zip`, { headers: headers() });
    expect(whole.status).toBe(200);
    const entries = readZip(Buffer.from(await whole.arrayBuffer()));
    expect(entries.get('first.pdf')!.equals(good)).toBe(true);
    expect(entries.get('second.pdf')!.equals(bad)).toBe(true);
    // Damage the second (the zip goes oldest first, so the answer has started when it is reached).
    const file = path.join(t.ctx.config.filesDir, second.sm3.slice(0, 2), second.sm3.slice(2, 4), second.sm3);
    const bytes = fs.readFileSync(file);
    bytes[10]! ^= 0x80;
    fs.writeFileSync(file, bytes);
    const res = await fetch(`${base}${V1}/round-units/${zipRu}/materials.zip`, { headers: headers() });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    const events = (await auditRows(t, 'evidence.integrity_failed')).filter((a) => a.entityId === String(second.id));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.after!)).toMatchObject({ expected: second.sm3, actual: sm3(bytes) });
    expect(first.id).toBeLessThan(second.id);
    // The server goes on answering.
    expect((await fetch(`${base}${V1}/files/${first.id}/content`, { headers: headers() })).status).toBe(200);
  });

  it('streams the materials zip at the pace of the client: a client that stops reading stops the server', async () => {
    const orgId = Number(
      (await t.ctx.db.selectFrom('roundUnits').select('unitOrgId').where('id', '=', ru).executeTakeFirstOrThrow())
        .unitOrgId,
    );
    const [zipRu] = (await seedRoundUnits(t, [orgId])) as [number];
    const uploaded: { id: number; sm3: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await upload(unit, zipRu, `part-${i}.pdf`, Buffer.concat([pdfBytes(), crypto.randomBytes(2 << 20)]));
      expect(res.statusCode, res.body).toBe(201);
      uploaded.push(res.json());
    }
    // The last file (24 MB into the zip) is damaged: the server notices only when it gets there.
    const last = uploaded.at(-1)!;
    const file = path.join(t.ctx.config.filesDir, last.sm3.slice(0, 2), last.sm3.slice(2, 4), last.sm3);
    const bytes = fs.readFileSync(file);
    bytes[100]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const events = async () =>
      (await auditRows(t, 'evidence.integrity_failed')).filter((a) => a.entityId === String(last.id)).length;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${base}${V1}/round-units/${zipRu}/materials.zip`, { headers: headers() }, resolve).on('error', reject),
    );
    expect(res.statusCode).toBe(200);
    res.pause();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await events()).toBe(0); // held back by the client, the server has not got that far
    let received = 0;
    const ended = await new Promise<string>((resolve) => {
      res.on('data', (c: Buffer) => {
        received += c.length;
      });
      res.on('end', () => resolve('end'));
      res.on('aborted', () => resolve('aborted'));
      res.on('error', () => resolve('aborted'));
      res.on('close', () => resolve('aborted'));
      res.resume();
    });
    expect(ended).toBe('aborted');
    expect(received).toBeGreaterThan(20 << 20);
    expect(await events()).toBe(1);
  });

  it('stores 200 concurrent uploads once each: all 201, every distinct digest once, every file downloads intact', async () => {
    const distinct = Array.from({ length: 150 }, (_, i) =>
      pdfBytes(`concurrent ${i} ${crypto.randomBytes(16).toString('hex')}`),
    );
    const contents = [...distinct, ...Array.from({ length: 50 }, (_, i) => distinct[(i * 7) % 150]!)];
    const before = await storeState(t);
    const results = await Promise.all(
      contents.map(async (data, i) => {
        const form = new FormData();
        form.append('file', new Blob([data]), `并发-${i}.pdf`);
        const res = await fetch(`${base}${V1}/round-units/${ru}/files`, {
          method: 'POST',
          headers: headers(),
          body: form,
        });
        return { status: res.status, body: await res.json(), data };
      }),
    );
    expect(results.map((r) => r.status)).toEqual(contents.map(() => 201));
    const after = await storeState(t);
    expect(after.rows).toBe(before.rows + 200);
    const want = [...new Set([...before.digests, ...distinct.map(sm3)])].sort();
    expect(after.digests).toEqual(want);
    expect(after.temps).toEqual([]);
    for (const r of results) expect(r.body.sm3).toBe(sm3(r.data));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(200);
    // Every one downloads with its own bytes (over HTTP, 20 at a time), and every upload and download is audited.
    for (let i = 0; i < results.length; i += 20) {
      await Promise.all(
        results.slice(i, i + 20).map(async (r) => {
          const res = await fetch(`${base}${V1}/files/${r.body.id}/content`, { headers: headers() });
          expect(res.status).toBe(200);
          expect(Buffer.from(await res.arrayBuffer()).equals(r.data)).toBe(true);
        }),
      );
    }
    const uploads = new Set((await auditRows(t, 'evidence.upload')).map((a) => a.entityId));
    const downloads = new Set((await auditRows(t, 'evidence.download')).map((a) => a.entityId));
    for (const r of results) {
      expect(uploads.has(String(r.body.id))).toBe(true);
      expect(downloads.has(String(r.body.id))).toBe(true);
    }
    // And the audit chain still verifies.
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  }, 120_000);
  it('takes 200 concurrent progress submissions with a file each: every file stored once and verified, none lost', async () => {
    // 200 units under one parent: its liaison and its head act for all of them (their scope is the subtree).
    const parent = await t.createOrg({ code: 'BURST' });
    const units: number[] = [];
    for (let i = 0; i < 200; i++) units.push(await t.createOrg({ code: `BURST-${i}`, parentId: parent }));
    const rus = await seedRoundUnits(t, units);
    await t.createUser({ username: 'burst_unit', role: 'unit', orgId: parent });
    await t.createUser({ username: 'burst_head', role: 'unit_head', orgId: parent });
    const [liaison, head] = [await t.login('burst_unit'), await t.login('burst_head')];
    const hdr = (a: Agent) => ({
      cookie: Object.entries(a.cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      'x-csrf-token': a.csrf!,
    });
    const call = async (a: Agent, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${V1}${url}`, {
        method,
        headers: { ...hdr(a), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      expect(res.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
      return json;
    };
    const measureIds: number[] = [];
    for (const ru of rus) {
      const p = await liaison.post(`${V1}/round-units/${ru}/problems`, {
        number: '一、1.',
        categoryCode: 'party_leadership',
        description: '基层党组织建设薄弱',
        source: 'feedback',
        severity: 'medium',
        measures: [{ content: '落实“三会一课”制度', type: 'deadline', deadline: '2026-12-20' }],
      });
      expect(p.statusCode, p.body).toBe(201);
      measureIds.push(p.json().measures[0].id);
    }
    const files = rus.map((_, i) => pdfBytes(`submission ${i} ${crypto.randomBytes(16).toString('hex')}`));
    const before = await storeState(t);

    // Each submission over HTTP, all 200 at once: upload, create the report, fill the item with the file,
    // send it for sign-off, and the head signs it off.
    const submitted = await Promise.all(
      rus.map(async (ru, i) => {
        const form = new FormData();
        form.append('file', new Blob([files[i]!]), `整改佐证-${i}.pdf`);
        const up = await fetch(`${base}${V1}/round-units/${ru}/files`, {
          method: 'POST',
          headers: hdr(liaison),
          body: form,
        });
        const file = await up.json();
        expect(up.status, JSON.stringify(file)).toBe(201);
        let report = await call(liaison, 'POST', `/round-units/${ru}/progress-reports`, { periodSeq: 1 });
        report = await call(liaison, 'PUT', `/progress-reports/${report.id}/items/${measureIds[i]}`, {
          version: report.version,
          reportedStatus: 'completed',
          narrative: `第${i}家单位已落实`,
          fileIds: [file.id],
        });
        report = await call(liaison, 'POST', `/progress-reports/${report.id}/send`, { version: report.version });
        report = await call(head, 'POST', `/progress-reports/${report.id}/signoff`, { version: report.version });
        return { report, file };
      }),
    );
    expect(submitted.map((x) => x.report.status)).toEqual(rus.map(() => 'submitted'));

    // Stored once each, digests verified on the way back, none lost.
    const after = await storeState(t);
    expect(after.rows).toBe(before.rows + 200);
    expect(after.digests).toEqual([...new Set([...before.digests, ...files.map(sm3)])].sort());
    expect(after.temps).toEqual([]);
    const links = await t.ctx.db
      .selectFrom('measureEvidence')
      .select(['measureId', 'fileId', 'sm3', 'source'])
      .where('measureId', 'in', measureIds)
      .execute();
    expect(links).toHaveLength(200);
    for (const [i, { file }] of submitted.entries()) {
      expect(file.sm3).toBe(sm3(files[i]!));
      expect(links.find((l) => Number(l.fileId) === file.id)).toMatchObject({
        measureId: measureIds[i],
        sm3: file.sm3,
        source: 'report',
      });
    }
    const versions = await t.ctx.db
      .selectFrom('progressReportVersions')
      .select('reportId')
      .where(
        'reportId',
        'in',
        submitted.map((x) => x.report.id),
      )
      .execute();
    expect(versions).toHaveLength(200);
    const done = await t.ctx.db
      .selectFrom('measures')
      .select('id')
      .where('id', 'in', measureIds)
      .where('status', '=', 'completed')
      .execute();
    expect(done).toHaveLength(200);
    for (let i = 0; i < submitted.length; i += 20) {
      await Promise.all(
        submitted.slice(i, i + 20).map(async ({ file }, j) => {
          const res = await fetch(`${base}${V1}/files/${file.id}/content`, { headers: hdr(head) });
          expect(res.status).toBe(200);
          expect(Buffer.from(await res.arrayBuffer()).equals(files[i + j]!)).toBe(true);
        }),
      );
    }
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  }, 300_000);
});
