import { DONE_STATUSES, type MeasureStatus } from '../../domain/rectification.js';
import type { openInstallation } from './seed.js';
import type { Acked } from './writer.js';

type Opened = Awaited<ReturnType<typeof openInstallation>>;

/** Acknowledged writes missing from the database (each a line saying which). */
export async function missingAcked(o: Opened, acked: Acked[]): Promise<string[]> {
  const out: string[] = [];
  const problemIds = acked.flatMap((a) => a.problems.map((p) => p.id));
  const measureIds = acked.flatMap((a) => [...a.updates.keys()]);
  const problems = new Set<number>();
  for (let i = 0; i < problemIds.length; i += 500) {
    const rows = await o.db
      .selectFrom('problems')
      .select('id')
      .where('id', 'in', problemIds.slice(i, i + 500))
      .execute();
    for (const r of rows) problems.add(Number(r.id));
  }
  const measures = new Map<number, { version: number; rulesEstablished: number }>();
  for (let i = 0; i < measureIds.length; i += 500) {
    const rows = await o.db
      .selectFrom('measures')
      .select(['id', 'version', 'rulesEstablished'])
      .where('id', 'in', measureIds.slice(i, i + 500))
      .execute();
    for (const r of rows)
      measures.set(Number(r.id), { version: Number(r.version), rulesEstablished: Number(r.rulesEstablished) });
  }
  for (const a of acked) {
    for (const p of a.problems) {
      if (!problems.has(p.id)) out.push(`acknowledged problem ${p.id} is missing`);
      for (const m of p.measureIds)
        if (!measures.has(m)) out.push(`measure ${m} of acknowledged problem ${p.id} is missing`);
    }
    for (const [id, ack] of a.updates) {
      const cur = measures.get(id);
      if (!cur) continue; // reported above
      // Each update bumps the version and the counter by one: the row may be ahead of the last
      // acknowledgement (an update applied whose answer was lost in the kill), never behind.
      if (cur.version < ack.version || cur.rulesEstablished - ack.rulesEstablished !== cur.version - ack.version)
        out.push(
          `measure ${id}: acknowledged v${ack.version}/${ack.rulesEstablished}, found v${cur.version}/${cur.rulesEstablished}`,
        );
    }
  }
  return out;
}

/**
 * Half-written or inconsistent rows: a drill problem without its two measures or its responsible, a
 * measure without its problem, stored per-problem counts or ledger_summaries different from a recount
 * made here from the rows themselves.
 */
export async function inconsistencies(o: Opened): Promise<string[]> {
  const out: string[] = [];
  const problems = await o.db
    .selectFrom('problems')
    .select([
      'id',
      'number',
      'roundUnitId',
      'roundId',
      'termId',
      'unitOrgId',
      'categoryCode',
      'measureCount',
      'doneCount',
    ])
    .execute();
  const measures = await o.db
    .selectFrom('measures')
    .select([
      'id',
      'problemId',
      'status',
      'rulesEstablished',
      'peopleHeldAccountable',
      'casesFiled',
      'fundsReturnedFen',
      'lossesRecoveredFen',
    ])
    .execute();
  const responsibles = await o.db.selectFrom('problemResponsibles').select('problemId').execute();
  const withResponsible = new Set(responsibles.map((r) => Number(r.problemId)));
  const byProblem = new Map<number, typeof measures>();
  const problemIds = new Set(problems.map((p) => Number(p.id)));
  for (const m of measures) {
    if (!problemIds.has(Number(m.problemId))) out.push(`measure ${m.id} without its problem`);
    const l = byProblem.get(Number(m.problemId)) ?? [];
    l.push(m);
    byProblem.set(Number(m.problemId), l);
  }
  const groups = new Map<string, Record<string, string>>();
  for (const p of problems) {
    const ms = byProblem.get(Number(p.id)) ?? [];
    const done = ms.filter((m) => DONE_STATUSES.includes(m.status as MeasureStatus)).length;
    if (/^d\d+-/.test(p.number) && (ms.length !== 2 || !withResponsible.has(Number(p.id))))
      out.push(`problem ${p.id} half-written: ${ms.length} measures, responsible ${withResponsible.has(Number(p.id))}`);
    if (Number(p.measureCount) !== ms.length || Number(p.doneCount) !== done)
      out.push(`problem ${p.id} counts ${p.measureCount}/${p.doneCount}, recount ${ms.length}/${done}`);
    const key = `${p.roundUnitId}|${p.categoryCode}`;
    const g = groups.get(key) ?? {
      roundId: String(p.roundId),
      termId: String(p.termId),
      unitOrgId: String(p.unitOrgId),
      problemCount: '0',
      rectifiedProblemCount: '0',
      measureCount: '0',
      doneCount: '0',
      closedCount: '0',
      rulesEstablished: '0',
      fundsReturnedFen: '0',
      lossesRecoveredFen: '0',
      peopleHeldAccountable: '0',
      casesFiled: '0',
    };
    const add = (k: string, v: bigint | number | string) => {
      g[k] = (BigInt(g[k]!) + BigInt(v)).toString();
    };
    add('problemCount', 1);
    add('rectifiedProblemCount', ms.length > 0 && done === ms.length ? 1 : 0);
    add('measureCount', ms.length);
    add('doneCount', done);
    add('closedCount', ms.filter((m) => m.status === 'closed').length);
    for (const m of ms) {
      add('rulesEstablished', Number(m.rulesEstablished));
      add('peopleHeldAccountable', Number(m.peopleHeldAccountable));
      add('casesFiled', Number(m.casesFiled));
      add('fundsReturnedFen', String(m.fundsReturnedFen).split('.')[0]!);
      add('lossesRecoveredFen', String(m.lossesRecoveredFen).split('.')[0]!);
    }
    groups.set(key, g);
  }
  const stored = await o.db.selectFrom('ledgerSummaries').selectAll().execute();
  const seen = new Set<string>();
  for (const s of stored) {
    const key = `${s.roundUnitId}|${s.categoryCode}`;
    seen.add(key);
    const g = groups.get(key);
    if (!g) {
      out.push(`ledger_summaries ${key} has no problems`);
      continue;
    }
    for (const [k, v] of Object.entries(g)) {
      const sv = String((s as Record<string, unknown>)[k]).split('.')[0];
      if (sv !== v) out.push(`ledger_summaries ${key}.${k} = ${sv}, recount ${v}`);
    }
  }
  for (const key of groups.keys()) if (!seen.has(key)) out.push(`ledger_summaries ${key} missing`);
  return out;
}

/** The audit chain verdict: null when intact, else the first break. */
export async function auditBreak(o: Opened): Promise<string | null> {
  const r = await o.audit.verify();
  return r.ok ? null : `audit chain broken at ${r.firstBad?.position} (seq ${r.firstBad?.seq}): ${r.firstBad?.reason}`;
}
