/**
 * 满意度测评 (SPEC M11): questionnaires answered with one-time anonymous codes, and the figures the
 * results are read by. Pure rules, shared by the server and the web app.
 */

export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** Who a batch of codes is for: 干部 (cadres), 职工 (staff), 群众 (the public). */
export const SURVEY_AUDIENCES = ['cadre', 'staff', 'public'] as const;
export type SurveyAudience = (typeof SURVEY_AUDIENCES)[number];

/** How an option counts: 满意/基本满意 satisfied, 不满意 not, 不了解 left out of the rate. */
export const OPTION_COUNTS = ['satisfied', 'unsatisfied', 'excluded'] as const;
export type OptionCount = (typeof OPTION_COUNTS)[number];

export const QUESTION_KINDS = ['choice', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const SURVEY_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];

/** Text the office writes in 简体, with optional 繁體 and English versions for the public page. */
export interface LocalText {
  zh: string;
  tw?: string | null;
  en?: string | null;
}

export interface SurveyOption {
  key: string;
  label: LocalText;
  counts: OptionCount;
}

export interface SurveyQuestion {
  key: string;
  kind: QuestionKind;
  text: LocalText;
  /** choice: the single-choice options; text: none. */
  options: SurveyOption[];
  /** choice: an optional free-text remark beside the choice. */
  allowComment: boolean;
}

/** Codes per batch: at least a handful, so that a unit × audience group never points at one person. */
export const MIN_BATCH_SIZE = 10;
export const MAX_BATCH_SIZE = 5000;
export const MAX_QUESTIONS = 50;
export const MAX_OPTIONS = 10;
export const MAX_COMMENT_LENGTH = 2000;

/** The standard 满意/基本满意/不满意/不了解 options, in three languages. */
export const DEFAULT_OPTIONS: readonly SurveyOption[] = [
  { key: 'a', label: { zh: '满意', tw: '滿意', en: 'Satisfied' }, counts: 'satisfied' },
  { key: 'b', label: { zh: '基本满意', tw: '基本滿意', en: 'Basically satisfied' }, counts: 'satisfied' },
  { key: 'c', label: { zh: '不满意', tw: '不滿意', en: 'Not satisfied' }, counts: 'unsatisfied' },
  { key: 'd', label: { zh: '不了解', tw: '不瞭解', en: "Don't know" }, counts: 'excluded' },
];

const TRANSITIONS: Record<SurveyStatus, readonly SurveyStatus[]> = {
  draft: ['open'],
  open: ['closed'],
  closed: [],
};

export function canTransitionSurvey(from: string, to: string): boolean {
  return (TRANSITIONS[from as SurveyStatus] ?? []).includes(to as SurveyStatus);
}

/** Questions, units and texts change only while the survey is a draft (answers depend on them). */
export const surveyEditable = (s: SurveyStatus) => s === 'draft';
/** Codes can be printed before opening and while open, not after closing. */
export const batchesAllowed = (s: SurveyStatus) => s !== 'closed';

export function localText(t: LocalText, locale: SurveyLocale): string {
  if (locale === 'zh-TW') return t.tw?.trim() || t.zh;
  if (locale === 'en') return t.en?.trim() || t.zh;
  return t.zh;
}

// --- one-time codes -------------------------------------------------------------------------------

/** Crockford base32: no I, L, O, U, so a code read aloud or typed from paper is not misread. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters × 5 bits = 60 random bits: guessing one live code among 5,000 takes ~2^47 tries. */
export const CODE_LENGTH = 12;

/** A code from random bytes: each byte's low 5 bits pick a character (256 is a multiple of 32: no bias). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new Error(`need ${CODE_LENGTH} random bytes`);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[bytes[i]! & 31];
  return out;
}

/** Shown and printed in groups of four: ABCD-EFGH-JKMN. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * What a person typed or scanned, as the stored form: upper case, separators dropped, the letters
 * Crockford reads as digits (O → 0, I/L → 1). Null when it cannot be a code.
 */
