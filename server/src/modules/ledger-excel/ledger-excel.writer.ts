import type { Writable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A streaming .xlsx writer for one worksheet of plain values: what the ledger export needs and no
 * more. ExcelJS's streaming writer builds several objects per cell and keeps no backpressure of its
 * own; here a row becomes one XML string, rows gather into a ~64 KB string that is deflated as it
 * fills, and the compressed bytes go to `out` as they come. Memory holds that string, a 1 MB slab
 * of its UTF-8 and what the deflate stream and `out` buffer (bounded by `flush()`), whatever the
 * number of rows: strings are inline (no shared string table), and the zip is written by hand (the
 * worksheet entry with a data descriptor).
 */

export type ColumnFormat = 'text' | 'wrap' | 'date' | 'money' | 'integer';

export interface SheetColumn {
  width: number;
  format: ColumnFormat;
}

export type SheetCell = string | number | Date | null | undefined;

export interface XlsxWriterOptions {
  sheetName: string;
  columns: readonly SheetColumn[];
  /** docProps/core.xml dc:creator. */
  creator?: string;
  /** dcterms:created and modified, and the zip entries' time. */
  created?: Date;
}

// ---------------------------------------------------------------------------------------------
// Styles: cellXfs indexes of styles.xml

const XF_TEXT = 1;
const XF_DATE = 3;
const XF_HEADER = 6;
const XF_OF: Record<ColumnFormat, number> = { text: 1, wrap: 2, date: 3, money: 4, integer: 5 };

const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>' +
  '<fonts count="2">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '</fonts>' +
  '<fills count="3">' +
  '<fill><patternFill patternType="none"/></fill>' +
  '<fill><patternFill patternType="gray125"/></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/><bgColor indexed="64"/></patternFill></fill>' +
  '</fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="7">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">' +
  '<alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">' +
  '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

// ---------------------------------------------------------------------------------------------
// Text

/** ST_Xstring (cell text, sheet name): a literal `_xHHHH_` is escaped, else Excel reads it as a character. */
const XSTRING = 1;
const QUOTE = 2;

/** Escaped text from `from`, the index of the first character that needs care. */
function escapeFrom(s: string, from: number, flags: number): string {
  let out = '';
  let run = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34) {
      if (!(flags & QUOTE)) continue;
      rep = '&quot;';
    } else if (c === 95) {
      // `_x0041_` would read back as "A": its underscore is written as `_x005F_`.
      if (!(flags & XSTRING) || !/^_x[0-9a-f]{4}_/i.test(s.slice(i, i + 7))) continue;
      rep = '_x005F_';
    } else if (c < 0x20) {
      if (c === 9 || c === 10) continue;
      // A raw CR would read back as LF (XML line-end normalisation); other controls are not XML 1.0.
      rep = c === 13 ? '&#13;' : '';
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a whole pair: emoji, CJK Extension B
        continue;
      }
      rep = '';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) rep = '';
    else continue;
    out += s.slice(run, i) + rep;
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/**
 * The first character that needs care: markup, a quote, an underscore (`_xHHHH_`), a CR, what XML 1.0
 * does not allow, a surrogate (pairs are kept by `escapeFrom`). Written as the complement of the
 * characters that need none; a regular expression scans faster than a loop in JS.
 */
