import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';

/**
 * A small WordprocessingML writer for official documents laid out per GB/T 9704-2012 (党政机关公文格式):
 * A4, 版心 156 × 225 mm (margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), 2号 方正小标宋简体
 * title, 3号 仿宋_GB2312 body on a 28 pt line (22 lines a page), 黑体 for 一、 headings, 楷体 for （一）
 * headings, and the page number in 4号 宋体 as "— 1 —" in the footer (odd pages right, even pages left,
 * one character in from the edge). Hand-built (archiver + XML) so the output is fully under our control.
 */

/** The part of archiver 5 used here (it ships no types). */
interface Archive extends Transform {
  append(source: Buffer | string, data: { name: string; date?: Date }): this;
  finalize(): Promise<void>;
}
const archiver = createRequire(import.meta.url)('archiver') as (
  format: 'zip',
  options: { zlib?: { level: number } },
) => Archive;

export const FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

/** Sizes in half-points (w:sz): 2号 22 pt, 3号 16 pt, 4号 14 pt, 小4 12 pt. */
export const SIZES = { title: 44, body: 32, pageNumber: 28, table: 24 } as const;

/** Page setup in twips (1 mm = 1440 / 25.4 twips): A4 and the GB/T 9704 margins. */
export const PAGE = {
  width: 11906,
  height: 16838,
  top: 2098, // 37 mm
  bottom: 1984, // 35 mm
  left: 1588, // 28 mm
  right: 1474, // 26 mm
} as const;

/** 28 pt exact line spacing (twentieths of a point). */
export const LINE = 560;

/** Characters XML 1.0 cannot carry at all are dropped; the five specials are escaped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** 2026-12-01 → 2026年12月1日 (the way an official document writes its date). */
export function chineseDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

export interface RunOptions {
  font?: string;
  size?: number;
  bold?: boolean;
  color?: string;
}

/** One run of text in a font (all four font slots, so Chinese and Latin text agree). */
export function run(text: string, o: RunOptions = {}): string {
  const font = o.font ?? FONTS.body;
  const size = o.size ?? SIZES.body;
  return (
    `<w:r><w:rPr><w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}"/>` +
    `${o.bold ? '<w:b/>' : ''}${o.color ? `<w:color w:val="${o.color}"/>` : ''}` +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>` +
    `<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
  );
}

export interface ParagraphOptions {
  align?: 'center' | 'right' | 'left' | 'both';
  indent?: boolean; // 首行缩进 2 characters
  after?: number;
  style?: string;
  keepNext?: boolean;
}

export function paragraph(runs: string, o: ParagraphOptions = {}): string {
  const props =
    `<w:pPr>${o.style ? `<w:pStyle w:val="${o.style}"/>` : ''}${o.keepNext ? '<w:keepNext/>' : ''}` +
    `<w:spacing w:after="${o.after ?? 0}" w:line="${LINE}" w:lineRule="exact"/>` +
    `${o.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : ''}` +
    `<w:jc w:val="${o.align ?? 'both'}"/></w:pPr>`;
  return `<w:p>${props}${runs}</w:p>`;
}

// --- the blocks of a document body ---------------------------------------------------------------

/** 标题: 2号 方正小标宋简体, centred, one blank line after. */
export const title = (text: string) =>
  paragraph(run(text, { font: FONTS.title, size: SIZES.title }), { align: 'center', after: LINE, style: 'Title' });

/** 一级标题 "一、…": 黑体 3号, indented two characters like the body. */
export const heading1 = (text: string) =>
  paragraph(run(text, { font: FONTS.heading1 }), { indent: true, style: 'Heading1', keepNext: true });

/** 二级标题 "（一）…": 楷体 3号. */
export const heading2 = (text: string) =>
  paragraph(run(text, { font: FONTS.heading2 }), { indent: true, style: 'Heading2', keepNext: true });

/** 正文 paragraph: 仿宋 3号, first line indented two characters. */
export const body = (text: string) => paragraph(run(text), { indent: true });

/** A blank body line. */
export const blank = () => paragraph('');

/** 主送机关 line, flush left. */
export const addressee = (text: string) => paragraph(run(`${text}：`), { align: 'left' });

