import type { Locale } from '../../../../domain/errors.js';
import { chineseNumeral } from '../../../../domain/feedback-parser.js';
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
  const numbering = list.get('word/numbering.xml');
  const lists = numbering
    ? numberingOf(inflateEntry(buf, numbering, MAX_DOCUMENT_XML_BYTES, bad).toString('utf8'))
    : null;
  return paragraphs(inflateEntry(buf, doc, MAX_DOCUMENT_XML_BYTES, bad).toString('utf8'), lists);
}

// ---------------------------------------------------------------------------------------------
// Automatic numbering (编号): Word keeps the "一、" of a numbered paragraph in numbering.xml, not in
// the text, so the labels are rebuilt from the list definitions and counted paragraph by paragraph.

interface ListLevel {
  format: string;
  text: string;
  start: number;
}

/** Levels of each list (numId → ilvl → level), from word/numbering.xml. */
export type Numbering = Map<string, Map<number, ListLevel>>;

const val = (xml: string, tag: string) => new RegExp(`<w:${tag}\\b[^>]*\\bw:val="([^"]*)"`).exec(xml)?.[1];

export function numberingOf(xml: string): Numbering {
  const abstract = new Map<string, Map<number, ListLevel>>();
  for (const a of xml.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="([^"]*)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    const levels = new Map<number, ListLevel>();
    for (const l of a[2]!.matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      levels.set(Number(l[1]), {
        format: val(l[2]!, 'numFmt') ?? 'decimal',
        text: decodeXml(val(l[2]!, 'lvlText') ?? ''),
        start: Number(val(l[2]!, 'start') ?? 1) || 1,
      });
    }
    abstract.set(a[1]!, levels);
  }
  const lists: Numbering = new Map();
  for (const n of xml.matchAll(/<w:num\b[^>]*w:numId="([^"]*)"[^>]*>([\s\S]*?)<\/w:num>/g)) {
    const base = abstract.get(val(n[2]!, 'abstractNumId') ?? '');
    if (!base) continue;
    const levels = new Map([...base].map(([k, v]) => [k, { ...v }]));
    for (const o of n[2]!.matchAll(/<w:lvlOverride\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvlOverride>/g)) {
      const start = val(o[2]!, 'startOverride');
      const level = levels.get(Number(o[1]));
      if (start && level) level.start = Number(start) || 1;
    }
    lists.set(n[1]!, levels);
  }
  return lists;
}

const LEGAL: Record<string, string> = {
  一: '壹',
  二: '贰',
  三: '叁',
  四: '肆',
  五: '伍',
  六: '陆',
  七: '柒',
  八: '捌',
  九: '玖',
  十: '拾',
  百: '佰',
};

function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'decimal':
    case 'decimalZero':
      return format === 'decimalZero' && n < 10 ? `0${n}` : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'ideographTraditional':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return n >= 1 && n <= 999 ? chineseNumeral(n) : String(n);
    case 'chineseLegalSimplified':
      return n >= 1 && n <= 999 ? chineseNumeral(n).replace(/./g, (c) => LEGAL[c] ?? c) : String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'lowerLetter':
    case 'upperLetter': {
      const letter = String.fromCharCode(97 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return format === 'upperLetter' ? letter.toUpperCase() : letter;
    }
    default:
      return String(n);
  }
}

/** Counts numbered paragraphs and renders each one's label ("一、", "（二）", "3."). */
class ListCounter {
  private readonly counters = new Map<string, number[]>();
  constructor(private readonly lists: Numbering) {}

  label(numId: string, ilvl: number): string {
    const levels = this.lists.get(numId);
    const level = levels?.get(ilvl);
    if (!levels || !level || level.format === 'bullet' || level.format === 'none') return '';
    const counts = this.counters.get(numId) ?? [];
    counts[ilvl] = (counts[ilvl] ?? level.start - 1) + 1;
    counts.length = ilvl + 1; // a deeper level starts again under a new item
    this.counters.set(numId, counts);
    return level.text.replace(/%([1-9])/g, (_, d: string) => {
      const k = Number(d) - 1;
      const l = levels.get(k);
      return l ? formatNumber(counts[k] ?? l.start, l.format) : '';
    });
  }
}

/**
 * Paragraphs of WordprocessingML as lines: the text of `<w:t>` runs, `<w:tab/>` as a tab and a
 * manual line break (`<w:br/>`, `<w:cr/>`) as a new line, and the label of an automatically
 * numbered paragraph (`<w:numPr>`) in front. Deleted text of tracked changes (`<w:delText>`), field
 * codes and everything else are left out.
 */
export function paragraphs(xml: string, lists: Numbering | null = null): string[] {
  const lines: string[] = [];
  let current = '';
  let inParagraph = false;
  let first = 0; // the paragraph's first line
  let numId: string | null = null;
  let ilvl = 0;
  const counter = lists ? new ListCounter(lists) : null;
  const end = () => {
    const label = counter && numId && numId !== '0' ? counter.label(numId, ilvl) : '';
    if (label) {
      if (first < lines.length) lines[first] = label + lines[first];
      else current = label + current;
    }
    lines.push(current);
    current = '';
    numId = null;
    ilvl = 0;
  };
  const token = /<(\/?)w:(p|t|tab|br|cr|numId|ilvl)(?=[\s/>])([^>]*)>/g;
  let m: RegExpExecArray | null = token.exec(xml);
  while (m) {
    const [, close, name, attrs] = m;
    const selfClosing = attrs!.endsWith('/');
    if (name === 'p') {
      if (close || selfClosing) {
        if (selfClosing) first = lines.length;
        end();
        inParagraph = false;
      } else {
        if (inParagraph && current) lines.push(current); // a paragraph inside a text box
        current = '';
        first = lines.length;
        inParagraph = true;
      }
    } else if (name === 'numId' && !close) {
      numId = /w:val="([^"]*)"/.exec(attrs!)?.[1] ?? null;
    } else if (name === 'ilvl' && !close) {
      ilvl = Number(/w:val="(\d+)"/.exec(attrs!)?.[1] ?? 0);
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
