import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canMoveDisclosure,
  DISCLOSURE_STATUSES,
  type DisclosureSource,
  fenToYuan,
  maskName,
  nameIsPublic,
  PERSON_RANKS,
  PUBLIC_KEYS,
  projectPublic,
  SITE_MESSAGES,
  siteLang,
  toHant,
} from './disclosure.js';

const SECRET = 'SECRET-VALUE';

/** A source with random extra fields (at every level) whose values all carry SECRET. */
const extras = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['__proto__', 'constructor'].includes(k)),
  fc.oneof(
    fc.string().map((s) => `${SECRET}${s}`),
    fc.array(
      fc.string().map((s) => `${SECRET}${s}`),
      { maxLength: 3 },
    ),
    fc.record({ deep: fc.string().map((s) => `${SECRET}${s}`) }),
  ),
  { maxKeys: 8 },
);

const person = fc.record({
  name: fc.string({ minLength: 1, maxLength: 6 }).map((s) => `王${s}`),
  post: fc.constantFrom('科员', '局长', '处长'),
  rank: fc.constantFrom(...PERSON_RANKS),
});

const source = fc
  .record({
    kind: fc.constantFrom('report', 'typical'),
    extraTop: extras,
    extraFigures: extras,
    extraCat: extras,
    extraProblem: extras,
    extraPerson: extras,
    extraChannel: extras,
    persons: fc.array(person, { maxLength: 4 }),
    fen: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
  })
  .map(({ kind, extraTop, extraFigures, extraCat, extraProblem, extraPerson, extraChannel, persons, fen }) => {
    const src: DisclosureSource = {
      ...extraTop,
      id: 7,
      kind,
      status: 'published',
      titleHans: '标题',
      titleHant: '標題',
      bodyHans: '正文',
      bodyHant: '正文',
      unitName: '市财政局',
      roundName: '第一轮',
      batchNumber: 1,
      batchTitleHans: '第一批',
      batchTitleHant: '第一批',
      publishedOn: '2026-11-27',
      internalNote: `${SECRET}-note`,
      description: `${SECRET}-description`,
      snapshot: {
        figures: {
          ...extraFigures,
          problems: 3,
          rectifiedProblems: 2,
          measures: 4,
          doneMeasures: 3,
          rulesEstablished: 1,
          peopleHeldAccountable: 1,
          casesFiled: 0,
          fundsReturnedFen: fen,
          lossesRecoveredFen: '0',
        },
        categories: [{ ...extraCat, code: 'style', labelHans: '作风', labelHant: '作風', problems: 3, rectified: 2 }],
        problems: [{ ...extraProblem, number: '1.', categoryCode: 'style', rectified: true }],
      },
      persons: persons.map((p) => ({ ...extraPerson, ...p })),
      channels: [{ ...extraChannel, channel: '网站', publishedOn: '2026-11-27' }],
    };
    return src;
  });

function keysAt(v: Record<string, unknown>, allowed: readonly string[]) {
  expect(Object.keys(v).filter((k) => !allowed.includes(k))).toEqual([]);
}

