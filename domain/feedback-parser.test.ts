import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CategoryRef,
  canonicalLabel,
  chineseNumeral,
  type FeedbackLevel,
  type FeedbackNode,
  guessCategory,
  parseChineseNumeral,
  parseFeedback,
} from './feedback-parser.js';

// A generated feedback document: nested items, each with one or more wrapped lines of text.
interface GenNode {
  level: FeedbackLevel;
  lines: string[];
  children: GenNode[];
}

// Characters that can never start a number (no numerals, digits, brackets or circled numbers).
const SAFE = [...'问题整改落实责任制度监督检查工作部门单位开展存在方面不到位规范管理党组织学习贯彻执行，。；：'];
const textLine = fc.string({ unit: fc.constantFrom(...SAFE), minLength: 1, maxLength: 24 });

const nodeArb = (level: FeedbackLevel, depth: number): fc.Arbitrary<GenNode> =>
  fc
    .record({
      lines: fc.array(textLine, { minLength: 1, maxLength: 3 }),
      children:
        depth <= 0 || level >= 5
          ? fc.constant<GenNode[]>([])
          : fc
              .integer({ min: level + 1, max: Math.min(5, level + 2) })
              .chain((cl) => fc.array(nodeArb(cl as FeedbackLevel, depth - 1), { maxLength: 4 })),
    })
    .map(({ lines, children }) => ({ level, lines, children }));

const docArb = fc.record({
  preamble: fc.array(textLine, { maxLength: 3 }),
  roots: fc
    .integer({ min: 1, max: 3 })
    .chain((l) => fc.array(nodeArb(l as FeedbackLevel, 3), { minLength: 1, maxLength: 4 })),
});

/** How one marker is written: canonical, or any of the variants seen in real documents. */
interface Style {
  l1: string;
  open: string;
  close: string;
  l3: string;
  fullWidthDigits: boolean;
  indent: string;
  gap: string;
}
const CANONICAL: Style = { l1: '、', open: '（', close: '）', l3: '.', fullWidthDigits: false, indent: '', gap: '' };
const styleArb: fc.Arbitrary<Style> = fc.record({
  l1: fc.constantFrom('、', '．', '.'),
  open: fc.constantFrom('（', '('),
  close: fc.constantFrom('）', ')'),
  l3: fc.constantFrom('.', '．', '、'),
  fullWidthDigits: fc.boolean(),
  indent: fc.constantFrom('', '  ', '\u3000\u3000', '\t'),
  gap: fc.constantFrom('', ' ', '\u3000'),
});

const digits = (n: number, full: boolean) =>
  full ? String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) : String(n);