/** 发文机关署名 and 成文日期, right-aligned (four characters in from the right edge). */
export const signature = (issuer: string, date: string) =>
  [issuer, chineseDate(date)]
    .map((t) =>
      paragraph(run(t), { align: 'right' }).replace(
        '<w:jc w:val="right"/>',
        '<w:ind w:right="1280"/><w:jc w:val="right"/>',
      ),
    )
    .join('');

/**
 * A table with a header row (黑体) and body rows (仿宋), 小4 on a single line, full width of the 版心,
 * columns sized by the given weights. Numbers are right-aligned when `numeric[i]`.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], weights?: readonly number[]) {
  const full = PAGE.width - PAGE.left - PAGE.right;
  const w = weights ?? headers.map(() => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  const widths = w.map((x) => Math.floor((full * x) / sum));
  const cell = (text: string, width: number, head: boolean, right: boolean) =>
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>` +
    `<w:p><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/><w:jc w:val="${head ? 'center' : right ? 'right' : 'left'}"/></w:pPr>` +
    `${run(text, { font: head ? FONTS.heading1 : FONTS.body, size: SIZES.table })}</w:p></w:tc>`;
  const numeric = (text: string) => /^-?[\d.,%]+$/.test(text);
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  return (
    `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="${full}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/></w:tblPr>` +
    `<w:tblGrid>${widths.map((x) => `<w:gridCol w:w="${x}"/>`).join('')}</w:tblGrid>` +
    `<w:tr><w:trPr><w:tblHeader/></w:trPr>${headers.map((h, i) => cell(h, widths[i]!, true, false)).join('')}</w:tr>` +
    rows
      .map(
        (r) =>
          `<w:tr><w:trPr><w:cantSplit/></w:trPr>${r.map((c, i) => cell(c, widths[i]!, false, numeric(c))).join('')}</w:tr>`,
      )
      .join('') +
    '</w:tbl>'
  );
}

// --- the package ----------------------------------------------------------------------------------

const NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export interface SectionOptions {
  /** Page-number footers (— 1 —); they need the footer parts, so buildDocx adds them too. */
  pageNumbers?: boolean;
  /** Distance of the footer from the page's bottom edge, in twips. */
  footer?: number;
}

/** The section properties: A4, the GB/T 9704 margins and, when asked, the odd/even page-number footers. */
export function sectPr(o: SectionOptions = {}): string {
  const refs = o.pageNumbers
    ? `<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>`
    : '';
  return (
    `<w:sectPr>${refs}<w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/>` +
    `<w:pgMar w:top="${PAGE.top}" w:right="${PAGE.right}" w:bottom="${PAGE.bottom}" w:left="${PAGE.left}" ` +
    `w:header="851" w:footer="${o.footer ?? 992}" w:gutter="0"/>` +
    `<w:docGrid w:type="lines" w:linePitch="${LINE}"/></w:sectPr>`
  );
}

/** word/document.xml around the given body blocks. */
export function documentXml(blocks: readonly string[], o: SectionOptions = {}): string {
  return (
    `${XML_HEAD}<w:document xmlns:w="${NS_W}" xmlns:r="${NS_R}"><w:body>` +
    blocks.join('') +
    sectPr(o) +
    '</w:body></w:document>'
  );
}

/** A footer with the page number as "— PAGE —", 4号 宋体, one character in from the outer edge. */
export function footerXml(side: 'right' | 'left'): string {
  const r = (t: string) => run(t, { font: FONTS.pageNumber, size: SIZES.pageNumber });
  const rPr =
    `<w:rPr><w:rFonts w:ascii="${FONTS.pageNumber}" w:hAnsi="${FONTS.pageNumber}" w:eastAsia="${FONTS.pageNumber}"/>` +
    `<w:sz w:val="${SIZES.pageNumber}"/><w:szCs w:val="${SIZES.pageNumber}"/></w:rPr>`;
  const field =
    `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r>` +
    `<w:r>${rPr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r>` +
    `<w:r>${rPr}<w:t>1</w:t></w:r>` +
    `<w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>`;
  const indent = side === 'right' ? '<w:ind w:right="280"/>' : '<w:ind w:left="280"/>';
  return (
    `${XML_HEAD}<w:ftr xmlns:w="${NS_W}" xmlns:r="${NS_R}">` +
    `<w:p><w:pPr><w:pStyle w:val="Footer"/>${indent}<w:jc w:val="${side}"/></w:pPr>` +
    `${r('— ')}${field}${r(' —')}</w:p></w:ftr>`
  );
}

