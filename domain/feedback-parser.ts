/**
 * Feedback to lists in one step (SPEC M18): splits a 反馈意见 text on its own numbering into a tree
 * and turns every leaf item into a draft problem, ready for the unit or the office to confirm.
 * Pure: no I/O. The server feeds it the pasted text or the paragraphs of an uploaded .docx.
 *
 * Numbering levels, outermost first (full-width and half-width punctuation alike; a document may
 * skip a level, e.g. 一、 straight to 1.):
 *   1  一、  (also 一． / 一.)
 *   2  （一） or (一)
 *   3  1.  or 1、 or 1．            (not 1.5 — a decimal is text)
 *   4  （1） or (1)
 *   5  ① … ⑳
 * A numbered item starts only at the beginning of a line; every other line continues the item
 * before it (a wrapped line). Text before the first number is the preamble.
 */

export type FeedbackLevel = 1 | 2 | 3 | 4 | 5;

export interface FeedbackNode {
  level: FeedbackLevel;
  /** Its own number, written canonically: 一、 / （一） / 1. / （1） / ①. */
  label: string;
  /** The numeric value of the label (一 → 1, （十二） → 12). */
  index: number;
  /** The first line of the item (its title when it has children), without the number and a final colon. */
  title: string;
  /** All its text, wrapped lines joined. */
  text: string;
  /** 1-based line of the source where the item starts. */
  line: number;
  children: FeedbackNode[];
}

export interface DraftProblem {
  /** The full path label, e.g. "一、（二）3.". */
  number: string;
  /** The titles of the items above it, outermost first, joined with " / ". */
  heading: string;
  description: string;
  /** A guessed problem_category code, or null when no keyword matched. */
  categoryCode: string | null;
}

export interface ParsedFeedback {
  preamble: string;
  items: FeedbackNode[];
  drafts: DraftProblem[];
}

