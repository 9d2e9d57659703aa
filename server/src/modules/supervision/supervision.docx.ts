import {
  buildDocx as buildPackage,
  chineseDate,
  FONTS,
  documentXml as gbtDocument,
  paragraph,
  run,
  SIZES,
} from '../../platform/docx/gbt9704.js';

// The general GB/T 9704 writer lives in platform/docx; these stay exported from here for callers.
export { chineseDate, escapeXml } from '../../platform/docx/gbt9704.js';

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

/** word/document.xml of the document: 版头 (issuer in red, 文号), title, addressee, body, deadline, signature. */
export function documentXml(d: OfficialDocument): string {
  const body = d.body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => paragraph(run(l), { indent: true }));
  const parts = [
    paragraph(run(d.issuer, { font: FONTS.title, size: 52, color: 'FF0000' }), { align: 'center', after: 200 }),
    paragraph(run(d.docNumber), { align: 'center', after: 200 }),
    `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="FF0000"/></w:pBdr></w:pPr></w:p>`,
    paragraph(run(d.title, { font: FONTS.title, size: SIZES.title }), { align: 'center', after: 300 }),
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
  return gbtDocument(parts);
}

/** The .docx package (WordprocessingML): [Content_Types].xml, _rels/.rels and word/document.xml. */
export async function buildDocx(d: OfficialDocument, date: Date): Promise<Buffer> {
  return buildPackage(documentXml(d), date);
}
