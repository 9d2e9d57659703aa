/**
 * Dictionaries kept by the system administrator (M17) and read by every module: the problem
 * taxonomy and its routing lines, supervision action types, grades and their thresholds, the scoring
 * sheet and its deductions, disclosure channels and round types. Pure: no I/O, no schema library.
 * Each kind may carry an `extra` object whose shape depends on the kind; `checkExtra` is the one
 * place that says what is allowed, for the server (which enforces it) and the web forms.
 */
import type { Locale } from './errors.js';
import { SUPERVISOR_LINES, type SupervisorLine } from './roles.js';

export const DICTIONARY_KINDS = [
  'problem_category', // 问题类别; extra { line?, campaign? }: the supervisor line it routes to
  'action_type', // 监督方式 (跟踪督办, 列席会议 …)
  'grade', // 评价等次; extra { minScore }: the lowest score that earns it
  'scoring_indicator', // 考核指标; extra { weight, maxScore }
  'deduction_reason', // 扣分事由; extra { points } (negative)
  'disclosure_channel', // 公开渠道 (日报, 网站, 党风廉政网); extra { url? }
  'round_type', // 巡察类型; codes are ROUND_TYPES of rectification.ts; extra { external? }
] as const;
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

export const DICTIONARY_KIND_LABELS: Record<DictionaryKind, Record<Locale, string>> = {
  problem_category: { 'zh-CN': '问题类别', 'zh-TW': '問題類別', en: 'Problem categories' },
  action_type: { 'zh-CN': '监督方式', 'zh-TW': '監督方式', en: 'Supervision actions' },
  grade: { 'zh-CN': '评价等次', 'zh-TW': '評價等次', en: 'Grades' },
  scoring_indicator: { 'zh-CN': '考核指标', 'zh-TW': '考核指標', en: 'Scoring indicators' },
  deduction_reason: { 'zh-CN': '扣分事由', 'zh-TW': '扣分事由', en: 'Deduction reasons' },
  disclosure_channel: { 'zh-CN': '公开渠道', 'zh-TW': '公開渠道', en: 'Disclosure channels' },
  round_type: { 'zh-CN': '巡察类型', 'zh-TW': '巡察類型', en: 'Round types' },
};

export interface ProblemCategoryExtra {
  /** The supervisor line whose queue a problem of this category lands in (选人用人 → organisation). */
  line?: SupervisorLine;
  /** A sector-wide problem followed as one campaign across its units (一盘棋, e.g. 人防). */
  campaign?: boolean;
}
export interface GradeExtra {
  /** The lowest total score (0–100) that earns this grade. */
  minScore: number;
}
export interface ScoringIndicatorExtra {
  /** Share of the total, in percent (the active indicators' weights normally sum to 100). */
  weight: number;
  /** The points the indicator is scored on. */
  maxScore: number;
}
export interface DeductionReasonExtra {
  /** Negative: points taken off, e.g. −5 for 整改不重视. */
  points: number;
}
export interface DisclosureChannelExtra {
  url?: string;
}
export interface RoundTypeExtra {
  /** A round of a higher level (上级巡视) whose rectification the city supervises. */
  external?: boolean;
}

export interface DictionaryExtraByKind {
  problem_category: ProblemCategoryExtra;
  action_type: Record<string, never>;
  grade: GradeExtra;
  scoring_indicator: ScoringIndicatorExtra;
  deduction_reason: DeductionReasonExtra;
  disclosure_channel: DisclosureChannelExtra;
  round_type: RoundTypeExtra;
}

/** One dictionary entry as the API gives it. */
export interface DictionaryEntry<K extends DictionaryKind = DictionaryKind> {
  id: number;
  kind: K;
  code: string;
  labelZhCn: string;
  labelZhTw: string;
  labelEn: string;
  sort: number;
  active: boolean;
  extra: DictionaryExtraByKind[K] | null;
  version: number;
  updatedAt: number;
}