function marker(level: FeedbackLevel, n: number, s: Style): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(n)}${s.l1}`;
    case 2:
      return `${s.open}${chineseNumeral(n)}${s.close}`;
    case 3:
      return `${digits(n, s.fullWidthDigits)}${s.l3}`;
    case 4:
      return `${s.open}${digits(n, s.fullWidthDigits)}${s.close}`;
    case 5:
      return '①②③④⑤⑥⑦⑧⑨⑩'[n - 1]!;
  }
}

function render(doc: { preamble: string[]; roots: GenNode[] }, styles: Style[]): string {
  const out = [...doc.preamble];
  let k = 0;
  const emit = (nodes: GenNode[]) => {
    nodes.forEach((n, i) => {
      const s = styles[k++ % styles.length]!;
      out.push(`${s.indent}${marker(n.level, i + 1, s)}${s.gap}${n.lines[0]}`);
      for (const l of n.lines.slice(1)) out.push(`${s.indent}${l}`);
      if (k % 3 === 0) out.push('');
      emit(n.children);
    });
  };
  emit(doc.roots);
  return out.join(k % 2 ? '\r\n' : '\n');
}

/** Every generated item with its full path label and its text, in document order. */
function expectedItems(roots: GenNode[]) {
  const items: { path: string; text: string; leaf: boolean }[] = [];
  const walk = (nodes: GenNode[], prefix: string) =>
    nodes.forEach((n, i) => {
      const path = prefix + canonicalLabel(n.level, i + 1);
      items.push({ path, text: n.lines.join(''), leaf: n.children.length === 0 });
      walk(n.children, path);
    });
  walk(roots, '');
  return items;
}

function parsedItems(roots: FeedbackNode[]) {
  const items: { path: string; text: string; leaf: boolean }[] = [];
  const walk = (nodes: FeedbackNode[], prefix: string) =>
    nodes.forEach((n) => {
      const path = prefix + n.label;
      items.push({ path, text: n.text, leaf: n.children.length === 0 });
      walk(n.children, path);
    });
  walk(roots, '');
  return items;
}

describe('feedback parser', () => {
  it('writes and reads every Chinese numeral from 一 to 九百九十九', () => {
    for (let n = 1; n <= 999; n++) expect(parseChineseNumeral(chineseNumeral(n))).toBe(n);
    expect(chineseNumeral(10)).toBe('十');
    expect(chineseNumeral(21)).toBe('二十一');
    expect(chineseNumeral(105)).toBe('一百零五');
    for (const bad of ['', '百', '一一', '零', '二零', '一百十', '十十']) expect(parseChineseNumeral(bad)).toBeNull();
  });

  it('keeps every numbered item exactly once, with its label and its wrapped text', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const parsed = parseFeedback(render(doc, [CANONICAL]));
        const expected = expectedItems(doc.roots);
        expect(parsedItems(parsed.items)).toEqual(expected);
        expect(parsed.drafts.map((d) => ({ number: d.number, description: d.description }))).toEqual(
          expected.filter((e) => e.leaf).map((e) => ({ number: e.path, description: e.text })),
        );
        expect(new Set(parsed.drafts.map((d) => d.number)).size).toBe(parsed.drafts.length);
        expect(parsed.preamble).toBe(doc.preamble.join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('reads full-width and half-width punctuation, full-width digits and indentation alike', () => {
    fc.assert(
      fc.property(docArb, fc.array(styleArb, { minLength: 1, maxLength: 6 }), (doc, styles) => {
        const canonical = parseFeedback(render(doc, [CANONICAL]));
        const variant = parseFeedback(render(doc, styles));
        expect(parsedItems(variant.items)).toEqual(parsedItems(canonical.items));
        expect(variant.drafts).toEqual(canonical.drafts);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each leaf its parents titles as the heading', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const parsed = parseFeedback(render(doc, [CANONICAL]));
        const headings: string[] = [];
        const walk = (nodes: GenNode[], titles: string[]) =>
          nodes.forEach((n) => {
            const title = n.lines.map((l) => l.replace(/[：:]$/, '')).find(Boolean);
            if (n.children.length) walk(n.children, title ? [...titles, title] : titles);
            else headings.push(titles.join(' / '));
          });
        walk(doc.roots, []);
        expect(parsed.drafts.map((d) => d.heading)).toEqual(headings);
      }),
      { numRuns: 200 },
    );
  });

  it('splits a realistic feedback text into draft problems with guessed categories', () => {
    const text = [
      '市委第三巡察组关于对市农业农村局党组巡察情况的反馈意见',
      '根据市委统一部署，2026年3月至5月，市委第三巡察组对市农业农村局党组进行了巡察。',
      '现将巡察发现的主要问题反馈如下：',
      '一、党的领导方面',
      '（一）贯彻落实党中央决策部署和上级要求不到位。',
      '1.学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式，',
      '全年仅开展集中学习3次。',
      '2.推进乡村振兴重点任务落实不力，部分项目资金使用进度滞后，1.5亿元专项资金',
      '结存超过一年。',
      '（二）意识形态工作责任制落实不到位，对网络舆情研判不及时。',
      '二、全面从严治党方面',
      '（一）违反中央八项规定精神问题仍有发生。',
      '1．公务接待管理不规范，存在超标准接待、无公函接待等问题。',
      '2、违规发放津补贴，2025年向干部职工发放购物卡共计12.6万元。',
      '(二)形式主义、官僚主义问题突出，文山会海问题依然存在。',
      '三、党的建设方面',
      '（一）选人用人工作不规范。',
      '（1）干部选拔任用程序不严格，个别干部档案审核把关不严。',
      '（2）超职数配备干部问题整改不彻底。',
      '（二）基层党组织建设薄弱，“三会一课”制度落实不到位。',
    ].join('\n');
    const parsed = parseFeedback(text);
    expect(parsed.preamble).toContain('现将巡察发现的主要问题反馈如下');
    expect(parsed.drafts.map((d) => [d.number, d.categoryCode])).toEqual([
      ['一、（一）1.', 'party_leadership'],
      ['一、（一）2.', 'financial_management'],
      ['一、（二）', 'ideology'],
      ['二、（一）1.', 'eight_point_rules'],
      ['二、（一）2.', 'eight_point_rules'],
      ['二、（二）', 'formalism_bureaucratism'],
      ['三、（一）（1）', 'personnel_selection'],
      ['三、（一）（2）', 'personnel_selection'],
      ['三、（二）', 'party_building'],
    ]);
    const first = parsed.drafts[0]!;
    expect(first.heading).toBe('党的领导方面 / 贯彻落实党中央决策部署和上级要求不到位。');
    expect(first.description).toBe(
      '学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式，全年仅开展集中学习3次。',
    );
    // "1.5亿元" at the start of a wrapped line would be a decimal, not a number; here it is mid-line,
    // and the wrapped line after it is joined.
    expect(parsed.drafts[1]!.description).toContain('1.5亿元专项资金结存超过一年。');
  });

  it('does not take a decimal, a year or a date at the start of a line for a number', () => {
    const parsed = parseFeedback(
      ['一、财务管理方面', '1.资金结存', '1.5亿元未使用，', '2026年未清理。', '2.下一项'].join('\n'),
    );
    expect(parsed.drafts.map((d) => d.number)).toEqual(['一、1.', '一、2.']);
    expect(parsed.drafts[0]!.description).toBe('资金结存1.5亿元未使用，2026年未清理。');
  });

  it('joins wrapped Latin words with a space and CJK text without one', () => {
    const parsed = parseFeedback('1. The unit did not\nrectify in time\n2. 制度\n建设滞后');
    expect(parsed.drafts.map((d) => d.description)).toEqual(['The unit did not rectify in time', '制度建设滞后']);
  });

  it('returns the whole text as the preamble when it has no numbering', () => {
    const parsed = parseFeedback('巡察组认为：\n整体情况较好。');
    expect(parsed.drafts).toEqual([]);
    expect(parsed.preamble).toBe('巡察组认为：\n整体情况较好。');
  });

  it('maps guesses onto the categories of the dictionary by code or by label', () => {
    const categories: CategoryRef[] = [
      { code: 'C01', labels: ['党的领导', '黨的領導', 'Party leadership'] },
      { code: 'eight_rules', labels: ['违反中央八项规定精神', '違反中央八項規定精神', 'Eight rules'] },
      { code: 'C09', labels: ['人防系统问题', '人防系統問題', 'Civil air defence'] },
      { code: 'C10', labels: ['乡村振兴', '鄉村振興', 'Rural revitalisation'] },
    ];
    expect(guessCategory('理论学习不深入', ['贯彻落实党中央决策部署不到位'], categories)).toBe('C01');
    expect(guessCategory('超标准接待', [], categories)).toBe('eight_rules');
    expect(guessCategory('易地建设费征收不到位', [], categories)).toBe('C09');
    expect(guessCategory('推进乡村振兴不力', [], categories)).toBe('C10');
    expect(guessCategory('选人用人不规范', [], categories)).toBeNull();
    expect(guessCategory('选人用人不规范', [])).toBe('personnel_selection');
  });
});