const NEEDS_CARE = /[^\t\n -!#-%'-;=?-^`-\ud7ff\ue000-\ufffd]/;

/** Text as XML character data; most strings (plain Chinese or ASCII) come back as they are. */
function escapeXml(s: string, flags: number): string {
  const i = s.search(NEEDS_CARE);
  return i < 0 ? s : escapeFrom(s, i, flags);
}

const cellText = (s: string) => escapeXml(s, XSTRING);
const attrText = (s: string) => escapeXml(s, XSTRING | QUOTE);
const plainText = (s: string) => escapeXml(s, 0);

/** 0 → A, 26 → AA. */
function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A sheet name Excel takes: 1–31 characters, none of []:*?/\, not starting or ending with an apostrophe. */
function checkSheetName(name: string) {
  if (!name || name.length > 31 || /[[\]:*?/\\]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new Error(`XlsxStreamWriter: invalid sheet name ${JSON.stringify(name)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Zip

const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const VERSION = 20;
const DEFLATE = 8;

// CRC-32 by zlib.crc32 (Node ≥ 20.15; package.json asks for ≥ 20.19).
const crc32 = (data: Buffer, prev: number): number => zlib.crc32(data, prev);

interface Entry {
  name: Buffer;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS time and date (UTC: the zip has no zone, and UTC keeps a file the same wherever it is made). */
function dosTime(d: Date): { time: number; date: number } {
  if (d.getUTCFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((Math.min(d.getUTCFullYear(), 2107) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

function localHeader(e: Entry, t: { time: number; date: number }): Buffer {
  const b = Buffer.alloc(30 + e.name.length);
  b.writeUInt32LE(SIG_LOCAL, 0);
  b.writeUInt16LE(VERSION, 4);
  b.writeUInt16LE(e.flags, 6);
  b.writeUInt16LE(DEFLATE, 8);
  b.writeUInt16LE(t.time, 10);
  b.writeUInt16LE(t.date, 12);
  // With a data descriptor the CRC and sizes stay 0 here.
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(e.compressed, 18);
  b.writeUInt32LE(e.size, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28);
  e.name.copy(b, 30);
  return b;
}

function centralDirectory(entries: readonly Entry[], t: { time: number; date: number }, offset: number): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (const e of entries) {
    const b = Buffer.alloc(46 + e.name.length);
    b.writeUInt32LE(SIG_CENTRAL, 0);
    b.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
    b.writeUInt16LE(VERSION, 6);
    b.writeUInt16LE(e.flags, 8);
    b.writeUInt16LE(DEFLATE, 10);
    b.writeUInt16LE(t.time, 12);
    b.writeUInt16LE(t.date, 14);
    b.writeUInt32LE(e.crc, 16);
    b.writeUInt32LE(e.compressed, 20);
    b.writeUInt32LE(e.size, 24);
    b.writeUInt16LE(e.name.length, 28);
    b.writeUInt32LE(e.offset, 42); // extra, comment, disk, attributes: all 0
    e.name.copy(b, 46);
    parts.push(b);
    size += b.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/**
 * No ZIP64: the worksheet's sizes and every offset must stay below 4 GiB. The export caps its rows
 * far below that (100,000 rows of 23 columns are ~200 MB of XML), so past this point `row()` refuses.
 */
const ZIP32_MAX = 0xffffffff;
/** Room for the worksheet's local header, its data descriptor, the central directory and the end record. */
const TAIL_RESERVE = 64 * 1024;
/** XML gathered before it goes to the deflate stream (UTF-16 units; up to 3 UTF-8 bytes each). */
const CHUNK_CHARS = 64 * 1024;
const SLAB_BYTES = 1024 * 1024;
const DEFLATE_BACKLOG = 1024 * 1024;

/** Excel's sheet size: beyond it Excel "repairs" the file by dropping rows. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

const SHEET_PATH = 'xl/worksheets/sheet1.xml';
const SHEET_END =
  '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function packageParts(o: XlsxWriterOptions): [string, string][] {
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const when = (o.created ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const creator = plainText(o.creator ?? '');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const ct = 'application/vnd.openxmlformats-officedocument';
  return [
    [
      '[Content_Types].xml',
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>` +
        `<Override PartName="/${SHEET_PATH}" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
        `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/>` +
        '</Types>',
    ],
    [
      '_rels/.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/>` +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        `<Relationship Id="rId3" Type="${rel}/extended-properties" Target="docProps/app.xml"/>` +
        '</Relationships>',
    ],
    [
      'docProps/app.xml',
      `${head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
        '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
        '<HeadingPairs><vt:vector size="2" baseType="variant">' +
        '<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>' +
        '</vt:vector></HeadingPairs>' +
        `<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>${plainText(o.sheetName)}</vt:lpstr></vt:vector></TitlesOfParts>` +
        '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>' +
        '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion>' +
        '</Properties>',
    ],
    [
      'docProps/core.xml',
      `${head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:creator>${creator}</dc:creator><cp:lastModifiedBy>${creator}</cp:lastModifiedBy>` +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
        `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
        '</cp:coreProperties>',
    ],
    [
      'xl/workbook.xml',
      `${head}<workbook xmlns="${main}" xmlns:r="${rel}">` +
        '<bookViews><workbookView activeTab="0"/></bookViews>' +
        `<sheets><sheet name="${attrText(o.sheetName)}" sheetId="1" r:id="rId1"/></sheets>` +
        '</workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/>` +
        '</Relationships>',
    ],
    ['xl/styles.xml', STYLES],
  ];
}

function sheetStart(columns: readonly SheetColumn[]): string {
  let cols = '';
  for (let i = 0; i < columns.length; i++) {
    cols += `<col min="${i + 1}" max="${i + 1}" width="${columns[i]!.width}" customWidth="1"/>`;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols ? `<cols>${cols}</cols>` : '') +
    '<sheetData>'
  );
}

// ---------------------------------------------------------------------------------------------
// The writer

export class XlsxStreamWriter {
  private readonly out: Writable;
  private readonly options: XlsxWriterOptions;
  private readonly time: { time: number; date: number };
  // Per column, the pieces around the row number of a cell: `<c r="B` + row + one of these.
  private readonly cellOpen: string[];
  private readonly stringTail: string[];
  private readonly numberTail: string[];
  private readonly dateTail: string[];

  private deflate: zlib.DeflateRaw | null = null;
  private readonly entries: Entry[] = [];
  private sheet: Entry | null = null;
  /** Bytes written to `out`: the offset of what comes next. */
  private offset = 0;
  private xml = '';
  private slab = Buffer.alloc(0);
  private slabUsed = 0;
  private rowNumber = 1;
  private count = 0;
  private state: 'new' | 'open' | 'finishing' | 'done' = 'new';
  private failure: Error | null = null;
  private closed = false;
  private deflateEnded = false;
  private waiters: (() => void)[] = [];

  constructor(out: Writable, options: XlsxWriterOptions) {
    checkSheetName(options.sheetName);
    if (options.columns.length > MAX_COLUMNS) throw new Error('XlsxStreamWriter: more columns than Excel has');
    this.out = out;
    this.options = options;
    this.time = dosTime(options.created ?? new Date());
    const n = options.columns.length;
    this.cellOpen = new Array(n);
    this.stringTail = new Array(n);
    this.numberTail = new Array(n);
    this.dateTail = new Array(n);
    for (let i = 0; i < n; i++) {
      const { width, format } = options.columns[i]!;
      if (!(width > 0 && width <= 255)) throw new Error(`XlsxStreamWriter: invalid width of column ${i + 1}`);
      const xf = XF_OF[format];
      this.cellOpen[i] = `<c r="${columnName(i)}`;
      // Text in a number column (an amount too large for a double) takes the plain text style.
      this.stringTail[i] = `" s="${format === 'wrap' ? xf : XF_TEXT}" t="inlineStr"><is>`;
      this.numberTail[i] = `" s="${xf}"><v>`;
      this.dateTail[i] = `" s="${XF_DATE}"><v>`;
    }
  }

  /** Rows written so far (header excluded). */
  get rows(): number {
    return this.count;
  }

  /** The header row (row 1): bold on a light blue fill, centred and wrapped; the sheet is frozen below it. */
  header(values: readonly string[]): void {
    if (this.state !== 'new') throw new Error('XlsxStreamWriter: header() once, before any row');
    this.checkWidth(values.length);
    this.state = 'open';
    this.out.on('drain', this.onDrain);
    this.out.on('error', this.onError);
    this.out.on('close', this.onClose);
    this.out.on('finish', this.wake);
    if (this.gone()) return;

    for (const [path, xml] of packageParts(this.options)) {
      const data = Buffer.from(xml, 'utf8');
      const deflated = zlib.deflateRawSync(data, { level: 6 });
      const e = this.entry(path, 0, crc32(data, 0), deflated.length, data.length);
      this.send(localHeader(e, this.time));
      this.send(deflated);
    }
    this.sheet = this.entry(SHEET_PATH, FLAG_DESCRIPTOR, 0, 0, 0);
    this.send(localHeader(this.sheet, this.time));

    // Up to 1 MB of XML may wait for the deflate stream, so that it works (on the thread pool) while
    // the caller builds the next rows instead of flush() waiting for every chunk. Zlib streams pass
    // their options on to stream.Transform; @types/node's ZlibOptions does not list this one.
    const options: zlib.ZlibOptions & { writableHighWaterMark: number } = {
      level: 6,
      writableHighWaterMark: DEFLATE_BACKLOG,
    };
    const deflate = zlib.createDeflateRaw(options);
    this.deflate = deflate;
    deflate.on('data', this.onData);
    deflate.on('drain', this.wake);
    deflate.on('error', this.onError);
    deflate.on('end', () => {
      this.deflateEnded = true;
      this.wake();
    });

    let s = `${sheetStart(this.options.columns)}<row r="1" ht="32" customHeight="1">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const t = v ? textElement(v) : '';
      if (t) s += `${this.cellOpen[i]}1" s="${XF_HEADER}" t="inlineStr"><is>${t}</is></c>`;
    }
    this.append(`${s}</row>`);
    this.rowNumber = 2;
  }

  /** One data row, cells by column index; null, undefined, '', NaN and invalid dates leave no cell. */
  row(values: readonly SheetCell[]): void {
    if (this.state !== 'open') {
      throw new Error(this.state === 'new' ? 'XlsxStreamWriter: header() comes first' : 'XlsxStreamWriter: finished');
    }
    this.checkWidth(values.length);
    if (this.failure || this.gone()) return; // flush() reports it; the caller stops
    const r = this.rowNumber;
    if (r > MAX_ROWS) throw new Error('XlsxStreamWriter: more rows than Excel has');
    const rs = String(r); // once, not once a cell
    let s = `<row r="${rs}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || v === '') continue;
      if (typeof v === 'string') {
        const t = textElement(v);
        if (t) s += `${this.cellOpen[i]}${rs}${this.stringTail[i]}${t}</is></c>`;
      } else if (typeof v === 'number') {
        if (Number.isFinite(v)) s += `${this.cellOpen[i]}${rs}${this.numberTail[i]}${v}</v></c>`;
      } else {
        const t = v.getTime();
        if (Number.isFinite(t)) s += `${this.cellOpen[i]}${rs}${this.dateTail[i]}${(t - EXCEL_EPOCH) / DAY_MS}</v></c>`;
      }
    }
    s += '</row>';
    this.guard(s);
    this.append(s);
    this.rowNumber++;
    this.count++;
  }

  /**
   * Resolves once the deflate stream and `out` have taken what was written (each below its
   * highWaterMark), or at once when `out` is gone; rejects when `out` or the deflate stream failed.
   */
  async flush(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.gone()) return this.cleanup();
      if (!this.deflate?.writableNeedDrain && !this.out.writableNeedDrain) return;
      await this.waitForEvent();
    }
  }

  /** Ends the sheet, writes the rest of the package and ends `out`; resolves when `out` has finished. */
  async finish(): Promise<void> {
    if (this.state !== 'open') {
      throw new Error(this.state === 'new' ? 'XlsxStreamWriter: header() comes first' : 'XlsxStreamWriter: finished');
    }
    this.state = 'finishing';
    try {
      const deflate = this.deflate;
      const sheet = this.sheet;
      if (this.failure) throw this.failure;
      if (!deflate || !sheet || this.gone()) return;
      this.append(SHEET_END);
      this.pushXml();
      deflate.end();
      while (!this.deflateEnded) {
        if (this.failure) throw this.failure;
        if (this.gone()) return;
        await this.waitForEvent();
      }
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(SIG_DESCRIPTOR, 0);
      descriptor.writeUInt32LE(sheet.crc, 4);
      descriptor.writeUInt32LE(sheet.compressed, 8);
      descriptor.writeUInt32LE(sheet.size, 12);
      this.send(descriptor);
      this.send(centralDirectory(this.entries, this.time, this.offset));
      this.out.end();
      while (!this.out.writableFinished) {
        if (this.failure) throw this.failure;
        if (this.gone()) return;
        await this.waitForEvent();
      }
    } finally {
      this.state = 'done';
      this.cleanup();
    }
  }

  // -------------------------------------------------------------------------------------------

  private checkWidth(n: number) {
    if (n > this.options.columns.length) {
      throw new Error(`XlsxStreamWriter: ${n} cells for ${this.options.columns.length} columns`);
    }
  }

  private entry(path: string, flags: number, crc: number, compressed: number, size: number): Entry {
    const e = { name: Buffer.from(path, 'utf8'), flags: flags | FLAG_UTF8, crc, compressed, size, offset: this.offset };
    this.entries.push(e);
    return e;
  }

  /** Refuses a row that could carry the zip past 4 GiB (counting 3 bytes a UTF-16 unit, and deflate's worst case). */
  private guard(s: string) {
    const sheet = this.sheet;
    if (!sheet) return;
    const size = sheet.size + (this.xml.length + s.length + SHEET_END.length) * 3;
    if (sheet.offset + size + Math.ceil(size / 1024) + TAIL_RESERVE > ZIP32_MAX) {
      throw new Error('XlsxStreamWriter: the workbook would pass 4 GiB (no ZIP64)');
    }
  }

  private append(s: string) {
    this.xml += s;
    if (this.xml.length >= CHUNK_CHARS) this.pushXml();
  }

  /**
   * The gathered XML into the deflate stream, its CRC and size counted. Encoded into a 1 MB slab
   * (one pass, where Buffer.from measures first and then encodes: a third of the encoding time);
   * a slab is let go once the deflate stream has taken the pieces that point into it.
   */
  private pushXml() {
    const xml = this.xml;
    this.xml = '';
    if (!xml || !this.deflate || !this.sheet || this.failure || this.gone()) return;
    const most = xml.length * 3;
    if (this.slab.length - this.slabUsed < most) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, most));
      this.slabUsed = 0;
    }
    const n = this.slab.write(xml, this.slabUsed, 'utf8');
    const data = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    this.slabUsed += n;
    this.sheet.crc = crc32(data, this.sheet.crc);
    this.sheet.size += n;
    this.deflate.write(data);
  }

  /** False when `out` wants to drain first. */
  private send(b: Buffer): boolean {
    if (this.gone()) return true;
    this.offset += b.length;
    return this.out.write(b);
  }

  private gone(): boolean {
    return this.closed || this.out.destroyed;
  }

  private readonly onData = (chunk: Buffer) => {
    this.sheet!.compressed += chunk.length;
    // Deflate output waits in the deflate stream (which then stops taking input) while `out` is full.
    if (!this.send(chunk)) this.deflate?.pause();
  };

  private readonly onDrain = () => {
    this.deflate?.resume();
    this.wake();
  };

  private readonly onError = (err: Error) => {
    this.failure ??= err;
    this.deflate?.destroy();
    this.wake();
  };

  private readonly onClose = () => {
    this.closed = true;
    if (this.state !== 'done' && this.state !== 'finishing') this.cleanup();
    this.wake();
  };

  private readonly wake = () => {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  };

  private waitForEvent(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Lets go of the deflate stream (unless it ended) and, once done or gone, of `out`'s events. */
  private cleanup() {
    if (this.deflate && !this.deflateEnded) this.deflate.destroy();
    this.xml = '';
    if (this.state === 'done' || this.gone()) {
      this.out.off('drain', this.onDrain);
      this.out.off('error', this.onError);
      this.out.off('close', this.onClose);
      this.out.off('finish', this.wake);
      this.wake();
    }
  }
}

/** `<t>` with the escaped text ('' when none is left); xml:space="preserve" keeps leading and trailing whitespace. */
function textElement(v: string): string {
  const text = cellText(v);
  if (!text) return '';
  return text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32
    ? `<t xml:space="preserve">${text}</t>`
    : `<t>${text}</t>`;
}