type FieldRule =
  | { type: 'line' }
  | { type: 'boolean' }
  | { type: 'number'; min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { type: 'string'; maxLength: number; pattern?: RegExp };

interface KindRule {
  fields: Record<string, FieldRule>;
  required: string[];
}

const KIND_RULES: Record<DictionaryKind, KindRule> = {
  problem_category: { fields: { line: { type: 'line' }, campaign: { type: 'boolean' } }, required: [] },
  action_type: { fields: {}, required: [] },
  grade: { fields: { minScore: { type: 'number', min: 0, max: 100 } }, required: ['minScore'] },
  scoring_indicator: {
    fields: {
      weight: { type: 'number', min: 0, max: 100, minExclusive: true },
      maxScore: { type: 'number', min: 0, max: 1000, minExclusive: true },
    },
    required: ['weight', 'maxScore'],
  },
  deduction_reason: {
    fields: { points: { type: 'number', min: -100, max: 0, maxExclusive: true } },
    required: ['points'],
  },
  disclosure_channel: {
    fields: { url: { type: 'string', maxLength: 500, pattern: /^(https?:\/\/|\/)\S*$/ } },
    required: [],
  },
  round_type: { fields: { external: { type: 'boolean' } }, required: [] },
};

/** Whether the kind cannot do without an `extra` object (grade, scoring_indicator, deduction_reason). */
export function extraRequired(kind: DictionaryKind): boolean {
  return KIND_RULES[kind].required.length > 0;
}

export type ExtraCheck =
  | { ok: true; value: Record<string, unknown> | null }
  | { ok: false; errors: { path: string; message: string }[] };

/**
 * Checks an entry's `extra` against its kind. Unknown keys, wrong types, values out of range and
 * missing required keys are all reported with their path. An empty object counts as none (null).
 */
export function checkExtra(kind: DictionaryKind, extra: unknown): ExtraCheck {
  const rule = KIND_RULES[kind];
  const errors: { path: string; message: string }[] = [];
  if (extra === null || extra === undefined) {
    if (rule.required.length) return { ok: false, errors: [{ path: 'extra', message: `required for ${kind}` }] };
    return { ok: true, value: null };
  }
  if (typeof extra !== 'object' || Array.isArray(extra))
    return { ok: false, errors: [{ path: 'extra', message: 'must be an object' }] };
  const obj = extra as Record<string, unknown>;
  const value: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    const field = rule.fields[key];
    const path = `extra.${key}`;
    if (!field) {
      errors.push({ path, message: `not allowed for ${kind}` });
      continue;
    }
    if (v === undefined) continue;
    switch (field.type) {
      case 'line':
        if (typeof v !== 'string' || !(SUPERVISOR_LINES as readonly string[]).includes(v))
          errors.push({ path, message: `must be one of ${SUPERVISOR_LINES.join(', ')}` });
        break;
      case 'boolean':
        if (typeof v !== 'boolean') errors.push({ path, message: 'must be true or false' });
        break;
      case 'number': {
        const low = field.minExclusive ? '>' : '≥';
        const high = field.maxExclusive ? '<' : '≤';
        if (
          typeof v !== 'number' ||
          !Number.isFinite(v) ||
          (field.minExclusive ? v <= field.min : v < field.min) ||
          (field.maxExclusive ? v >= field.max : v > field.max)
        ) {
          errors.push({ path, message: `must be a number ${low} ${field.min} and ${high} ${field.max}` });
        } else if (Math.round(v * 100) !== v * 100) {
          errors.push({ path, message: 'at most two decimals' });
        }
        break;
      }
      case 'string':
        if (typeof v !== 'string' || v.length > field.maxLength || (field.pattern && !field.pattern.test(v)))
          errors.push({ path, message: `must be a text of at most ${field.maxLength} characters` });
        break;
    }
    value[key] = v;
  }
  for (const key of rule.required) {
    if (obj[key] === undefined) errors.push({ path: `extra.${key}`, message: `required for ${kind}` });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: Object.keys(value).length ? value : null };
}

/** The label of an entry in the user's language. */
export function dictionaryLabel(
  entry: Pick<DictionaryEntry, 'labelZhCn' | 'labelZhTw' | 'labelEn'>,
  locale: Locale,
): string {
  return locale === 'en' ? entry.labelEn : locale === 'zh-TW' ? entry.labelZhTw : entry.labelZhCn;
}

/**
 * The grade a score earns: the active grade with the highest threshold not above the score
 * (优秀 ≥ 90, 合格 ≥ 75, 基本合格 ≥ 60, 不合格 below with the defaults). Null when none applies.
 */
export function gradeFor<T extends { code: string; active: boolean; extra: GradeExtra | null }>(
  score: number,
  grades: readonly T[],
): T | null {
  let best: T | null = null;
  for (const g of grades) {
    if (!g.active || !g.extra) continue;
    if (g.extra.minScore <= score && (!best || g.extra.minScore > best.extra!.minScore)) best = g;
  }
  return best;
}

/** The supervisor line a problem category routes to, or null when it is not routed by line. */
export function routingLine(
  categoryCode: string,
  categories: readonly { code: string; extra: ProblemCategoryExtra | null }[],
): SupervisorLine | null {
  return categories.find((c) => c.code === categoryCode)?.extra?.line ?? null;
}

/** The sum of the active indicators' weights: the scoring sheet is complete when it is 100. */
export function totalWeight(indicators: readonly { active: boolean; extra: ScoringIndicatorExtra | null }[]): number {
  return Math.round(indicators.reduce((s, i) => s + (i.active && i.extra ? i.extra.weight : 0), 0) * 100) / 100;
}
