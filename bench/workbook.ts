import ExcelJS from 'exceljs';
import { GenRandom, measureContent, personName, problemDescription } from '../server/src/cli/generate-texts.js';
import { headerText, LEDGER_COLUMNS, LEDGER_SHEET } from '../server/src/modules/ledger-excel/ledger-excel.layout.js';
import type { SqlHandle } from './floor.js';
import { recountFloor } from './floor.js';

/**
 * The import scenario's workbook: a 三清单一台账 sheet in the template layout (bilingual headers,
 * one row per measure, problem columns on a problem's first row only), `rows` measures over
 * problems of four measures each. Also answers the same rows as plain values for the floor.
 */

export interface ImportRows {
  problems: {
    number: string;
    category: string;
    description: string;
    leader: string;
    first: string;
    shared: string[];
  }[];
  measures: { problem: number; seq: number; content: string; deadline: string; owner: string; funds: number }[];
}

const CATEGORIES = ['party_building', 'financial_management', 'eight_point_rules', 'personnel_selection'] as const;

export function importRows(rows: number, prefix: string): ImportRows {
  const rng = new GenRandom(42);
  const out: ImportRows = { problems: [], measures: [] };
  const deadline = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; out.measures.length < rows; i++) {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    out.problems.push({
      number: `${prefix}${i + 1}`,
      category,
      description: problemDescription(rng, category, 2026),
      leader: personName(rng),
      first: personName(rng),
      shared: [personName(rng), personName(rng)],
    });
    for (let s = 1; s <= 4 && out.measures.length < rows; s++)
      out.measures.push({
        problem: i,
        seq: s,
        content: measureContent(rng, category),
        deadline,
        owner: personName(rng),
        funds: rng.chance(0.1) ? rng.int(1000, 900000) / 100 : 0,
      });
  }
  return out;
}

export async function importWorkbook(data: ImportRows): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(LEDGER_SHEET);
  ws.columns = LEDGER_COLUMNS.map((c) => ({ header: headerText(c), key: c.field, width: c.width }));
  let last = -1;
  for (const m of data.measures) {
    const p = data.problems[m.problem]!;
    const first = m.problem !== last;
    last = m.problem;
    ws.addRow({
      number: p.number,
      category: first ? p.category : null,
      description: first ? p.description : null,
      source: first ? 'feedback' : null,
      severity: first ? 'medium' : null,
      responsibleLeader: first ? p.leader : null,
      responsibleDepartment: first ? '办公室' : null,
      responsiblePerson: first ? p.leader : null,
      firstResponsible: first ? p.first : null,
      sharedResponsible: first ? p.shared.join('、') : null,
      measureSeq: m.seq,
      content: m.content,
      type: 'deadline',
      deadline: new Date(`${m.deadline}T00:00:00Z`),
      owner: m.owner,
      status: 'in_progress',
      rulesEstablished: 0,
      fundsReturned: m.funds,
      lossesRecovered: 0,
      peopleHeldAccountable: 0,
      casesFiled: 0,
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The floor of an import: the same rows written by multi-row INSERTs (500 rows per statement, as
 * LedgerExcelRepository does), the round-unit's counters rebuilt, then rolled back.
 */
export async function importFloor(
  h: SqlHandle,
  ru: { id: number; roundId: number; termId: number; unitOrgId: number },
  data: ImportRows,
): Promise<void> {
  const now = Date.now();
  const chunk = <T>(xs: T[], n: number) =>
    Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  await h.exec('BEGIN');
  try {
    const maxSeq = Number(
      (await h.all('SELECT coalesce(max(seq), 0) AS s FROM problems WHERE round_unit_id = ?', [ru.id]))[0]!.s,
    );
    const ids: number[] = [];
    const pCols =
      'round_unit_id, round_id, term_id, unit_org_id, seq, number, category_code, description, source, severity, responsible_leader, responsible_department, responsible_person, measure_count, done_count, version, created_at, updated_at';
    let seq = maxSeq;
    for (const part of chunk(data.problems, 500)) {
      const params: unknown[] = [];
      for (const p of part)
        params.push(
          ru.id,
          ru.roundId,
          ru.termId,
          ru.unitOrgId,
          ++seq,
          p.number,
          p.category,
          p.description,
          'feedback',
          'medium',
          p.leader,
          '办公室',
          p.leader,
          4,
          0,
          1,
          now,
          now,
        );
      const values = part.map(() => `(${Array(18).fill('?').join(',')})`).join(',');
      const r = await h.all(`INSERT INTO problems (${pCols}) VALUES ${values} RETURNING id`, params);
      ids.push(...r.map((x) => Number(x.id)));
    }
    const resp: unknown[][] = [];
    data.problems.forEach((p, i) => {
      resp.push([ids[i], p.first, null, 'first', null]);
      for (const s of p.shared) resp.push([ids[i], s, null, 'shared', null]);
    });
    for (const part of chunk(resp, 500))
      await h.all(
        `INSERT INTO problem_responsibles (problem_id, name, post, duty, user_id) VALUES ${part.map(() => '(?,?,?,?,?)').join(',')}`,
        part.flat(),
      );
    const mCols =
      'problem_id, round_unit_id, round_id, term_id, unit_org_id, category_code, seq, content, type, status, is_done, deadline, extended_deadline, effective_deadline, owner_name, owner_user_id, completed_on, rules_established, funds_returned_fen, losses_recovered_fen, people_held_accountable, cases_filed, last_progress_at, version, created_at, updated_at';
    for (const part of chunk(data.measures, 500)) {
      const params: unknown[] = [];
      for (const m of part) {
        const p = data.problems[m.problem]!;
        params.push(
          ids[m.problem],
          ru.id,
          ru.roundId,
          ru.termId,
          ru.unitOrgId,
          p.category,
          m.seq,
          m.content,
          'deadline',
          'in_progress',
          0,
          m.deadline,
          null,
          m.deadline,
          m.owner,
          null,
          null,
          0,
          Math.round(m.funds * 100),
          0,
          0,
          0,
          now,
          1,
          now,
          now,
        );
      }
      await h.all(
        `INSERT INTO measures (${mCols}) VALUES ${part.map(() => `(${Array(26).fill('?').join(',')})`).join(',')}`,
        params,
      );
    }
    await recountFloor(h, ru.id);
  } finally {
    await h.exec('ROLLBACK');
  }
}