describe('the public projection', () => {
  it('answers only allow-listed keys at every level, and no value of a field not on the list', () => {
    fc.assert(
      fc.property(
        source,
        fc.boolean(),
        fc.constantFrom(...PERSON_RANKS),
        fc.constantFrom('zh-Hans', 'zh-Hant'),
        (src, amounts, rank, lang) => {
          const out = projectPublic(src, { publishAmounts: amounts, nameRankFrom: rank }, lang as 'zh-Hans');
          keysAt(out as never, PUBLIC_KEYS.item);
          if (out.figures) keysAt(out.figures, PUBLIC_KEYS.figures);
          for (const c of out.categories) keysAt(c, PUBLIC_KEYS.category);
          for (const p of out.problems) keysAt(p, PUBLIC_KEYS.problem);
          for (const p of out.persons) keysAt(p, PUBLIC_KEYS.person);
          for (const c of out.channels) keysAt(c, PUBLIC_KEYS.channel);
          expect(JSON.stringify(out)).not.toContain(SECRET);
          if (!amounts && out.figures) {
            expect(out.figures.fundsReturned).toBeNull();
            expect(out.figures.lossesRecovered).toBeNull();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('publishes a name only at or above the configured rank; below it the surname and 某', () => {
    fc.assert(
      fc.property(person, fc.constantFrom(...PERSON_RANKS), (p, from) => {
        const src = { ...fc.sample(source, 1)[0]!, kind: 'typical', persons: [p] };
        const out = projectPublic(src, { publishAmounts: false, nameRankFrom: from }, 'zh-Hans');
        const shown = out.persons[0]!.name;
        if (PERSON_RANKS.indexOf(p.rank) >= PERSON_RANKS.indexOf(from)) expect(shown).toBe(p.name);
        else expect(shown).toBe('王某');
      }),
    );
    expect(nameIsPublic('county', 'county')).toBe(true);
    expect(nameIsPublic('section', 'county')).toBe(false);
    expect(nameIsPublic('nonsense', 'staff')).toBe(false);
  });

  it('a report carries no people, a typical problem no figures', () => {
    const [s] = fc.sample(source, 1);
    expect(
      projectPublic({ ...s!, kind: 'report' }, { publishAmounts: true, nameRankFrom: 'staff' }, 'zh-Hans').persons,
    ).toEqual([]);
    expect(
      projectPublic({ ...s!, kind: 'typical' }, { publishAmounts: true, nameRankFrom: 'staff' }, 'zh-Hans').figures,
    ).toBeNull();
  });
});

describe('names, amounts and scripts', () => {
  it('masks names to the surname', () => {
    expect(maskName('张三')).toBe('张某');
    expect(maskName('欧阳小明')).toBe('欧阳某');
    expect(maskName('MARKER-x')).toBe('某');
    expect(maskName('  ')).toBe('');
  });

  it('prints 分 as 元 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (fen) => {
        const yuan = fenToYuan(fen.toString());
        expect(yuan).toMatch(/^\d+\.\d{2}$/);
        expect(BigInt(yuan.replace('.', ''))).toBe(fen);
      }),
    );
  });

  it('converts 简体 to 繁體 character by character, leaving the rest', () => {
    expect(toHant('整改进展情况的通报')).toBe('整改進展情況的通報');
    expect(toHant('违规发放津贴补贴问题')).toBe('違規發放津貼補貼問題');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(Array.from(toHant(s)).length).toBe(Array.from(s).length);
      }),
    );
  });

  it('picks the script from ?lang= first, then Accept-Language', () => {
    expect(siteLang(undefined, undefined)).toBe('zh-Hans');
    expect(siteLang('zh-Hant', 'zh-CN')).toBe('zh-Hant');
    expect(siteLang('zh-TW', undefined)).toBe('zh-Hant');
    expect(siteLang(undefined, 'en;q=0.9, zh-HK;q=0.8, zh-CN;q=0.5')).toBe('zh-Hant');
    expect(siteLang(undefined, 'zh-CN,zh-TW;q=0.9')).toBe('zh-Hans');
    expect(siteLang('klingon', 'zh-Hant-TW')).toBe('zh-Hant');
  });

  it('has the same message keys in 简体, 繁體 and English, and 繁體 is not 简体', () => {
    const keys = Object.keys(SITE_MESSAGES['zh-CN']).sort();
    expect(Object.keys(SITE_MESSAGES['zh-TW']).sort()).toEqual(keys);
    expect(Object.keys(SITE_MESSAGES.en).sort()).toEqual(keys);
    expect(SITE_MESSAGES['zh-TW'].reportLead).not.toBe(SITE_MESSAGES['zh-CN'].reportLead);
  });
});

describe('the state machine', () => {
  it('moves only along the table; withdrawn is final', () => {
    expect(canMoveDisclosure('draft', 'submitted')).toBe(true);
    expect(canMoveDisclosure('draft', 'published')).toBe(false);
    expect(canMoveDisclosure('submitted', 'approved')).toBe(true);
    expect(canMoveDisclosure('approved', 'published')).toBe(true);
    expect(canMoveDisclosure('published', 'withdrawn')).toBe(true);
    for (const s of DISCLOSURE_STATUSES) expect(canMoveDisclosure('withdrawn', s)).toBe(false);
    expect(canMoveDisclosure('__proto__', 'draft')).toBe(false);
  });
});
