import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';

/** The part of archiver 5 used here (it ships no types). */
interface Archive extends Transform {
  append(source: Buffer | string, data: { name: string; date?: Date }): this;
  finalize(): Promise<void>;
}
const archiver = createRequire(import.meta.url)('archiver') as (
  format: 'zip',
  options: { zlib?: { level: number } },
) => Archive;

/** What an official supervision document (督办单 / 监察建议书) shows, top to bottom (GB/T 9704 order). */
export interface OfficialDocument {
  issuer: string; // 发文机关
  docNumber: string; // 文号
  title: string; // 标题
  addressee: string; // 主送机关
  body: string; // 正文 (paragraphs split on line breaks)
  responseDeadline: string | null; // 'YYYY-MM-DD'
  date: string; // 成文日期 'YYYY-MM-DD'
}

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

const FANGSONG = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';

function run(text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}): string {
  const font = o.font ?? FANGSONG;
  const size = o.size ?? 32; // 三号 = 16 pt = 32 half-points
  return (
    `<w:r><w:rPr><w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}"/>` +
    `${o.bold ? '<w:b/>' : ''}${o.color ? `<w:color w:val="${o.color}"/>` : ''}` +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>` +
    `<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
  );
}

function paragraph(
  runs: string,
  o: { align?: 'center' | 'right' | 'left' | 'both'; indent?: boolean; after?: number } = {},
): string {
  const props =
    `<w:pPr><w:spacing w:after="${o.after ?? 0}" w:line="560" w:lineRule="exact"/>` +
    `${o.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : ''}` +
    `<w:jc w:val="${o.align ?? 'both'}"/></w:pPr>`;
  return `<w:p>${props}${runs}</w:p>`;
}

/** word/document.xml of the document: 版头 (issuer in red, 文号), title, addressee, body, deadline, signature. */
export function documentXml(d: OfficialDocument): string {
  const body = d.body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => paragraph(run(l), { indent: true }));
  const parts = [
    paragraph(run(d.issuer, { font: TITLE_FONT, size: 52, color: 'FF0000' }), { align: 'center', after: 200 }),
    paragraph(run(d.docNumber), { align: 'center', after: 200 }),
    `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="FF0000"/></w:pBdr></w:pPr></w:p>`,
    paragraph(run(d.title, { font: TITLE_FONT, size: 44 }), { align: 'center', after: 300 }),
    paragraph(run(`${d.addressee}：`), { align: 'left' }),
    ...body,
  ];
  if (d.responseDeadline)
    parts.push(paragraph(run(`请于${chineseDate(d.responseDeadline)}前将办理情况书面回复。`), { indent: true }));
  parts.push(
    paragraph(''),
    paragraph(run(d.issuer), { align: 'right' }),
    paragraph(run(chineseDate(d.date)), { align: 'right' }),
  );
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    parts.join('') +
    // A4, GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>' +
    '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>' +
    '</w:sectPr></w:body></w:document>'
  );
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';

const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

/** The .docx package (WordprocessingML): [Content_Types].xml, _rels/.rels and word/document.xml. */
export async function buildDocx(d: OfficialDocument, date: Date): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (c: Buffer) => chunks.push(c));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  archive.append(CONTENT_TYPES, { name: '[Content_Types].xml', date });
  archive.append(RELS, { name: '_rels/.rels', date });
  archive.append(documentXml(d), { name: 'word/document.xml', date });
  await archive.finalize();
  return done;
}