export function normaliseCode(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

// --- questionnaire and answers --------------------------------------------------------------------

/** The first problem of a questionnaire as a stable reason, or null when it can be opened. */
export function questionnaireProblem(questions: readonly SurveyQuestion[]): string | null {
  if (!questions.length) return 'no_questions';
  if (questions.length > MAX_QUESTIONS) return 'too_many_questions';
  const keys = new Set<string>();
  for (const q of questions) {
    if (keys.has(q.key)) return 'duplicate_question';
    keys.add(q.key);
    if (!q.text.zh.trim()) return 'question_text_missing';
    if (q.kind === 'text') {
      if (q.options.length) return 'text_question_with_options';
      continue;
    }
    if (q.options.length < 2) return 'too_few_options';
    if (q.options.length > MAX_OPTIONS) return 'too_many_options';
    const optKeys = new Set(q.options.map((o) => o.key));
    if (optKeys.size !== q.options.length) return 'duplicate_option';
    if (q.options.some((o) => !o.label.zh.trim())) return 'option_label_missing';
    if (!q.options.some((o) => o.counts === 'satisfied')) return 'no_satisfied_option';
    if (!q.options.some((o) => o.counts === 'unsatisfied')) return 'no_unsatisfied_option';
  }
  if (!questions.some((q) => q.kind === 'choice')) return 'no_choice_question';
  return null;
}

export interface AnswerIn {
  key: string;
  option?: string | null;
  text?: string | null;
}

export interface AnswerOut {
  key: string;
  option: string | null;
  text: string | null;
}

/**
 * An answer sheet checked against the questionnaire: every choice question answered with one of its
 * options, no unknown or repeated question, remarks only where allowed. Answers in question order,
 * or a stable reason.
 */
export function checkAnswers(
  questions: readonly SurveyQuestion[],
  answers: readonly AnswerIn[],
): { ok: true; answers: AnswerOut[] } | { ok: false; reason: string } {
  const byKey = new Map<string, AnswerIn>();
  for (const a of answers) {
    if (byKey.has(a.key)) return { ok: false, reason: 'duplicate_answer' };
    byKey.set(a.key, a);
  }
  const known = new Set(questions.map((q) => q.key));
  for (const k of byKey.keys()) if (!known.has(k)) return { ok: false, reason: 'unknown_question' };
  const out: AnswerOut[] = [];
  for (const q of questions) {
    const a = byKey.get(q.key);
    const text = a?.text?.trim() || null;
    if (text && text.length > MAX_COMMENT_LENGTH) return { ok: false, reason: 'text_too_long' };
    if (q.kind === 'text') {
      if (a?.option) return { ok: false, reason: 'option_on_text_question' };
      if (text) out.push({ key: q.key, option: null, text });
      continue;
    }
    if (!a?.option) return { ok: false, reason: 'unanswered' };
    if (!q.options.some((o) => o.key === a.option)) return { ok: false, reason: 'unknown_option' };
    if (text && !q.allowComment) return { ok: false, reason: 'comment_not_allowed' };
    out.push({ key: q.key, option: a.option, text });
  }
  return { ok: true, answers: out };
}

// --- figures ----------------------------------------------------------------------------------------

export interface Tally {
  satisfied: number;
  unsatisfied: number;
  excluded: number;
}

/**
 * 满意率 = satisfied ÷ (satisfied + not satisfied), in percent with one decimal, half up, computed on
 * integers (no float drift); null when nobody gave a counted answer. 不了解 is left out of both.
 */
export function satisfactionRate(t: Tally): number | null {
  return percent(t.satisfied, t.satisfied + t.unsatisfied);
}

/** 参评率 of a batch or audience: codes used ÷ codes issued, percent with one decimal; null for none. */
export function responseRate(used: number, issued: number): number | null {
  return percent(used, issued);
}

/** n ÷ d in percent with one decimal, rounded half up on integers. */
export function percent(n: number, d: number): number | null {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0 || n > d) throw new Error('bad fraction');
  if (d === 0) return null;
  return Math.floor((n * 2000 + d) / (2 * d)) / 10;
}

/** The tally of one choice question from the option chosen on each answer sheet (unknown options ignored). */
export function tallyOptions(question: SurveyQuestion, optionCounts: ReadonlyMap<string, number>): Tally {
  const t: Tally = { satisfied: 0, unsatisfied: 0, excluded: 0 };
  for (const o of question.options) t[o.counts] += optionCounts.get(o.key) ?? 0;
  return t;
}

export function addTallies(a: Tally, b: Tally): Tally {
  return {
    satisfied: a.satisfied + b.satisfied,
    unsatisfied: a.unsatisfied + b.unsatisfied,
    excluded: a.excluded + b.excluded,
  };
}

export const EMPTY_TALLY: Tally = { satisfied: 0, unsatisfied: 0, excluded: 0 };
