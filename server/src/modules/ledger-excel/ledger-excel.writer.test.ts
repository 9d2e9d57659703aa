import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  EXPORT_CONTEXT_COLUMNS,
  headerText,
  LEDGER_COLUMNS,
  LEDGER_SHEET,
  type LedgerColumn,
} from './ledger-excel.layout.js';
import { readLedgerSheet } from './ledger-excel.sheet.js';
import {
  type ColumnFormat,
  type SheetCell,
  type SheetColumn,
  XlsxStreamWriter,
  type XlsxWriterOptions,
} from './ledger-excel.writer.js';
import { openWorksheet } from './ledger-excel.xlsx.js';
import { inflateEntry, zipEntries } from './ledger-excel.zip.js';

/** A Writable that keeps what it is given. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.chunks.push(chunk);
    cb();
  }
  get buffer() {
    return Buffer.concat(this.chunks);
  }
}

async function build(
  options: XlsxWriterOptions,
  header: readonly string[],
  rows: Iterable<readonly SheetCell[]>,
): Promise<Buffer> {
  const out = new Sink();
  const w = new XlsxStreamWriter(out, options);
  w.header(header);
  let n = 0;
  for (const r of rows) {
    w.row(r);
    if (++n % 500 === 0) await w.flush();
  }
  await w.flush();
  await w.finish();
  expect(w.rows).toBe(n);
  return out.buffer;
}

const load = async (buf: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
};

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

// A small sheet with every format and the awkward strings.
const COLUMNS: SheetColumn[] = [
  { width: 14, format: 'text' },
  { width: 48, format: 'wrap' },
  { width: 13, format: 'date' },
  { width: 16, format: 'money' },
  { width: 10, format: 'integer' },
  { width: 20, format: 'text' },
];
const HEADER = ['编号\nNo.', '问题描述\nDescription', '完成时限\nDeadline', '金额(元)\nAmount', '人数\nCount', '备注'];
const ROWS: SheetCell[][] = [
  ['P-001', '中文描述😀𠀀 和更多文字', utc(2025, 1, 31), 1234.5, 3, 'a & b < c > "d"'],
  ['x\u0001y', '第一行\n第二行', null, '12345678901234567.89', 0, undefined],
  ['', ' 前后空格 ', new Date(Number.NaN), Number.NaN, Number.POSITIVE_INFINITY, '_x0041_ stays'],
  ['\u0001', 'a\r\nb', utc(1999, 12, 31), -0.01, 1_000_000, 'lone \ud800 and \ufffe gone'],
];
const OPTIONS: XlsxWriterOptions = {
  sheetName: LEDGER_SHEET,
  columns: COLUMNS,
  creator: 'Rectify & co',
  created: new Date('2026-03-04T05:06:07.890Z'),
};

describe('XlsxStreamWriter', () => {
  it('round-trips through ExcelJS: names, texts, every format, styles, widths, frozen pane', async () => {
    const wb = await load(await build(OPTIONS, HEADER, ROWS));
    expect(wb.creator).toBe('Rectify & co');
    expect(wb.created.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.getWorksheet(LEDGER_SHEET)!;
    expect(ws).toBeDefined();
    expect(ws.actualRowCount).toBe(5);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(COLUMNS.map((_, i) => ws.getColumn(i + 1).width)).toEqual([14, 48, 13, 16, 10, 20]);

    const head = ws.getRow(1);
    expect(head.height).toBe(32);
    expect(HEADER.map((_, i) => head.getCell(i + 1).value)).toEqual(HEADER);
    const h = head.getCell(2);
    expect(h.font?.bold).toBe(true);
    expect(h.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } });
    expect(h.alignment).toMatchObject({ horizontal: 'center', vertical: 'middle', wrapText: true });

    const v = (r: number, c: number) => ws.getRow(r).getCell(c).value;
    expect(v(2, 1)).toBe('P-001');
    expect(v(2, 2)).toBe('中文描述😀𠀀 和更多文字');
    expect(v(2, 3)).toBeInstanceOf(Date);
    expect((v(2, 3) as Date).getTime()).toBe(utc(2025, 1, 31).getTime());
    expect(v(2, 4)).toBe(1234.5);
    expect(v(2, 5)).toBe(3);
    expect(v(2, 6)).toBe('a & b < c > "d"');
    expect(ws.getCell('C2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('D2').numFmt).toBe('#,##0.00');
    expect(ws.getCell('E2').numFmt).toBe('0');
    expect(ws.getCell('A2').alignment).toMatchObject({ vertical: 'top' });
    expect(ws.getCell('B2').alignment).toMatchObject({ vertical: 'top', wrapText: true });
    expect(ws.getCell('F2').alignment?.wrapText).toBeFalsy();

    expect(v(3, 1)).toBe('xy');
    expect(v(3, 2)).toBe('第一行\n第二行');
    expect(v(3, 3)).toBeNull();
    expect(v(3, 4)).toBe('12345678901234567.89'); // too large for a double: text
    expect(v(3, 5)).toBe(0);
    expect(v(3, 6)).toBeNull();

    // Empty strings, NaN, infinities and invalid dates leave no cell.
    expect([1, 3, 4, 5].map((c) => v(4, c))).toEqual([null, null, null, null]);
    expect(v(4, 2)).toBe(' 前后空格 ');
    // ExcelJS does not decode `_xHHHH_` in inline strings, so it shows the escape Excel reads as `_`.
    expect(v(4, 6)).toBe('_x005F_x0041_ stays');

    expect(v(5, 1)).toBeNull(); // nothing left once the control character is dropped
    expect(v(5, 2)).toBe('a\r\nb');
    expect((v(5, 3) as Date).toISOString()).toBe('1999-12-31T00:00:00.000Z');
    expect(v(5, 4)).toBe(-0.01);
    expect(v(5, 5)).toBe(1_000_000);
    expect(v(5, 6)).toBe('lone  and  gone');
  });

  it("round-trips through the repository's own reader (dates by style, numbers as numbers)", async () => {
    const columns: readonly LedgerColumn[] = [...EXPORT_CONTEXT_COLUMNS, ...LEDGER_COLUMNS];
    const formatOf = (c: LedgerColumn): ColumnFormat =>
      c.kind === 'date'
        ? 'date'
        : c.kind === 'money'
          ? 'money'
          : c.kind === 'integer' || c.kind === 'seq'
            ? 'integer'
            : c.width >= 40
              ? 'wrap'
              : 'text';
    const row: SheetCell[] = columns.map((c) => {
      switch (c.kind) {
        case 'date':
          return utc(2026, 6, 30);
        case 'money':
          return c.field === 'fundsReturned' ? 1234567.89 : '98765432109876543.21';
        case 'integer':
        case 'seq':
          return 2;
        default:
          return `${c.zh}：内容😀 & <b>`;
      }
    });
    const buf = await build(
      { sheetName: LEDGER_SHEET, columns: columns.map((c) => ({ width: c.width, format: formatOf(c) })) },
      columns.map(headerText),
      [row, row.map((v, i) => (i === 5 ? 'a\r\n_x0041_\tb' : v))],
    );

    const sheet = readLedgerSheet(buf);
    expect(sheet.headerRow).toBe(1);
    expect(sheet.columns.size).toBe(LEDGER_COLUMNS.length);
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3]);
    const cells = sheet.rows[0]!.cells;
    expect(cells.deadline?.date?.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(cells.deadline?.text).toBe('2026-06-30');
    expect(cells.fundsReturned).toMatchObject({ number: 1234567.89 });
    expect(cells.lossesRecovered).toEqual({ text: '98765432109876543.21' });
    expect(cells.rulesEstablished).toMatchObject({ number: 2 });
    expect(cells.measureSeq).toMatchObject({ number: 2 });
    expect(cells.description?.text).toBe('问题描述：内容😀 & <b>');

    const opened = openWorksheet(buf, LEDGER_SHEET);
    expect(opened.name).toBe(LEDGER_SHEET);
    const rows = [...opened.rows()];
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(rows[0]!.cells.get(1)?.text).toBe('轮次\nRound');
    expect(rows[2]!.cells.get(6)?.text).toBe('a\r\n_x0041_\tb');
    expect(rows[2]!.cells.get(16)?.date?.getTime()).toBe(utc(2026, 6, 30).getTime());
  });

  it('writes a well-formed zip: CRCs and sizes of every entry, the data descriptor, the end record', async () => {
    const buf = await build(OPTIONS, HEADER, ROWS);
    const end = buf.length - 22;
    expect(buf.readUInt32LE(end)).toBe(0x06054b50);
    const count = buf.readUInt16LE(end + 10);
    const cdOffset = buf.readUInt32LE(end + 16);
    expect(cdOffset + buf.readUInt32LE(end + 12)).toBe(end);
    const names: string[] = [];
    let p = cdOffset;
    let next = 0; // entries follow each other, from byte 0 up to the central directory
    for (let i = 0; i < count; i++) {
      expect(buf.readUInt32LE(p)).toBe(0x02014b50);
      const flags = buf.readUInt16LE(p + 8);
      const crc = buf.readUInt32LE(p + 16);
      const compressed = buf.readUInt32LE(p + 20);
      const size = buf.readUInt32LE(p + 24);
      const nameLength = buf.readUInt16LE(p + 28);
      const local = buf.readUInt32LE(p + 42);
      const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
      names.push(name);
      expect(buf.readUInt16LE(p + 10)).toBe(8);
      expect(flags & 0x0800).toBe(0x0800);

      expect(local).toBe(next);
      expect(buf.readUInt32LE(local)).toBe(0x04034b50);
      expect(buf.readUInt16LE(local + 6)).toBe(flags);
      expect(buf.toString('utf8', local + 30, local + 30 + nameLength)).toBe(name);
      const start = local + 30 + nameLength + buf.readUInt16LE(local + 28);
      const data = zlib.inflateRawSync(buf.subarray(start, start + compressed));
      expect(data.length).toBe(size);
      expect(zlib.crc32(data)).toBe(crc);
      next = start + compressed;
      if (flags & 0x0008) {
        expect(name).toBe('xl/worksheets/sheet1.xml');
        expect(buf.readUInt32LE(local + 14)).toBe(0);
        expect([0x08074b50, crc, compressed, size]).toEqual([0, 4, 8, 12].map((k) => buf.readUInt32LE(next + k)));
        next += 16;
      } else {
        expect([buf.readUInt32LE(local + 14), buf.readUInt32LE(local + 18), buf.readUInt32LE(local + 22)]).toEqual([
          crc,
          compressed,
          size,
        ]);
      }
      p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    expect(next).toBe(cdOffset);
    expect(p).toBe(end);
    expect(names).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    // The time is the one given (DOS time: two-second steps), so the same rows make the same bytes.
    expect([buf.readUInt16LE(10), buf.readUInt16LE(12)]).toEqual([(5 << 11) | (6 << 5) | 3, (46 << 9) | (3 << 5) | 4]);
    expect((await build(OPTIONS, HEADER, ROWS)).equals(buf)).toBe(true);
  });

  it('puts the elements of styles.xml and the worksheet in the order the schema requires', async () => {
    const buf = await build(OPTIONS, HEADER, ROWS);
    const entries = zipEntries(buf, () => new AppError(400, 'IMPORT_INVALID_FILE'));
    const part = (name: string) =>
      inflateEntry(buf, entries.get(name)!, 1 << 20, () => new AppError(400, 'IMPORT_INVALID_FILE')).toString();
    const order = (xml: string, tags: string[]) => tags.map((t) => xml.indexOf(`<${t}`));
    const styles = part('xl/styles.xml');
    const styleOrder = order(styles, ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles']);
    expect(styleOrder.every((at, k) => at > (styleOrder[k - 1] ?? 0))).toBe(true);
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>');
    const sheet = part('xl/worksheets/sheet1.xml');
    const sheetOrder = order(sheet, ['sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'pageMargins']);
    expect(sheetOrder.every((at, k) => at > (sheetOrder[k - 1] ?? 0))).toBe(true);
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<row r="1" ht="32" customHeight="1"><c r="A1" s="6" t="inlineStr"><is><t>编号\nNo.</t>');
    expect(sheet).toContain('<c r="F2" s="1" t="inlineStr"><is><t>a &amp; b &lt; c &gt; "d"</t></is></c>');
    expect(sheet).toContain('<c r="D3" s="1" t="inlineStr">'); // money as text: the text style
    expect(sheet).toContain('<c r="C2" s="3"><v>45688</v></c>'); // 2025-01-31
    expect(part('xl/workbook.xml')).toContain(`<sheet name="${LEDGER_SHEET}" sheetId="1" r:id="rId1"/>`);
  });

  it('streams 30,000 rows that ExcelJS reads back whole', { timeout: 60_000 }, async () => {
    const n = 30_000;
    const long = '整改措施落实情况说明，'.repeat(8);
    function* rows(): Generator<SheetCell[]> {
      for (let i = 1; i <= n; i++) {
        yield [`P-${i}`, `${long}${i}`, utc(2026, 1, 1 + (i % 365)), i / 100, i, i % 7 ? null : `备注 ${i}`];
      }
    }
    const buf = await build(OPTIONS, HEADER, rows());
    const ws = (await load(buf)).getWorksheet(LEDGER_SHEET)!;
    expect(ws.rowCount).toBe(n + 1);
    const last = ws.getRow(n + 1).values as unknown[];
    expect(last.slice(1)).toEqual([`P-${n}`, `${long}${n}`, utc(2026, 1, 1 + (n % 365)), n / 100, n]);
    expect(ws.getRow(29_996).getCell(6).value).toBe('备注 29995');
    expect(ws.getRow(29_997).getCell(6).value).toBeNull();
  });

  it('waits while the client is stalled, holds a bounded backlog, and lets go when it is destroyed', async () => {
    const out = new Writable({ highWaterMark: 16 * 1024, write() {} }); // never calls back
    const w = new XlsxStreamWriter(out, OPTIONS);
    w.header(HEADER);
    let settled = false;
    let pending: Promise<void> | null = null;
    for (let i = 0; i < 10_000 && !pending; i += 200) {
      for (let k = 0; k < 200; k++) w.row([`P-${i + k}`, `随机内容 ${Math.random()} ${i * k}`, null, i, k]);
      settled = false;
      const p = w.flush().then(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!settled) pending = p;
    }
    expect(pending).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    expect(out.writableLength).toBeLessThan(1024 * 1024);

    out.destroy();
    const outcome = await Promise.race([
      pending!.then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 200)),
    ]);
    expect(outcome).toBe('resolved');
    expect(() => w.row(['after'])).not.toThrow(); // the caller checks out.destroyed and stops
    await expect(w.flush()).resolves.toBeUndefined();
    await expect(w.finish()).resolves.toBeUndefined();
  });

  it('rejects flush() when the output fails', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('socket hang up'));
      },
    });
    const w = new XlsxStreamWriter(out, OPTIONS);
    w.header(HEADER);
    for (let i = 0; i < 2000; i++) w.row([`P-${i}`, '内容'.repeat(40)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(w.flush()).rejects.toThrow('socket hang up');
    await expect(w.finish()).rejects.toThrow('socket hang up');
  });

  it('takes the header first and once, and no more cells than columns', async () => {
    const w = new XlsxStreamWriter(new Sink(), OPTIONS);
    expect(() => w.row(['a'])).toThrow(/header\(\) comes first/);
    await expect(w.finish()).rejects.toThrow(/header\(\) comes first/);
    expect(() => w.header(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toThrow(/7 cells for 6 columns/);
    w.header(HEADER);
    expect(() => w.header(HEADER)).toThrow(/once/);
    expect(() => w.row(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toThrow(/7 cells for 6 columns/);
    w.row(['a']);
    expect(w.rows).toBe(1);
    await w.finish();
    expect(() => w.row(['a'])).toThrow(/finished/);
    expect(() => new XlsxStreamWriter(new Sink(), { ...OPTIONS, sheetName: 'a/b' })).toThrow(/sheet name/);
    expect(() => new XlsxStreamWriter(new Sink(), { ...OPTIONS, columns: [{ width: 0, format: 'text' }] })).toThrow(
      /width of column 1/,
    );
  });
});
