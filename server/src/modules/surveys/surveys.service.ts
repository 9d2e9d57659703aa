import type { Static } from 'typebox';
import type { Locale } from '../../../../domain/errors.js';
import {
  addTallies,
  batchesAllowed,
  CODE_LENGTH,
  canTransitionSurvey,
  checkAnswers,
  codeFromBytes,
  EMPTY_TALLY,
  formatCode,
  type LocalText,
  localText,
  normaliseCode,
  questionnaireProblem,
  responseRate,
  SURVEY_AUDIENCES,
  type SurveyQuestion,
  type SurveyStatus,
  satisfactionRate,
  surveyEditable,
  type Tally,
  tallyOptions,
} from '../../../../domain/surveys.js';
import { inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, stale } from '../../platform/errors.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { SurveysRepository } from './surveys.repository.js';
import type {
  CreateBatch,
  CreateSurvey,
  PublicAnswer,
  QuestionIn,
  SurveyQuery,
  Transition,
  UpdateSurvey,
} from './surveys.schemas.js';

type SurveyRow = NonNullable<Awaited<ReturnType<SurveysRepository['survey']>>>;
type BatchRow = NonNullable<Awaited<ReturnType<SurveysRepository['batch']>>>;

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

function parseJson<T>(raw: string, fallback: T): T {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

function cleanText(t: { zh: string; tw?: string | null; en?: string | null } | undefined): LocalText {
  return { zh: t?.zh.trim() ?? '', tw: t?.tw?.trim() || null, en: t?.en?.trim() || null };
}

function cleanQuestions(qs: readonly Static<typeof QuestionIn>[]): SurveyQuestion[] {
  return qs.map((q) => ({
    key: q.key,
    kind: q.kind,
    text: cleanText(q.text),
    options:
      q.kind === 'text' ? [] : q.options.map((o) => ({ key: o.key, label: cleanText(o.label), counts: o.counts })),
    allowComment: q.kind === 'choice' && q.allowComment,
  }));
}

const tallyOut = (t: Tally) => ({ ...t, rate: satisfactionRate(t) });
const batchContext = (id: number) => `survey-batch:${id}`;

function toBatch(b: BatchRow) {
  const used = Number(b.usedCount ?? 0);
  const count = Number(b.codeCount);
  return {
    id: Number(b.id),
    surveyId: Number(b.surveyId),
    roundUnitId: Number(b.roundUnitId),
    unitName: b.unitName,
    audience: b.audience,
    label: b.label,
    codeCount: count,
    usedCount: used,
    responseRate: responseRate(used, count),
    createdByName: b.createdByName,
    createdAt: Number(b.createdAt),
  };
}

/**
 * 满意度测评 (SPEC M11). The office (survey.write) writes a questionnaire about one or more round-units,
 * prints batches of one-time codes per unit and audience (干部/职工/群众) and opens it; anyone holding a
 * code answers once on the public page, without logging in; results per unit and question with the
 * satisfaction rate are read with survey.read.
 *
 * Codes: 60 random bits from the crypto provider, stored as HMAC-SM3 under a key derived from the
 * master key (a stolen database does not yield usable codes). The plaintext list is shown once when
 * the batch is made, and kept SM4-sealed per batch for a reprint, which needs survey.write and is
 * audited. Anonymity: the answer tables hold no code, batch, person or time (see the migration);
 * answering is not audited per answer (the audit row's time and IP would tie the answer to its
 * sender) — the audit log records the survey's opening and closing, the latter with its final counts.
 */
export class SurveysService {
  readonly repo: SurveysRepository;
  private readonly codeKey: Buffer;

  constructor(private readonly ctx: AppContext) {
    this.repo = new SurveysRepository(ctx.dialect);
    this.codeKey = ctx.crypto.subkey('survey-code');
  }

  private hashCode(code: string) {
    return this.ctx.crypto.hmacSm3(this.codeKey, code);
  }

  private newCode(): string {
    const bytes = Buffer.from(this.ctx.crypto.randomToken(CODE_LENGTH + 4), 'base64url');
    return codeFromBytes(bytes);
  }

  // --- views --------------------------------------------------------------------------------------

  private summary(
    s: {
      id: number;
      title: string;
      status: string;
      openedAt: unknown;
      closedAt: unknown;
      version: number;
      createdAt: unknown;
      updatedAt: unknown;
    },
    c = { units: 0, codes: 0, used: 0 },
  ) {
    return {
      id: Number(s.id),
      title: parseJson<LocalText>(s.title, { zh: '' }),
      status: s.status,
      unitCount: c.units,
      codeCount: c.codes,
      usedCount: c.used,
      openedAt: numOrNull(s.openedAt as number | null),
      closedAt: numOrNull(s.closedAt as number | null),
      version: Number(s.version),
      createdAt: Number(s.createdAt),
      updatedAt: Number(s.updatedAt),
    };
  }

  private async detail(db: Executor, s: SurveyRow) {
    const id = Number(s.id);
    const [units, batches, counts] = await Promise.all([
      this.repo.units(db, id),
      this.repo.batchesOf(db, id),
      this.repo.counts(db, [id]),
    ]);
    return {
      ...this.summary(s, counts.get(id)),
      intro: parseJson<LocalText>(s.intro, { zh: '' }),
      questions: parseJson<SurveyQuestion[]>(s.questions, []),
      units: units.map((u) => ({
        roundUnitId: Number(u.roundUnitId),
        unitOrgId: Number(u.unitOrgId),
        unitName: u.unitName,
        roundId: Number(u.roundId),
        roundName: u.roundName,
      })),
      batches: batches.map(toBatch),
      createdByName: s.createdByName,
    };
  }

  /** A survey the caller sees: all for the office and the leadership, else one with a unit in scope. */
  private async visible(db: Executor, scope: Scope, id: number, lock?: 'update' | 'share'): Promise<SurveyRow> {
    const s = await this.repo.survey(db, id, lock);
    if (!s) throw notFound();
    if (!scope.all) {
      const units = await this.repo.units(db, id);
      if (!units.some((u) => inScope(scope, u.unitOrgId))) throw notFound();
    }
    return s;
  }

  // --- reads --------------------------------------------------------------------------------------

  async page(actor: Actor, q: Static<typeof SurveyQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      orgIds: scope.all ? undefined : [...scope.orgIds],
      status: q.status,
      before: q.cursor,
      limit,
    });
    const counts = await this.repo.counts(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    return {
      items: rows.map((r) => this.summary(r, counts.get(Number(r.id)))),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async get(actor: Actor, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    return this.detail(this.ctx.db, await this.visible(this.ctx.db, scope, id));
  }

  // --- writes -------------------------------------------------------------------------------------

  /** The round-units named, each existing and in scope, or 400 INVALID_REFERENCE. */
  private async checkUnits(db: Executor, scope: Scope, ids: readonly number[]) {
    const rows = await this.repo.roundUnits(db, ids);
    const unique = new Set(ids);
    if (rows.length !== unique.size || rows.some((r) => !inScope(scope, r.unitOrgId)))
      throw new AppError(400, 'INVALID_REFERENCE', { field: 'roundUnitIds' });
    return rows.map((r) => ({ roundUnitId: Number(r.id), unitOrgId: Number(r.unitOrgId) }));
  }

  async create(actor: Actor, audit: AuditContext, input: Static<typeof CreateSurvey>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const units = await this.checkUnits(trx, scope, input.roundUnitIds);
      const id = await this.repo.insertSurvey(trx, {
        title: JSON.stringify(cleanText(input.title)),
        intro: JSON.stringify(cleanText(input.intro)),
        questions: JSON.stringify(cleanQuestions(input.questions ?? [])),
        status: 'draft',
        openedAt: null,
        closedAt: null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.setUnits(trx, id, units);
      const after = await this.detail(trx, (await this.repo.survey(trx, id))!);
      await this.ctx.audit.record(trx, audit, { action: 'survey.create', entity: 'survey', entityId: id, after });
      return after;
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateSurvey>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const s = await this.visible(trx, scope, id, 'update');
      const before = await this.detail(trx, s);
      if (before.version !== input.version) throw stale(before);
      if (!surveyEditable(s.status as SurveyStatus)) throw new AppError(409, 'SURVEY_NOT_EDITABLE');
      const patch: Parameters<SurveysRepository['updateSurvey']>[3] = { updatedAt: now };
      if (input.title) patch.title = JSON.stringify(cleanText(input.title));
      if (input.intro) patch.intro = JSON.stringify(cleanText(input.intro));
      if (input.questions) patch.questions = JSON.stringify(cleanQuestions(input.questions));
      if (input.roundUnitIds) {
        const units = await this.checkUnits(trx, scope, input.roundUnitIds);
        // A unit that already has codes printed stays: its codes would point nowhere.
        const kept = new Set(units.map((u) => u.roundUnitId));
        if (before.batches.some((b) => !kept.has(b.roundUnitId))) throw new AppError(409, 'SURVEY_BATCH_UNIT');
        await this.repo.setUnits(trx, id, units);
      }
      if (!(await this.repo.updateSurvey(trx, id, input.version, patch)))
        throw stale(await this.detail(trx, (await this.repo.survey(trx, id))!));
      const after = await this.detail(trx, (await this.repo.survey(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'survey.update',
        entity: 'survey',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async transition(
    actor: Actor,
    audit: AuditContext,
    id: number,
    to: 'open' | 'closed',
    input: Static<typeof Transition>,
  ) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const s = await this.visible(trx, scope, id, 'update');
      const before = await this.detail(trx, s);
      if (before.version !== input.version) throw stale(before);
      if (!canTransitionSurvey(s.status, to)) throw new AppError(409, 'INVALID_TRANSITION', { from: s.status, to });
      if (to === 'open') {
        const problem = questionnaireProblem(before.questions);
        if (problem) throw new AppError(400, 'SURVEY_QUESTIONNAIRE_INVALID', { reason: problem });
        if (!before.units.length) throw new AppError(400, 'SURVEY_UNITS_REQUIRED');
      }
      const ok = await this.repo.updateSurvey(trx, id, input.version, {
        status: to,
        ...(to === 'open' ? { openedAt: now } : { closedAt: now }),
        updatedAt: now,
      });
      if (!ok) throw stale(await this.detail(trx, (await this.repo.survey(trx, id))!));
      const after = await this.detail(trx, (await this.repo.survey(trx, id))!);
      // Closing records the final counts per unit and audience: the survey-level trace of the
      // anonymous answers, which are not audited one by one.
      const counts =
        to === 'closed'
          ? (await this.repo.responseCounts(trx, id)).map((r) => ({
              roundUnitId: Number(r.roundUnitId),
              audience: r.audience,
              responses: Number(r.n),
            }))
          : undefined;
      await this.ctx.audit.record(trx, audit, {
        action: to === 'open' ? 'survey.open' : 'survey.close',
        entity: 'survey',
        entityId: id,
        before: { status: before.status, usedCount: before.usedCount },
        after: { status: after.status, codeCount: after.codeCount, usedCount: after.usedCount, responses: counts },
      });
      return after;
    });
  }

  /**
   * A batch of `count` one-time codes for a unit of the survey and an audience. Answers the batch and
   * the plaintext codes — the one time they are sent in the clear besides an audited reprint.
   */
  async createBatch(actor: Actor, audit: AuditContext, surveyId: number, input: Static<typeof CreateBatch>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    const codes = new Set<string>();
    while (codes.size < input.count) codes.add(this.newCode());
    const list = [...codes];
    const hashes = list.map((c) => this.hashCode(c));
    return this.ctx.db.transaction().execute(async (trx) => {
      const s = await this.visible(trx, scope, surveyId, 'update');
      if (!batchesAllowed(s.status as SurveyStatus)) throw new AppError(409, 'SURVEY_CLOSED');
      const units = await this.repo.units(trx, surveyId);
      if (!units.some((u) => Number(u.roundUnitId) === input.roundUnitId)) throw new AppError(400, 'SURVEY_BATCH_UNIT');
      const batchId = await this.repo.insertBatch(trx, {
        surveyId,
        roundUnitId: input.roundUnitId,
        audience: input.audience,
        label: input.label?.trim() || null,
        codeCount: list.length,
        sealedCodes: '',
        createdBy: actor.userId,
        createdAt: now,
      });
      await this.repo.setSealedCodes(
        trx,
        batchId,
        this.ctx.crypto.encrypt(JSON.stringify(list), batchContext(batchId)),
      );
      await this.repo.insertCodes(trx, batchId, surveyId, hashes);
      const batch = toBatch((await this.repo.batch(trx, batchId))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'survey.batch.create',
        entity: 'survey_batch',
        entityId: batchId,
        after: { surveyId, roundUnitId: batch.roundUnitId, audience: batch.audience, codeCount: batch.codeCount },
      });
      return { batch, surveyTitle: parseJson<LocalText>(s.title, { zh: '' }), codes: list.map(formatCode) };
    });
  }

  /** The plaintext codes of a batch again, for a reprint: survey.write only, and audited. */
  async batchCodes(actor: Actor, audit: AuditContext, batchId: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    return this.ctx.db.transaction().execute(async (trx) => {
      const b = await this.repo.batch(trx, batchId);
      if (!b || !inScope(scope, b.unitOrgId)) throw notFound();
      const s = (await this.repo.survey(trx, Number(b.surveyId)))!;
      const codes = JSON.parse(this.ctx.crypto.decrypt(b.sealedCodes, batchContext(batchId))) as string[];
      await this.ctx.audit.record(trx, audit, {
        action: 'survey.batch.print',
        entity: 'survey_batch',
        entityId: batchId,
        after: { surveyId: Number(b.surveyId), codeCount: codes.length },
      });
      return {
        batch: toBatch(b),
        surveyTitle: parseJson<LocalText>(s.title, { zh: '' }),
        codes: codes.map(formatCode),
      };
    });
  }

  // --- results ------------------------------------------------------------------------------------

  async results(actor: Actor, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const db = this.ctx.db;
    const s = await this.visible(db, scope, id);
    const questions = parseJson<SurveyQuestion[]>(s.questions, []);
    const [units, batchRows, responseRows, optionRows, commentRows] = await Promise.all([
      this.repo.units(db, id),
      this.repo.batchesOf(db, id),
      this.repo.responseCounts(db, id),
      this.repo.optionCounts(db, id),
      this.repo.comments(db, id),
    ]);
    const batches = batchRows.map(toBatch);
    const key = (...parts: (string | number)[]) => parts.join('|');
    const responses = new Map(responseRows.map((r) => [key(Number(r.roundUnitId), r.audience), Number(r.n)]));
    const options = new Map<string, number>();
    for (const o of optionRows) {
      const k = key(Number(o.roundUnitId), o.audience, o.questionKey, o.optionKey!);
      options.set(k, (options.get(k) ?? 0) + Number(o.n));
    }
    const chosen = (ru: number, audiences: readonly string[], q: SurveyQuestion) =>
      new Map(
        q.options.map((o) => [o.key, audiences.reduce((n, a) => n + (options.get(key(ru, a, q.key, o.key)) ?? 0), 0)]),
      );
    const choiceQs = questions.filter((q) => q.kind === 'choice');
    const tallyOf = (ru: number, audiences: readonly string[]) =>
      choiceQs.map((q) => tallyOptions(q, chosen(ru, audiences, q))).reduce(addTallies, EMPTY_TALLY);
    const all = SURVEY_AUDIENCES;

    const unitResults = units.map((u) => {
      const ru = Number(u.roundUnitId);
      const ub = batches.filter((b) => b.roundUnitId === ru);
      const codeCount = ub.reduce((n, b) => n + b.codeCount, 0);
      const usedCount = ub.reduce((n, b) => n + b.usedCount, 0);
      const tally = tallyOf(ru, all);
      return {
        roundUnitId: ru,
        unitName: u.unitName,
        roundName: u.roundName,
        responses: all.reduce((n, a) => n + (responses.get(key(ru, a)) ?? 0), 0),
        codeCount,
        usedCount,
        responseRate: responseRate(usedCount, codeCount),
        tally: tallyOut(tally),
        audiences: all.map((a) => {
          const ab = ub.filter((b) => b.audience === a);
          const codes = ab.reduce((n, b) => n + b.codeCount, 0);
          const used = ab.reduce((n, b) => n + b.usedCount, 0);
          return {
            audience: a,
            codeCount: codes,
            usedCount: used,
            responses: responses.get(key(ru, a)) ?? 0,
            responseRate: responseRate(used, codes),
            tally: tallyOut(tallyOf(ru, [a])),
          };
        }),
        questions: questions.map((q) => {
          const c = chosen(ru, all, q);
          return {
            key: q.key,
            text: q.text,
            kind: q.kind,
            options: q.options.map((o) => ({ ...o, count: c.get(o.key) ?? 0 })),
            tally: tallyOut(q.kind === 'choice' ? tallyOptions(q, c) : EMPTY_TALLY),
            comments: commentRows
              .filter((r) => Number(r.roundUnitId) === ru && r.questionKey === q.key)
              .map((r) => r.text!),
          };
        }),
      };
    });
    const total = unitResults.map((u) => u.tally).reduce(addTallies, EMPTY_TALLY);
    const codeCount = batches.reduce((n, b) => n + b.codeCount, 0);
    const usedCount = batches.reduce((n, b) => n + b.usedCount, 0);
    return {
      surveyId: id,
      status: s.status,
      responses: unitResults.reduce((n, u) => n + u.responses, 0),
      codeCount,
      usedCount,
      responseRate: responseRate(usedCount, codeCount),
      tally: tallyOut({ satisfied: total.satisfied, unsatisfied: total.unsatisfied, excluded: total.excluded }),
      units: unitResults,
      batches,
      title: parseJson<LocalText>(s.title, { zh: '' }),
    };
  }

  // --- public (no login) --------------------------------------------------------------------------

  /** The code's survey, or the stable refusal: unknown, used, not yet open, closed. */
  private async codeSurvey(db: Executor, rawCode: string, lock?: 'share') {
    const code = normaliseCode(rawCode);
    const c = code ? await this.repo.codeByHash(db, this.hashCode(code)) : undefined;
    if (!c) throw new AppError(404, 'SURVEY_CODE_UNKNOWN');
    const s = (await this.repo.survey(db, Number(c.surveyId), lock))!;
    return { c, s };
  }

  private static assertAnswerable(status: string, used: number) {
    if (status === 'draft') throw new AppError(409, 'SURVEY_NOT_OPEN');
    if (status === 'closed') throw new AppError(409, 'SURVEY_CLOSED');
    if (Number(used) === 1) throw new AppError(409, 'SURVEY_CODE_USED');
  }

  async publicSurvey(rawCode: string, locale: Locale) {
    const { c, s } = await this.codeSurvey(this.ctx.db, rawCode);
    SurveysService.assertAnswerable(s.status, c.used);
    const unit = (await this.repo.roundUnits(this.ctx.db, [Number(c.roundUnitId)]))[0]!;
    const questions = parseJson<SurveyQuestion[]>(s.questions, []);
    return {
      surveyId: Number(s.id),
      title: localText(parseJson<LocalText>(s.title, { zh: '' }), locale),
      intro: localText(parseJson<LocalText>(s.intro, { zh: '' }), locale),
      unitName: unit.unitName,
      audience: c.audience,
      questions: questions.map((q) => ({
        key: q.key,
        kind: q.kind,
        text: localText(q.text, locale),
        allowComment: q.allowComment,
        options: q.options.map((o) => ({ key: o.key, label: localText(o.label, locale) })),
      })),
    };
  }

  /**
   * One answer sheet for one code: the code is marked used by a conditional update (… WHERE used = 0)
   * and the sheet inserted in the same transaction, so of two racing submissions of one code exactly
   * one is recorded. Nothing of the code goes into the sheet; no audit row per answer.
   */
  async answer(input: Static<typeof PublicAnswer>) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const { c, s } = await this.codeSurvey(trx, input.code, 'share');
      if (Number(c.surveyId) !== input.surveyId) throw new AppError(409, 'SURVEY_CODE_OTHER_SURVEY');
      SurveysService.assertAnswerable(s.status, c.used);
      const checked = checkAnswers(parseJson<SurveyQuestion[]>(s.questions, []), input.answers);
      if (!checked.ok) throw new AppError(400, 'SURVEY_ANSWERS_INVALID', { reason: checked.reason });
      if (!(await this.repo.markUsed(trx, Number(c.id)))) throw new AppError(409, 'SURVEY_CODE_USED');
      await this.repo.insertResponse(
        trx,
        {
          id: Buffer.from(this.ctx.crypto.randomToken(16), 'base64url').toString('hex'),
          surveyId: Number(s.id),
          roundUnitId: Number(c.roundUnitId),
          audience: c.audience,
        },
        checked.answers.map((a) => ({ questionKey: a.key, optionKey: a.option, text: a.text })),
      );
      return { ok: true };
    });
  }
}