/** A problem_category dictionary entry, as far as guessing needs it. */
export interface CategoryRef {
  code: string;
  labels: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Chinese numerals

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 九百九十九 → 1 … 999; null for anything that is not a well-formed numeral. */
export function parseChineseNumeral(s: string): number | null {
  if (!s || s.length > 8) return null;
  let total = 0;
  let digit: number | null = null;
  let lastUnit = 1000;
  for (const ch of s) {
    if (ch in DIGITS) {
      if (digit !== null && digit !== 0) return null; // 一一
      digit = DIGITS[ch]!;
      continue;
    }
    const unit = ch === '百' ? 100 : ch === '十' ? 10 : 0;
    if (!unit || unit >= lastUnit) return null;
    if (digit === 0) return null;
    if (digit === null && !(unit === 10 && total === 0)) return null; // 一百十, 百
    total += (digit ?? 1) * unit;
    lastUnit = unit;
    digit = null;
  }
  if (digit !== null) {
    if (digit === 0 && s.length === 1) return null;
    total += digit;
  }
  return total >= 1 && total <= 999 ? total : null;
}

/** 1 … 999 → 一 … 九百九十九 (十一, 二十, 一百零五). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new Error(`no numeral for ${n}`);
  const d = '〇一二三四五六七八九';
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = '';
  if (h) s += `${d[h]}百`;
  if (t) s += `${h === 0 && t === 1 ? '' : d[t]}十`;
  else if (h && u) s += '零';
  if (u) s += d[u];
  return s;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

// ---------------------------------------------------------------------------------------------
// Markers

const CN = '[〇零一二两三四五六七八九十百]{1,8}';
const MARKERS: { level: FeedbackLevel; re: RegExp; value: (m: RegExpExecArray) => number | null }[] = [
  { level: 1, re: new RegExp(`^(${CN})\\s*[、．.]`), value: (m) => parseChineseNumeral(m[1]!) },
  { level: 2, re: new RegExp(`^[（(]\\s*(${CN})\\s*[）)]`), value: (m) => parseChineseNumeral(m[1]!) },
  { level: 3, re: /^(\d{1,3})\s*[.．、](?!\d)/, value: (m) => positive(m[1]!) },
  { level: 4, re: /^[（(]\s*(\d{1,3})\s*[）)]/, value: (m) => positive(m[1]!) },
  { level: 5, re: new RegExp(`^([${CIRCLED}])`, 'u'), value: (m) => CIRCLED.indexOf(m[1]!) + 1 },
];

function positive(s: string): number | null {
  const n = Number(s);
  return n >= 1 ? n : null;
}

/** The canonical form of a label: 一、 / （一） / 1. / （1） / ①. */
export function canonicalLabel(level: FeedbackLevel, index: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(index)}、`;
    case 2:
      return `（${chineseNumeral(index)}）`;
    case 3:
      return `${index}.`;
    case 4:
      return `（${index}）`;
    case 5:
      return CIRCLED[index - 1]!;
  }
}

/** Full-width digits and spaces as their ASCII forms; other characters unchanged. */
function normaliseLine(line: string): string {
  return line
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u00a0\u3000\u2000-\u200b\ufeff\t]/g, ' ')
    .trim();
}

function matchMarker(line: string): { level: FeedbackLevel; index: number; rest: string } | null {
  for (const m of MARKERS) {
    const r = m.re.exec(line);
    if (!r) continue;
    const index = m.value(r);
    if (index === null) continue;
    return { level: m.level, index, rest: line.slice(r[0].length).trim() };
  }
  return null;
}

/** Joins a wrapped line to the text before it: no space between CJK text, one between Latin words. */
function joinWrapped(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return /[A-Za-z0-9,;:.!?)]$/.test(a) && /^[A-Za-z0-9(]/.test(b) ? `${a} ${b}` : `${a}${b}`;
}

/** The first line that says something (a bare number may have its title on the next line). */
function titleOf(lines: readonly string[]): string {
  let t = '';
  for (const l of lines) {
    t = l.replace(/[：:]\s*$/, '').trim();
    if (t) break;
  }
  if (t.length > 100) {
    const stop = t.search(/[。；;]/);
    t = stop > 0 && stop < 100 ? t.slice(0, stop) : `${t.slice(0, 100)}…`;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Categories

/**
 * Keyword topics in the order they are tried: the most specific first, so that "公款吃喝" under a
 * heading about 全面从严治党 is still a 八项规定 problem. `codes` start with the code of the default
 * dictionary (migration 2026-11-27T0002), then other spellings; `hints` are words a category's
 * label may contain, for dictionaries the administrator has changed.
 */
export const CATEGORY_TOPICS: readonly { codes: readonly string[]; hints: readonly string[]; keywords: RegExp }[] = [
  {
    codes: ['civil_air_defence', 'civil_air_defense', 'civil_defence', 'civil_defense', 'air_defence'],
    hints: ['人防', '人民防空'],
    keywords: /人防|人民防空|防空地下室|易地建设费/,
  },
  {
    codes: ['engineering_projects', 'engineering', 'construction', 'projects'],
    hints: ['工程', '项目建设'],
    keywords: /工程|项目建设|招投标|招标|投标|政府采购|建设项目|施工/,
  },
  {
    codes: ['eight_point_rules', 'eight_rules', 'eight_provisions', 'central_eight_rules'],
    hints: ['八项规定'],
    keywords:
      /八项规定|公款吃喝|公款旅游|违规吃喝|超标准接待|公务接待|公车私用|公务用车|收受礼品|礼金|购物卡|津补贴|福利/,
  },
  {
    codes: ['formalism_bureaucratism', 'formalism', 'bureaucratism', 'formalism_and_bureaucratism'],
    hints: ['形式主义', '官僚主义'],
    keywords: /形式主义|官僚主义|文山会海|层层加码|督查检查考核过多|作风漂浮|调查研究不深入/,
  },
  {
    codes: ['personnel_selection', 'cadre_selection', 'personnel', 'selection_appointment', 'cadre_management'],
    hints: ['选人用人', '干部'],
    keywords: /选人用人|干部选拔|选拔任用|干部任用|干部管理|干部队伍|干部监督|个人有关事项|超职数|档案审核|人才队伍/,
  },
  {
    codes: ['ideology', 'ideological_work'],
    hints: ['意识形态'],
    keywords: /意识形态|宣传思想|舆情|网络阵地|思想阵地|网信/,
  },
  {
    codes: ['financial_management', 'finance', 'financial', 'funds'],
    hints: ['财务', '资金', '财经'],
    keywords: /财务|财经纪律|资金|经费|报销|账户|账目|预算|国有资产|资产管理|票据|小金库/,
  },
  {
    codes: ['party_building', 'party_construction', 'grassroots_party_building'],
    hints: ['党的建设', '党建'],
    keywords:
      /党的建设|党建|基层党组织|组织生活|三会一课|发展党员|党员发展|党费|党支部|支部|民主生活会|组织生活会|党员教育/,
  },
  {
    codes: [
      'strict_governance',
      'comprehensive_strict_governance',
      'strict_party_governance',
      'full_strict_governance',
    ],
    hints: ['全面从严治党', '从严治党'],
    keywords: /全面从严治党|从严治党|主体责任|监督责任|一岗双责|党风廉政|廉政风险|廉洁|纪律|腐败|警示教育/,
  },
  {
    codes: ['party_leadership', 'leadership', 'party_leadership_weakened'],
    hints: ['党的领导'],
    keywords:
      /党的领导|路线方针政策|党中央|决策部署|重大决策|政治建设|政治站位|习近平新时代|理论学习|中心组学习|新发展理念|两个维护|高质量发展/,
  },
];

/**
 * Guesses a category from the item's own text first, then from its headings, nearest first.
 * With `categories` (the active problem_category entries) the answer is always one of their codes:
 * a label met in the text wins, then a topic whose code or label hint matches an entry. Without
 * them the topic's first (default) code is returned.
 */
export function guessCategory(
  text: string,
  headings: readonly string[],
  categories?: readonly CategoryRef[],
): string | null {
  const resolved = CATEGORY_TOPICS.map((t) => ({ keywords: t.keywords, code: resolveTopic(t, categories) }));
  for (const source of [text, ...[...headings].reverse()]) {
    if (!source) continue;
    if (categories) {
      // A category named in the text itself (a custom one the topics do not know).
      let best: { code: string; length: number } | null = null;
      for (const c of categories) {
        for (const label of c.labels) {
          const l = label.trim();
          if (l.length >= 2 && source.includes(l) && (!best || l.length > best.length))
            best = { code: c.code, length: l.length };
        }
      }
      if (best) return best.code;
    }
    for (const t of resolved) if (t.code && t.keywords.test(source)) return t.code;
  }
  return null;
}

function resolveTopic(topic: (typeof CATEGORY_TOPICS)[number], categories?: readonly CategoryRef[]): string | null {
  if (!categories) return topic.codes[0]!;
  const byCode = categories.find((c) => topic.codes.includes(c.code.toLowerCase()));
  if (byCode) return byCode.code;
  const byHint = categories.find((c) => c.labels.some((l) => topic.hints.some((h) => l.includes(h))));
  return byHint ? byHint.code : null;
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface Building extends FeedbackNode {
  lines: string[];
}

/** Splits the text on its numbering and returns the tree, the preamble and the draft problems. */
export function parseFeedback(text: string, categories?: readonly CategoryRef[]): ParsedFeedback {
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029|\f|\v/);
  const preamble: string[] = [];
  const roots: Building[] = [];
  const stack: Building[] = [];
  lines.forEach((raw, i) => {
    const line = normaliseLine(raw);
    if (!line) return;
    const m = matchMarker(line);
    if (!m) {
      const current = stack[stack.length - 1];
      if (current) current.lines.push(line);
      else preamble.push(line);
      return;
    }
    while (stack.length && stack[stack.length - 1]!.level >= m.level) stack.pop();
    const node: Building = {
      level: m.level,
      label: canonicalLabel(m.level, m.index),
      index: m.index,
      title: '',
      text: '',
      line: i + 1,
      children: [],
      lines: [m.rest],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  });

  const finish = (n: Building): FeedbackNode => ({
    level: n.level,
    label: n.label,
    index: n.index,
    title: titleOf(n.lines),
    text: n.lines.reduce(joinWrapped, ''),
    line: n.line,
    children: (n.children as Building[]).map(finish),
  });
  const items = roots.map(finish);

  const drafts: DraftProblem[] = [];
  const walk = (n: FeedbackNode, path: FeedbackNode[]) => {
    if (n.children.length) {
      for (const c of n.children) walk(c, [...path, n]);
      return;
    }
    const headings = path.map((p) => p.title).filter(Boolean);
    drafts.push({
      number: [...path, n].map((p) => p.label).join(''),
      heading: headings.join(' / '),
      description: n.text,
      categoryCode: guessCategory(n.text, headings, categories),
    });
  };
  for (const r of items) walk(r, []);

  return { preamble: preamble.join('\n'), items, drafts };
}
