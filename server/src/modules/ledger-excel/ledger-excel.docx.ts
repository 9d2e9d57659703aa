import type { Locale } from '../../../../domain/errors.js';
import { ledgerImportMessage } from '../../../../domain/ledger-import-messages.js';
import { AppError } from '../../platform/errors.js';
import { decodeXml, hasZipMagic, inflateEntry, zipEntries } from './ledger-excel.zip.js';

/**
 * The text of an uploaded 反馈意见 .docx, one line per paragraph (`<w:p>`), for the feedback parser.
 * The package is read by its central directory and only word/document.xml is inflated, with a hard
 * bound on its inflated size, so a zip bomb costs nothing. Macro-enabled documents (.docm), a file
 * that only has the extension, and anything without word/document.xml are refused.
 */

/** Inflated size of word/document.xml: a long feedback with tables is well below 5 MB. */
export const MAX_DOCUMENT_XML_BYTES = 30 * 1024 * 1024;

/** 400 VALIDATION_FAILED saying, in the caller's language, that the file is not a .docx document. */
export function invalidDocx(locale: Locale): AppError {
  return new AppError(400, 'VALIDATION_FAILED', { detail: ledgerImportMessage('DOCX_INVALID', locale) });
}

/** Refuses what is not a plain .docx and answers its paragraphs as lines. */
export function docxLines(buf: Buffer, filename: string | undefined, locale: Locale): string[] {
  const bad = () => invalidDocx(locale);
  if (!filename || !/\.docx$/i.test(filename.trim())) throw bad();
  if (!hasZipMagic(buf)) throw bad();
  const list = zipEntries(buf, bad);
  const doc = list.get('word/document.xml');
  const types = list.get('[Content_Types].xml');
  if (!doc || !types) throw bad();
  if ([...list.keys()].some((name) => /vba[^/]*\.bin$/i.test(name))) throw bad();
  if (/macroEnabled|vbaProject/i.test(inflateEntry(buf, types, 1024 * 1024, bad).toString('utf8'))) throw bad();
  return paragraphs(inflateEntry(buf, doc, MAX_DOCUMENT_XML_BYTES, bad).toString('utf8'));
}

/**
 * Paragraphs of WordprocessingML as lines: the text of `<w:t>` runs, `<w:tab/>` as a tab and a
 * manual line break (`<w:br/>`, `<w:cr/>`) as a new line. Deleted text of tracked changes
 * (`<w:delText>`), field codes and everything else are left out.
 */
export function paragraphs(xml: string): string[] {
  const lines: string[] = [];
  let current = '';
  let inParagraph = false;
  const token = /<(\/?)w:(p|t|tab|br|cr)(?=[\s/>])([^>]*)>/g;
  let m: RegExpExecArray | null = token.exec(xml);
  while (m) {
    const [, close, name, attrs] = m;
    const selfClosing = attrs!.endsWith('/');
    if (name === 'p') {
      if (close || selfClosing) {
        lines.push(current);
        current = '';
        inParagraph = false;
      } else {
        if (inParagraph && current) lines.push(current); // a paragraph inside a text box
        current = '';
        inParagraph = true;
      }
    } else if (name === 't' && !close && !selfClosing) {
      const endAt = xml.indexOf('</w:t>', token.lastIndex);
      if (endAt < 0) break;
      current += decodeXml(xml.slice(token.lastIndex, endAt));
      token.lastIndex = endAt + 6;
    } else if (name === 'tab' && !close) {
      current += '\t';
    } else if ((name === 'br' || name === 'cr') && !close) {
      lines.push(current);
      current = '';
    }
    m = token.exec(xml);
  }
  if (current) lines.push(current);
  return lines;
}