/** word/styles.xml: the document defaults (仿宋 3号, 28 pt lines) and the title and heading styles. */
export function stylesXml(): string {
  const fonts = (f: string) => `<w:rFonts w:ascii="${f}" w:hAnsi="${f}" w:eastAsia="${f}" w:cs="${f}"/>`;
  const sz = (s: number) => `<w:sz w:val="${s}"/><w:szCs w:val="${s}"/>`;
  const style = (id: string, name: string, font: string, size: number, extra = '') =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/>` +
    `<w:next w:val="Normal"/><w:qFormat/><w:pPr>${extra}</w:pPr><w:rPr>${fonts(font)}${sz(size)}</w:rPr></w:style>`;
  return (
    `${XML_HEAD}<w:styles xmlns:w="${NS_W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts(FONTS.body)}${sz(SIZES.body)}<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="${LINE}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
    `<w:rPr>${fonts(FONTS.body)}${sz(SIZES.body)}</w:rPr></w:style>` +
    style('Title', 'Title', FONTS.title, SIZES.title, '<w:jc w:val="center"/>') +
    style('Heading1', 'heading 1', FONTS.heading1, SIZES.body, '<w:keepNext/><w:outlineLvl w:val="0"/>') +
    style('Heading2', 'heading 2', FONTS.heading2, SIZES.body, '<w:keepNext/><w:outlineLvl w:val="1"/>') +
    style('Footer', 'footer', FONTS.pageNumber, SIZES.pageNumber, '<w:spacing w:line="240" w:lineRule="auto"/>') +
    `<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>` +
    '</w:styles>'
  );
}

/** word/settings.xml: odd and even pages have their own footers (页码 right on odd, left on even); CT_Settings order. */
const SETTINGS = `${XML_HEAD}<w:settings xmlns:w="${NS_W}"><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/></w:settings>`;

const OVERRIDE = (part: string, type: string) =>
  `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml"/>`;

function contentTypes(full: boolean): string {
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    OVERRIDE('/word/document.xml', 'document.main') +
    (full
      ? OVERRIDE('/word/styles.xml', 'styles') +
        OVERRIDE('/word/settings.xml', 'settings') +
        OVERRIDE('/word/footer1.xml', 'footer') +
        OVERRIDE('/word/footer2.xml', 'footer')
      : '') +
    '</Types>'
  );
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

const REL = (id: string, type: string, target: string) =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
const DOCUMENT_RELS =
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  REL('rIdStyles', 'styles', 'styles.xml') +
  REL('rIdSettings', 'settings', 'settings.xml') +
  REL('rIdFooterOdd', 'footer', 'footer1.xml') +
  REL('rIdFooterEven', 'footer', 'footer2.xml') +
  '</Relationships>';

/**
 * The .docx package. `full` adds the styles, the settings and the two page-number footers (a document
 * whose sectPr was built with `pageNumbers`); without it the package is the three minimal parts.
 */
export async function buildDocx(document: string, date: Date, full = false): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (c: Buffer) => chunks.push(c));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  archive.append(contentTypes(full), { name: '[Content_Types].xml', date });
  archive.append(ROOT_RELS, { name: '_rels/.rels', date });
  archive.append(document, { name: 'word/document.xml', date });
  if (full) {
    archive.append(DOCUMENT_RELS, { name: 'word/_rels/document.xml.rels', date });
    archive.append(stylesXml(), { name: 'word/styles.xml', date });
    archive.append(SETTINGS, { name: 'word/settings.xml', date });
    archive.append(footerXml('right'), { name: 'word/footer1.xml', date });
    archive.append(footerXml('left'), { name: 'word/footer2.xml', date });
  }
  await archive.finalize();
  return done;
}
