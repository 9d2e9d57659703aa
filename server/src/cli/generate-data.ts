import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { shanghaiDate } from '../../../domain/calendar.js';
import { needsRecheck, recheckDates } from '../../../domain/progress.js';
import { isDone, type MeasureStatus, type MeasureType, type RoundType } from '../../../domain/rectification.js';
import type { Role } from '../../../domain/roles.js';
import type { Dialect } from '../db/database.js';
import type { DB } from '../db/types.js';
import { SummaryRepository } from '../modules/ledger/summaries.repository.js';
import type { AuditContext, AuditService } from '../platform/audit/audit.service.js';
import { GENESIS_HASH, headMac, rowHash, type Unhashed } from '../platform/audit/chain.js';
import type { Clock } from '../platform/clock.js';
import type { CryptoProvider } from '../platform/crypto.js';
import {
  CATEGORIES,
  CATEGORY_WEIGHTS,
  type CategoryCode,
  CLOSURE_SUMMARIES,
  CLOSURE_VERIFY_NOTE,
  cnNumber,
  DEPARTMENT_NAMES,
  FEEDBACK_OPENING,
  GenRandom,
  INDUSTRY_DEPARTMENTS,
  LEADER_POSTS,
  measureContent,
  PROGRESS_NARRATIVES,
  personName,
  placeName,
  problemDescription,
  RECHECK_PASSED_NOTE,
  REPORT_SUMMARY,
  UNIT_DEPARTMENTS,
} from './generate-texts.js';
import { type BulkWriter, PostgresBulkWriter, SqliteBulkWriter, SqliteWorkerWriter } from './generate-writer.js';

/**
 * The synthetic dataset of issue 9 (SPEC §4 province scale): terms, rounds, teams, organisations
 * (units under counties, supervising bodies with their lines), liaison links, accounts for every
 * role, round-units with their history and feedback, problems with their responsibility lists,
 * measures with skewed statuses (most done, some overdue, a few extended), money in 分, and
 * optionally a long audit history on the real SM3 chain. Rows are made in memory one round at a time
 * and written with multi-row INSERTs (generate-writer.ts); the dashboard counters are then rebuilt
 * once by the ledger's own SummaryRepository, and the run is audited like any other write.
 */

export interface GenerateOptions {
  units: number;
  measures: number;
  rounds: number;
  terms: number;
  auditRows: number;
  seed: number;
  /** The password of every generated account (one PBKDF2 hash shared by all of them). */
  password: string;
  /** Progress lines. */
  log?: (line: string) => void;
  actor?: AuditContext;
}

export interface GenerateContext {
  db: Kysely<DB>;
  dialect: Dialect;
  sqlite: SQLite.Database | null;
  crypto: CryptoProvider;
  audit: AuditService;
  clock: Clock;
}

export interface GenerateResult {
  counts: Record<string, number>;
  /** Rows written by the generator (the summary rows rebuilt at the end included). */
  rows: number;
  elapsedMs: number;
  /** Rows per second of the whole run, from the first insert to the rebuilt counters. */
  rowsPerSecond: number;
  phases: { name: string; ms: number; rows: number }[];
  accounts: Record<string, string>;
  /** Ids the benchmarks start from. */
  refs: {
    latestTermId: number;
    latestRoundId: number;
    benchUnitOrgId: number;
    benchSupervisorOrgId: number;
    openRoundUnitId: number;
  };
}

export class GenerateError extends Error {}

/** The accounts with known names: the benchmarks sign in as these. */
export const BENCH_ACCOUNTS: readonly { username: string; role: Role; displayName: string }[] = [
  { username: 'bench-office', role: 'office', displayName: '巡察办（基准）' },
  { username: 'bench-leader', role: 'leader', displayName: '领导小组（基准）' },
  { username: 'bench-supervisor', role: 'supervisor', displayName: '第一纪检监察室（基准）' },
  { username: 'bench-unit', role: 'unit', displayName: '被巡察单位联络员（基准）' },
  { username: 'bench-unithead', role: 'unit_head', displayName: '被巡察单位主要负责人（基准）' },
  { username: 'bench-discipline', role: 'discipline', displayName: '党风政风室（基准）' },
  { username: 'bench-followup', role: 'followup', displayName: '督查室（基准）' },
  { username: 'bench-sysadmin', role: 'sysadmin', displayName: '系统管理员（基准）' },
  { username: 'bench-secadmin', role: 'secadmin', displayName: '安全管理员（基准）' },
  { username: 'bench-auditor', role: 'auditor', displayName: '审计管理员（基准）' },
];

/** Generated unit liaison accounts: `g-unit-00001` … (the login benchmark signs in as many of them). */
export const unitUsername = (i: number) => `g-unit-${String(i + 1).padStart(5, '0')}`;
/** Generated unit head accounts (审签 of progress reports): `g-head-00001` … */
export const headUsername = (i: number) => `g-head-${String(i + 1).padStart(5, '0')}`;

const DAY_MS = 86_400_000;
const ROUND_GAP_DAYS = 120;
const LATEST_FEEDBACK_DAYS_AGO = 40;
/** Commit after about this many measures. */
const COMMIT_EVERY = 100_000;
const AUDIT_CHUNK = 20_000;

const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateCache = new Map<number, string>();
function fmt(day: number): string {
  let s = dateCache.get(day);
  if (!s) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, s);
  }
  return s;
}
/** A moment during office hours (09:00–17:00 Asia/Shanghai) of that day. */
const officeTime = (r: GenRandom, day: number) => day * DAY_MS + r.int(1, 8) * 3_600_000 + r.int(0, 3_599_999);

const COLUMNS = {
  organisations: [
    'id',
    'parent_id',
    'code',
    'name',
    'short_name',
    'type',
    'supervisor_line',
    'sort',
    'active',
    'version',
    'created_at',
    'updated_at',
  ],
  users: [
    'id',
    'username',
    'display_name',
    'org_id',
    'role',
    'email',
    'phone',
    'password_hash',
    'password_changed_at',
    'must_change_password',
    'totp_secret',
    'totp_enabled',
    'disabled',
    'version',
    'created_at',
    'updated_at',
  ],
  liaison_links: ['id', 'unit_org_id', 'supervisor_org_id', 'categories', 'created_at'],
  terms: ['id', 'number', 'name', 'start_date', 'end_date', 'version', 'created_at', 'updated_at'],
  rounds: [
    'id',
    'term_id',
    'number',
    'name',
    'type',
    'on_site_start',
    'on_site_end',
    'notes',
    'version',
    'created_at',
    'updated_at',
  ],
  inspection_teams: ['id', 'round_id', 'name', 'notes', 'version', 'created_at', 'updated_at'],
  team_members: ['id', 'team_id', 'name', 'post', 'member_role', 'source_org_id', 'user_id', 'created_at'],
  round_units: [
    'id',
    'round_id',
    'term_id',
    'unit_org_id',
    'team_id',
    'status',
    'cycle',
    'feedback_date',
    'deadline',
    'deadline_overridden',
    'version',
    'created_at',
    'updated_at',
  ],
  round_unit_events: [
    'id',
    'round_unit_id',
    'from_status',
    'to_status',
    'cycle',
    'deadline',
    'reason',
    'actor_id',
    'actor_name',
    'at',
  ],
  feedbacks: ['id', 'round_unit_id', 'title', 'body', 'delivered_on', 'version', 'created_at', 'updated_at'],
  campaigns: ['id', 'name', 'category_code', 'description', 'version', 'created_at', 'updated_at'],
  problems: [
    'id',
    'round_unit_id',
    'round_id',
    'term_id',
    'unit_org_id',
    'campaign_id',
    'seq',
    'number',
    'category_code',
    'description',
    'source',
    'severity',
    'responsible_leader',
    'responsible_department',
    'responsible_person',
    'measure_count',
    'done_count',
    'version',
    'created_at',
    'updated_at',
  ],
  problem_responsibles: ['id', 'problem_id', 'name', 'post', 'duty', 'user_id'],
  measures: [
    'id',
    'problem_id',
    'round_unit_id',
    'round_id',
    'term_id',
    'unit_org_id',
    'category_code',
    'seq',
    'content',
    'type',
    'status',
    'is_done',
    'deadline',
    'extended_deadline',
    'effective_deadline',
    'owner_name',
    'owner_user_id',
    'completed_on',
    'rules_established',
    'funds_returned_fen',
    'losses_recovered_fen',
    'people_held_accountable',
    'cases_filed',
    'last_progress_at',
    'version',
    'created_at',
    'updated_at',
  ],
  deadline_extensions: [
    'id',
    'measure_id',
    'unit_org_id',
    'previous_deadline',
    'requested_deadline',
    'reason',
    'status',
    'requested_by',
    'requested_at',
    'decided_by',
    'decided_at',
    'decision_note',
    'version',
    'created_at',
    'updated_at',
  ],
  progress_reports: [
    'id',
    'round_unit_id',
    'round_id',
    'term_id',
    'unit_org_id',
    'period_seq',
    'period_kind',
    'due_date',
    'status',
    'revision',
    'summary',
    'late',
    'prepared_by',
    'sent_for_signoff_at',
    'signed_by',
    'submitted_at',
    'returned_by',
    'returned_at',
    'return_note',
    'version',
    'created_at',
    'updated_at',
  ],
  progress_report_items: ['id', 'report_id', 'measure_id', 'reported_status', 'narrative', 'file_ids', 'updated_at'],
  progress_report_versions: [
    'id',
    'report_id',
    'revision',
    'snapshot',
    'late',
    'prepared_by',
    'signed_by',
    'submitted_at',
  ],
  closures: [
    'id',
    'measure_id',
    'problem_id',
    'round_unit_id',
    'unit_org_id',
    'category_code',
    'status',
    'summary',
    'file_ids',
    'applicant_id',
    'applied_at',
    'decided_by',
    'decided_at',
    'decision_note',
    'reopened_by',
    'reopened_at',
    'reopen_source',
    'reopen_reason',
    'version',
    'created_at',
    'updated_at',
  ],
  closure_verifications: [
    'id',
    'closure_id',
    'verifier_id',
    'verifier_role',
    'verifier_org_id',
    'verdict',
    'note',
    'created_at',
  ],
  rechecks: [
    'id',
    'measure_id',
    'closure_id',
    'round_unit_id',
    'unit_org_id',
    'category_code',
    'months_after',
    'due_date',
    'status',
    'result_note',
    'done_by',
    'done_at',
    'version',
    'created_at',
    'updated_at',
  ],
  audit_log: [
    'seq',
    'at',
    'actor_id',
    'actor_name',
    'ip',
    'request_id',
    'action',
    'entity',
    'entity_id',
    'before',
    'after',
    'result',
    'prev_hash',
    'hash',
  ],
} as const;

type Table = keyof typeof COLUMNS;
const ID_TABLES = Object.keys(COLUMNS).filter((t) => t !== 'audit_log') as Exclude<Table, 'audit_log'>[];

function roundType(r: number): RoundType {
  if (r % 10 === 9) return 'lookback';
  if (r % 7 === 3) return 'special';
  if (r % 11 === 5) return 'mobile';
  return 'regular';
}
const ROUND_TYPE_NAMES: Partial<Record<RoundType, string>> = {
  regular: '常规巡察',
  special: '专项巡察',
  mobile: '机动巡察',
  lookback: '巡察“回头看”',
};

/** Splits `total` into `n` positive parts proportional to weights (largest remainder). */
function allocate(total: number, weights: number[]): number[] {
  const n = weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - n; // every part gets at least one
  const raw = weights.map((w) => (spare * w) / sum);
  const parts = raw.map((x) => 1 + Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k]![1]]! += 1;
  return parts;
}

/** The whole run. Refuses a database that already holds a generated dataset. */
export async function generateDataset(ctx: GenerateContext, opts: GenerateOptions): Promise<GenerateResult> {
  const { units: U, measures: M, rounds: R, terms: T } = opts;
  if (U < 1 || R < 1 || T < 1 || T > R) throw new GenerateError('need units ≥ 1, rounds ≥ 1 and 1 ≤ terms ≤ rounds');
  if (M < U) throw new GenerateError('need at least one measure per unit (--measures ≥ --units)');
  const log = opts.log ?? (() => {});
  const { db } = ctx;
  if (await db.selectFrom('users').select('id').where('username', '=', 'bench-office').executeTakeFirst())
    throw new GenerateError('this database already holds a generated dataset (user bench-office exists)');

  const rng = new GenRandom(opts.seed);
  const now = ctx.clock.now();
  const today = dayOf(shanghaiDate(now));
  const passwordHash = ctx.crypto.hashPassword(opts.password);
  const next = await nextIds(db);
  const id = (t: Exclude<Table, 'audit_log'>) => next[t]++;
  const counts: Record<string, number> = {};
  const phases: GenerateResult['phases'] = [];
  const started = performance.now();
  let phaseStart = started;
  let phaseRows = 0;

  let written = 0;
  const accounts: Record<string, string> = {};
  const run = async (w: BulkWriter) => {
    const put = async (t: Table, rows: unknown[][]) => {
      if (!rows.length) return;
      await w.insert(t, COLUMNS[t], rows);
      counts[t] = (counts[t] ?? 0) + rows.length;
    };
    const phase = (name: string) => {
      const t = performance.now();
      phases.push({ name, ms: Math.round(t - phaseStart), rows: w.rows - phaseRows });
      log(`  ${name}: ${(w.rows - phaseRows).toLocaleString('en')} rows in ${((t - phaseStart) / 1000).toFixed(1)} s`);
      phaseStart = t;
      phaseRows = w.rows;
    };

    // --- organisations ------------------------------------------------------------------------
    const created = now - (R * ROUND_GAP_DAYS + 400) * DAY_MS;
    const orgs: unknown[][] = [];
    const org = (parent: number | null, code: string, name: string, type: string, line: string | null, sort = 0) => {
      const oid = id('organisations');
      orgs.push([oid, parent, `GEN-${code}`, name, null, type, line, sort, 1, 1, created, created]);
      return oid;
    };
    const root = org(null, 'ROOT', '中共某省委员会', 'party_committee', null);
    const officeOrg = org(root, 'XUNCHA', '省委巡察工作办公室', 'inspection_office', null, 1);
    const leadershipOrg = org(root, 'LDXZ', '省委巡察工作领导小组', 'leadership_group', null, 2);
    const commission = org(root, 'JIWEI', '省纪委监委', 'supervisor', 'discipline', 3);
    const conductOrg = org(commission, 'JIWEI-DFZF', '省纪委监委党风政风监督室', 'discipline_office', null, 1);
    const followupOrg = org(root, 'DUCHA', '省委督查室', 'followup_office', null, 4);
    const organisationDept = org(root, 'ZUZHI', '省委组织部', 'supervisor', 'organisation', 5);
    const propagandaDept = org(root, 'XUANCHUAN', '省委宣传部', 'supervisor', 'propaganda', 6);
    const auditDept = org(root, 'SHENJI', '省审计厅', 'supervisor', 'audit', 7);
    const disciplineOffices: number[] = [];
    for (let d = 0; d < Math.ceil(U / 50); d++)
      disciplineOffices.push(
        org(
          commission,
          `JIWEI-JC${d + 1}`,
          `省纪委监委第${cnNumber((d % 99) + 1)}监督检查室${d >= 99 ? `（${d + 1}）` : ''}`,
          'supervisor',
          'discipline',
          d + 2,
        ),
      );
    const stationed: number[] = [];
    for (let g = 0; g < Math.min(20, Math.max(1, Math.ceil(U / 250))); g++)
      stationed.push(
        org(
          commission,
          `JIWEI-PZ${g + 1}`,
          `省纪委监委派驻第${cnNumber(g + 1)}纪检监察组`,
          'supervisor',
          'stationed',
          200 + g,
        ),
      );
    const industry = INDUSTRY_DEPARTMENTS.map((name, i) =>
      org(root, `HY${i + 1}`, name, 'supervisor', 'industry', 20 + i),
    );
    const counties: number[] = [];
    const C = Math.max(1, Math.ceil(U / 100));
    for (let c = 0; c < C; c++)
      counties.push(org(root, `C${c + 1}`, `中共${placeName(c)}委员会`, 'party_committee', null, 100 + c));
    const unitOrg: number[] = [];
    const unitName: string[] = [];
    const unitDept: number[] = [];
    for (let u = 0; u < U; u++) {
      const c = Math.floor((u * C) / U);
      const dept = u % UNIT_DEPARTMENTS.length;
      const name = `${placeName(c)}${UNIT_DEPARTMENTS[dept]}${dept >= 33 ? '党委' : '党组'}`;
      unitOrg.push(org(counties[c]!, `U${u + 1}`, name, 'inspected_unit', null, u));
      unitName.push(name);
      unitDept.push(dept);
    }
    await put('organisations', orgs);

    // --- which unit is inspected in which round -----------------------------------------------
    const shuffled = rng.shuffle(Array.from({ length: U }, (_, i) => i));
    const roundUnitsOf: number[][] = [];
    for (let r = 0; r < R; r++) {
      const base = shuffled.slice(Math.floor((r * U) / R), Math.floor(((r + 1) * U) / R));
      if (roundType(r) === 'lookback' && r > 0) {
        // "回头看": a fifth more units, revisited from earlier rounds
        const seen = new Set(base);
        const earlier = Math.floor((r * U) / R);
        for (let k = 0; k < Math.ceil(base.length / 5) && earlier > 0; k++) {
          const u = shuffled[rng.int(0, earlier - 1)]!;
          if (!seen.has(u)) {
            seen.add(u);
            base.push(u);
          }
        }
      }
      roundUnitsOf.push(base);
    }
    const latest = roundUnitsOf[R - 1]!.length ? roundUnitsOf[R - 1]! : roundUnitsOf.find((x) => x.length)!;
    const benchUnit = latest[0]!;

    // --- accounts -----------------------------------------------------------------------------
    const users: unknown[][] = [];
    const user = (username: string, displayName: string, orgId: number, role: Role) => {
      const uid = id('users');
      users.push([
        uid,
        username,
        displayName,
        orgId,
        role,
        null,
        null,
        passwordHash,
        now,
        0,
        null,
        0,
        0,
        1,
        created,
        created,
      ]);
      return uid;
    };
    const benchOrg: Record<Role, number> = {
      office: officeOrg,
      leader: leadershipOrg,
      supervisor: disciplineOffices[0]!,
      unit: unitOrg[benchUnit]!,
      unit_head: unitOrg[benchUnit]!,
      discipline: conductOrg,
      followup: followupOrg,
      sysadmin: root,
      secadmin: root,
      auditor: root,
    };
    const benchIds: Record<string, number> = {};
    for (const a of BENCH_ACCOUNTS) {
      benchIds[a.username] = user(a.username, a.displayName, benchOrg[a.role], a.role);
      accounts[a.username] = a.role;
    }
    const unitUser: number[] = [];
    for (let u = 0; u < U; u++) unitUser.push(user(unitUsername(u), `${unitName[u]}联络员`, unitOrg[u]!, 'unit'));
    // The unit heads who sign progress reports off (审签); the bench unit's is bench-unithead.
    const headUser: number[] = [];
    for (let u = 0; u < U; u++)
      headUser.push(
        u === benchUnit
          ? benchIds['bench-unithead']!
          : user(headUsername(u), `${unitName[u]}主要负责人`, unitOrg[u]!, 'unit_head'),
      );
    const supervisorOrgs = [
      ...disciplineOffices,
      ...stationed,
      ...industry,
      organisationDept,
      propagandaDept,
      auditDept,
    ];
    for (const [i, o] of supervisorOrgs.entries())
      user(`g-sup-${String(i + 1).padStart(4, '0')}`, `监督人员${i + 1}`, o, 'supervisor');
    await put('users', users);

    // --- liaison links (联系关系) ---------------------------------------------------------------
    const links: unknown[][] = [];
    const link = (unit: number, sup: number, categories: string | null) =>
      links.push([id('liaison_links'), unit, sup, categories, created]);
    for (let u = 0; u < U; u++) {
      const o = unitOrg[u]!;
      link(o, disciplineOffices[Math.floor(u / 50)]!, null);
      link(o, stationed[u % stationed.length]!, null);
      link(o, industry[u % industry.length]!, 'engineering_projects,financial_management,civil_air_defence');
      link(o, organisationDept, 'personnel_selection,party_building');
      link(o, propagandaDept, 'ideology');
      link(o, auditDept, 'financial_management,engineering_projects');
    }
    await put('liaison_links', links);

    // --- terms, rounds, teams -----------------------------------------------------------------
    const termOf = (r: number) => Math.floor((r * T) / R);
    const feedbackDay = (r: number) => today - LATEST_FEEDBACK_DAYS_AGO - (R - 1 - r) * ROUND_GAP_DAYS;
    const termIds: number[] = [];
    const terms: unknown[][] = [];
    for (let t = 0; t < T; t++) {
      let first = R;
      let last = -1;
      for (let r = 0; r < R; r++)
        if (termOf(r) === t) {
          first = Math.min(first, r);
          last = Math.max(last, r);
        }
      const tid = id('terms');
      termIds.push(tid);
      const end = t < T - 1 ? fmt(feedbackDay(last) + 200) : null;
      terms.push([tid, t + 1, `第${cnNumber(t + 1)}届省委`, fmt(feedbackDay(first) - 150), end, 1, created, created]);
    }
    await put('terms', terms);
    const roundIds: number[] = [];
    const rounds: unknown[][] = [];
    const teams: unknown[][] = [];
    const members: unknown[][] = [];
    const teamsOf: number[][] = [];
    const numberInTerm = new Map<number, number>();
    for (let r = 0; r < R; r++) {
      const t = termOf(r);
      const n = (numberInTerm.get(t) ?? 0) + 1;
      numberInTerm.set(t, n);
      const fb = feedbackDay(r);
      const rid = id('rounds');
      roundIds.push(rid);
      const type = roundType(r);
      const at = officeTime(rng, fb - 100);
      rounds.push([
        rid,
        termIds[t],
        n,
        `第${cnNumber(t + 1)}届省委第${cnNumber(n)}轮${ROUND_TYPE_NAMES[type]}`,
        type,
        fmt(fb - 90),
        fmt(fb - 40),
        null,
        1,
        at,
        at,
      ]);
      const k = Math.max(1, Math.ceil(roundUnitsOf[r]!.length / 12));
      const ts: number[] = [];
      for (let i = 0; i < k; i++) {
        const team = id('inspection_teams');
        ts.push(team);
        teams.push([team, rid, `第${cnNumber(i + 1)}巡察组`, null, 1, at, at]);
        for (const role of ['leader', 'deputy', 'member', 'member', 'liaison'])
          members.push([
            id('team_members'),
            team,
            personName(rng),
            role === 'leader' ? '组长' : role === 'deputy' ? '副组长' : '组员',
            role,
            rng.chance(0.5) ? commission : organisationDept,
            null,
            at,
          ]);
      }
      teamsOf.push(ts);
    }
    await put('rounds', rounds);
    await put('inspection_teams', teams);
    await put('team_members', members);

    const campaigns: unknown[][] = [
      [
        id('campaigns'),
        '人防系统问题一盘棋整改',
        'civil_air_defence',
        '人防系统共性问题，全系统统一整改、统一销号',
        1,
        created,
        created,
      ],
      [
        id('campaigns'),
        '工程建设领域突出问题专项整治',
        'engineering_projects',
        '住建系统工程项目问题集中整治',
        1,
        created,
        created,
      ],
    ];
    const campaignFor = (category: CategoryCode, dept: number): number | null =>
      category === 'civil_air_defence' && UNIT_DEPARTMENTS[dept] === '人民防空办公室'
        ? (campaigns[0]![0] as number)
        : category === 'engineering_projects' && UNIT_DEPARTMENTS[dept] === '住房和城乡建设局'
          ? (campaigns[1]![0] as number)
          : null;
    await put('campaigns', campaigns);
    await w.commit();
    await w.begin();
    phase('organisations, accounts, liaison, terms, rounds');

    // --- round-units, ledgers -----------------------------------------------------------------
    const ruCount = roundUnitsOf.reduce((s, x) => s + x.length, 0);
    const perRoundUnit = allocate(
      M,
      Array.from({ length: ruCount }, () => 0.35 + 1.3 * rng.next() ** 2 + (rng.chance(0.03) ? 2 : 0)),
    );
    const officeId = benchIds['bench-office']!;
    let k = 0;
    let sinceCommit = 0;
    let openRoundUnitId = 0;
    for (let r = 0; r < R; r++) {
      const fbDay = feedbackDay(r);
      const ruDeadline = fmt(fbDay + 91);
      const deadlineDay = fbDay + 91;
      const year = Number(fmt(fbDay).slice(0, 4));
      const rus: unknown[][] = [];
      const events: unknown[][] = [];
      const feedbacks: unknown[][] = [];
      const problems: unknown[][] = [];
      const responsibles: unknown[][] = [];
      const measures: unknown[][] = [];
      const extensions: unknown[][] = [];
      const reports: unknown[][] = [];
      const items: unknown[][] = [];
      const versions: unknown[][] = [];
      const closures: unknown[][] = [];
      const verifications: unknown[][] = [];
      const rechecks: unknown[][] = [];
      roundUnitsOf[r]!.forEach((u, i) => {
        const ruId = id('round_units');
        const past = today - deadlineDay;
        const status =
          past < 0 ? 'rectifying' : past < 180 ? 'period_ended' : rng.chance(0.6) ? 'published' : 'evaluated';
        if (r === R - 1 && i === 0) openRoundUnitId = ruId;
        const trail: [string | null, string, number][] = [
          [null, 'awaiting_feedback', fbDay - 40],
          ['awaiting_feedback', 'rectifying', fbDay],
        ];
        if (past >= 0) trail.push(['rectifying', 'period_ended', deadlineDay]);
        if (status === 'evaluated' || status === 'published')
          trail.push(['period_ended', 'evaluated', deadlineDay + 60]);
        if (status === 'published') trail.push(['evaluated', 'published', deadlineDay + 120]);
        const last = officeTime(rng, trail[trail.length - 1]![2]);
        rus.push([
          ruId,
          roundIds[r],
          termIds[termOf(r)],
          unitOrg[u],
          teamsOf[r]![i % teamsOf[r]!.length],
          status,
          1,
          fmt(fbDay),
          ruDeadline,
          0,
          trail.length,
          officeTime(rng, fbDay - 40),
          last,
        ]);
        for (const [from, to, day] of trail)
          events.push([
            id('round_unit_events'),
            ruId,
            from,
            to,
            1,
            to === 'awaiting_feedback' ? null : ruDeadline,
            null,
            officeId,
            'bench-office',
            officeTime(rng, day),
          ]);
        const fbAt = officeTime(rng, fbDay);
        feedbacks.push([
          id('feedbacks'),
          ruId,
          `关于巡察${unitName[u]}的反馈意见`,
          FEEDBACK_OPENING,
          fmt(fbDay),
          1,
          fbAt,
          fbAt,
        ]);

        // problems of this round-unit, numbered by section (one per category)
        let left = perRoundUnit[k++]!;
        const sizes: number[] = [];
        while (left > 0) {
          const s = Math.min(left, rng.int(1, 7));
          sizes.push(s);
          left -= s;
        }
        const ruMeasures: RuMeasure[] = [];
        const cats = sizes
          .map(() => rng.weighted(CATEGORIES, CATEGORY_WEIGHTS))
          .sort((a, b) => CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));
        let section = 0;
        let inSection = 0;
        let prev: string | null = null;
        sizes.forEach((size, p) => {
          const category = cats[p]!;
          if (category !== prev) {
            section++;
            inSection = 0;
            prev = category;
          }
          inSection++;
          const problemId = id('problems');
          const seq = p + 1;
          const number = `${cnNumber(Math.min(section, 99))}、${inSection}.`;
          const leader = personName(rng);
          let done = 0;
          for (let m = 0; m < size; m++) {
            const row = measureRow(rng, {
              problemId,
              ruId,
              roundId: roundIds[r]!,
              termId: termIds[termOf(r)]!,
              unitOrgId: unitOrg[u]!,
              category,
              seq: m + 1,
              fbDay,
              ruDeadlineDay: deadlineDay,
              today,
              now,
              ruClosed: status === 'published' || status === 'evaluated',
              ownerUserId: unitUser[u]!,
              id: id('measures'),
            });
            measures.push(row.row);
            ruMeasures.push({ row: row.row, completedDay: row.completedDay, problemNumber: number });
            if (row.done) done++;
            if (row.extension) {
              const e = row.extension;
              extensions.push([
                id('deadline_extensions'),
                row.row[0],
                unitOrg[u],
                e.previous,
                e.requested,
                '整改涉及多个部门协调，需延长完成时限',
                'approved',
                unitUser[u],
                e.requestedAt,
                officeId,
                e.decidedAt,
                '同意延期',
                2,
                e.requestedAt,
                e.decidedAt,
              ]);
            }
          }
          problems.push([
            problemId,
            ruId,
            roundIds[r],
            termIds[termOf(r)],
            unitOrg[u],
            campaignFor(category, unitDept[u]!),
            seq,
            number,
            category,
            problemDescription(rng, category, year),
            rng.weighted(
              ['feedback', 'immediate', 'complaint', 'lookback'],
              [85, 7, 3, roundType(r) === 'lookback' ? 10 : 0],
            ),
            rng.weighted(['high', 'medium', 'low'], [20, 55, 25]),
            `${leader}（${rng.pick(LEADER_POSTS)}）`,
            rng.pick(DEPARTMENT_NAMES),
            personName(rng),
            size,
            done,
            1,
            fbAt,
            fbAt,
          ]);
          responsibles.push([id('problem_responsibles'), problemId, leader, rng.pick(LEADER_POSTS), 'first', null]);
          for (let s = rng.int(0, 2); s > 0; s--)
            responsibles.push([id('problem_responsibles'), problemId, personName(rng), '班子成员', 'shared', null]);
        });

        // 整改进展报告 at the period's end, once it has ended: submitted, signed off by the unit head.
        if (past >= 0) {
          const reportId = id('progress_reports');
          let day = rng.chance(0.1) ? deadlineDay + rng.int(1, 20) : deadlineDay - rng.int(0, 7);
          day = Math.min(day, today);
          const submittedAt = Math.min(now - 60_000, officeTime(rng, day));
          const sentAt = submittedAt - rng.int(1, 48) * 3_600_000;
          const createdAt = sentAt - rng.int(3, 20) * DAY_MS;
          const late = shanghaiDate(submittedAt) > ruDeadline ? 1 : 0;
          const reportDay = dayOf(shanghaiDate(submittedAt));
          reports.push([
            reportId,
            ruId,
            roundIds[r],
            termIds[termOf(r)],
            unitOrg[u],
            1,
            'period_end',
            ruDeadline,
            'submitted',
            1,
            REPORT_SUMMARY,
            late,
            unitUser[u],
            sentAt,
            headUser[u],
            submittedAt,
            null,
            null,
            null,
            3, // created, its items filled, sent, signed off
            createdAt,
            submittedAt,
          ]);
          const snapshot: unknown[] = [];
          for (const x of ruMeasures) {
            const m = x.row;
            const status = m[10] as MeasureStatus;
            const reported =
              x.completedDay !== null && x.completedDay <= reportDay
                ? 'completed'
                : status === 'not_started'
                  ? 'not_started'
                  : 'in_progress';
            const narrative = rng.pick(PROGRESS_NARRATIVES[reported]);
            items.push([id('progress_report_items'), reportId, m[0], reported, narrative, '[]', sentAt - 3_600_000]);
            snapshot.push({
              measureId: m[0],
              problemId: m[1],
              problemNumber: x.problemNumber,
              seq: m[7],
              content: m[8],
              type: m[9],
              categoryCode: m[6],
              reportedStatus: reported,
              narrative,
              files: [],
            });
            // Signing off records progress on every reported measure.
            if ((m[23] as number | null) === null || (m[23] as number) < submittedAt) m[23] = submittedAt;
            if ((m[26] as number) < submittedAt) m[26] = submittedAt;
          }
          versions.push([
            id('progress_report_versions'),
            reportId,
            1,
            JSON.stringify({ summary: REPORT_SUMMARY, items: snapshot }),
            late,
            unitUser[u],
            headUser[u],
            submittedAt,
          ]);
        }

        // 对账销号: an approved closure (verified by the office) for every closed measure, a pending
        // application for every measure whose closure is requested; re-checks after closure.
        for (const x of ruMeasures) {
          const m = x.row;
          const status = m[10] as MeasureStatus;
          if (status !== 'closed' && status !== 'closure_requested') continue;
          const closureId = id('closures');
          const appliedDay = Math.min(today, x.completedDay! + rng.int(1, 15));
          const appliedAt = Math.min(now - 3 * 3_600_000, officeTime(rng, appliedDay));
          const summary = rng.pick(CLOSURE_SUMMARIES);
          if (status === 'closure_requested') {
            closures.push([
              closureId,
              m[0],
              m[1],
              ruId,
              unitOrg[u],
              m[6],
              'pending',
              summary,
              '[]',
              unitUser[u],
              appliedAt,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              1,
              appliedAt,
              appliedAt,
            ]);
            if ((m[23] as number) < appliedAt) m[23] = appliedAt;
            if ((m[26] as number) < appliedAt) m[26] = appliedAt;
            continue;
          }
          const decidedAt = Math.min(
            now - 60_000,
            Math.max(appliedAt + 2 * 3_600_000, officeTime(rng, Math.min(today, appliedDay + rng.int(3, 20)))),
          );
          const verifiedAt = appliedAt + Math.floor((decidedAt - appliedAt) / 2);
          closures.push([
            closureId,
            m[0],
            m[1],
            ruId,
            unitOrg[u],
            m[6],
            'approved',
            summary,
            '[]',
            unitUser[u],
            appliedAt,
            officeId,
            decidedAt,
            null,
            null,
            null,
            null,
            null,
            3, // applied, verified, decided
            appliedAt,
            decidedAt,
          ]);
          verifications.push([
            id('closure_verifications'),
            closureId,
            officeId,
            'office',
            officeOrg,
            'agree',
            CLOSURE_VERIFY_NOTE,
            verifiedAt,
          ]);
          if ((m[23] as number) < decidedAt) m[23] = decidedAt;
          if ((m[26] as number) < decidedAt) m[26] = decidedAt;
          if (!needsRecheck({ type: m[9] as string, rulesEstablished: m[18] as number })) continue;
          for (const rc of recheckDates(shanghaiDate(decidedAt), RECHECK_MONTHS)) {
            const dueDay = dayOf(rc.dueDate);
            const passed = dueDay < today;
            const doneAt = passed
              ? Math.min(now - 60_000, officeTime(rng, Math.min(today, dueDay + rng.int(0, 14))))
              : null;
            rechecks.push([
              id('rechecks'),
              m[0],
              closureId,
              ruId,
              unitOrg[u],
              m[6],
              rc.monthsAfter,
              rc.dueDate,
              passed ? 'passed' : 'pending',
              passed ? RECHECK_PASSED_NOTE : null,
              passed ? officeId : null,
              doneAt,
              passed ? 2 : 1,
              decidedAt,
              doneAt ?? decidedAt,
            ]);
          }
        }
      });
      await put('round_units', rus);
      await put('round_unit_events', events);
      await put('feedbacks', feedbacks);
      await put('problems', problems);
      await put('problem_responsibles', responsibles);
      await put('measures', measures);
      await put('deadline_extensions', extensions);
      await put('progress_reports', reports);
      await put('progress_report_items', items);
      await put('progress_report_versions', versions);
      await put('closures', closures);
      await put('closure_verifications', verifications);
      await put('rechecks', rechecks);
      sinceCommit += measures.length;
      if (sinceCommit >= COMMIT_EVERY || r === R - 1) {
        await w.commit();
        await w.begin();
        log(`  … ${(counts.measures ?? 0).toLocaleString('en')} measures`);
        sinceCommit = 0;
      }
    }
    phase('round-units, problems, responsibles, measures, reports, closures');

    // --- audit history on the real chain ------------------------------------------------------
    if (opts.auditRows > 0) {
      // On a SQLite file the inserts go to a worker thread while this one builds and hashes the chain.
      await w.commit();
      const worker = ctx.sqlite ? await SqliteWorkerWriter.open(ctx.sqlite.name, ctx.sqlite.memory) : null;
      const aw = worker ?? w;
      await aw.begin();
      await writeAuditHistory(aw, ctx, opts.auditRows, rng, {
        from: now - (R * ROUND_GAP_DAYS + 100) * DAY_MS,
        to: now - 3_600_000,
        users: [
          ...Object.entries(benchIds).map(([n, i]) => [i, n] as const),
          ...unitUser.slice(0, 2000).map((i, u) => [i, unitUsername(u)] as const),
        ],
        measureIds: [next.measures - M, next.measures - 1],
        log,
        count: (n) => {
          counts.audit_log = (counts.audit_log ?? 0) + n;
        },
      });
      await aw.commit();
      if (worker) {
        await worker.close();
        w.rows += worker.rows;
      }
      await w.begin();
      phase('audit history');
    }

    if (ctx.dialect === 'postgres') {
      // Identity sequences do not see explicit ids; the planner needs statistics after a bulk load.
      for (const t of ID_TABLES)
        await w.exec(
          `SELECT setval(pg_get_serial_sequence('${t}', 'id'), m) FROM (SELECT max(id) AS m FROM ${t}) x WHERE m IS NOT NULL`,
        );
      await w.exec(
        `SELECT setval('audit_log_seq', m) FROM (SELECT max(seq) AS m FROM audit_log) x WHERE m IS NOT NULL`,
      );
    }
    await w.commit();

    return {
      latestTermId: termIds[T - 1]!,
      latestRoundId: roundIds[R - 1]!,
      benchUnitOrgId: unitOrg[benchUnit]!,
      benchSupervisorOrgId: disciplineOffices[0]!,
      openRoundUnitId,
    };
  };

  let refs: GenerateResult['refs'];
  const sqlite = ctx.sqlite;
  const restore: [string, unknown][] = [];
  if (sqlite) {
    // A bulk load: no fsync per commit and a larger page cache while the indexes grow.
    restore.push(['synchronous', sqlite.pragma('synchronous', { simple: true })]);
    restore.push(['cache_size', sqlite.pragma('cache_size', { simple: true })]);
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -2097152');
  }
  try {
    const load = async (w: BulkWriter) => {
      await w.begin();
      try {
        const out = await run(w);
        written = w.rows;
        return out;
      } catch (e) {
        await w.rollback();
        throw e;
      }
    };
    refs =
      ctx.dialect === 'sqlite'
        ? await load(new SqliteBulkWriter(ctx.sqlite!))
        : await db.connection().execute(async (conn) => {
            // Like pg_restore --disable-triggers: the foreign keys are right by construction, and their
            // per-row triggers cost more than the inserts. Only a superuser may; others keep the checks.
            const replica = await sql`SET session_replication_role = replica`.execute(conn).then(
              () => true,
              () => false,
            );
            try {
              return await load(new PostgresBulkWriter(conn));
            } finally {
              if (replica) await sql`RESET session_replication_role`.execute(conn);
            }
          });

    // The dashboard counters, rebuilt once by the ledger's own code, and the run in the audit trail.
    const before = performance.now();
    await db.transaction().execute(async (trx) => {
      await new SummaryRepository().recount(trx, null);
      await ctx.audit.record(trx, opts.actor ?? { actorId: null, actorName: 'system', ip: null, requestId: null }, {
        action: 'data.generate',
        entity: 'dataset',
        after: { units: U, measures: M, rounds: R, terms: T, auditRows: opts.auditRows, seed: opts.seed, counts },
      });
    });
    const summaries = await db
      .selectFrom('ledgerSummaries')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    counts.ledger_summaries = Number(summaries.n);
    // PostgreSQL after a bulk load: statistics for the planner and the visibility map for index-only
    // scans, as autovacuum would leave them once it has been round.
    if (ctx.dialect === 'postgres') await sql`VACUUM ANALYZE`.execute(db);
    const ms = Math.round(performance.now() - before);
    phases.push({ name: 'summary counters', ms, rows: counts.ledger_summaries });
    log(`  summary counters: ${counts.ledger_summaries.toLocaleString('en')} rows in ${(ms / 1000).toFixed(1)} s`);
    if (sqlite) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    if (sqlite) for (const [k, v] of restore) sqlite.pragma(`${k} = ${v}`);
  }

  const elapsedMs = Math.round(performance.now() - started);
  const rows = written + (counts.ledger_summaries ?? 0);
  return {
    counts,
    rows,
    elapsedMs,
    rowsPerSecond: Math.round(rows / Math.max(elapsedMs / 1000, 0.001)),
    phases,
    accounts,
    refs: refs!,
  };
}

/** A measure of the round-unit being made, kept until its report and closures are written. */
interface RuMeasure {
  row: unknown[];
  completedDay: number | null;
  problemNumber: string;
}

/** The re-check intervals after closure (the system.rectification default: 6 and 12 months). */
const RECHECK_MONTHS = [6, 12] as const;

interface MeasureInput {
  id: number;
  problemId: number;
  ruId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  category: CategoryCode;
  seq: number;
  fbDay: number;
  ruDeadlineDay: number;
  today: number;
  now: number;
  ruClosed: boolean;
  ownerUserId: number;
}

const MONEY_CATEGORIES = new Set<CategoryCode>([
  'financial_management',
  'eight_point_rules',
  'engineering_projects',
  'civil_air_defence',
]);

/**
 * One measure: type and deadline, a status skewed by how long ago its deadline passed (old rounds
 * nearly all done, the current one mostly open), an approved extension for a few of the open ones,
 * outcome figures for some, and the times that go with all of it.
 */
function measureRow(rng: GenRandom, m: MeasureInput) {
  const type: MeasureType = rng.weighted(['immediate', 'deadline', 'long_term'] as const, [20, 65, 15]);
  const deadlineDay =
    type === 'immediate'
      ? m.fbDay + rng.int(15, 30)
      : type === 'long_term'
        ? m.fbDay + 365
        : m.ruDeadlineDay - rng.int(0, 45);
  const age = m.today - deadlineDay;
  const pDone = age > 365 ? 0.985 : age > 0 ? 0.9 : age > -60 ? 0.55 : 0.25;
  const done = rng.chance(pDone);
  let status: MeasureStatus;
  if (done) {
    status = m.ruClosed
      ? rng.chance(0.85)
        ? 'closed'
        : 'completed'
      : rng.weighted(['closed', 'completed', 'closure_requested'] as const, [30, 60, 10]);
  } else status = age > -60 || rng.chance(0.7) ? 'in_progress' : 'not_started';
  let extended: number | null = null;
  let extension: { previous: string; requested: string; requestedAt: number; decidedAt: number } | null = null;
  if ((!done && rng.chance(0.15)) || (done && rng.chance(0.02))) {
    extended = deadlineDay + rng.int(60, 120);
    const requestedAt = officeTime(rng, Math.min(m.today - 1, deadlineDay - rng.int(3, 20)));
    extension = {
      previous: fmt(deadlineDay),
      requested: fmt(extended),
      requestedAt,
      decidedAt: Math.min(m.now - 60_000, requestedAt + rng.int(1, 5) * DAY_MS),
    };
  }
  const effective = extended ?? deadlineDay;
  let completedOn: string | null = null;
  let completedDay: number | null = null;
  let lastProgressAt: number | null = null;
  if (isDone(status)) {
    const late = rng.chance(0.1) ? rng.int(1, 60) : 0;
    const day = Math.min(m.today, Math.max(m.fbDay + 1, effective - rng.int(0, 60) + late));
    completedOn = fmt(day);
    completedDay = day;
    lastProgressAt = Math.min(m.now - 60_000, officeTime(rng, day));
  } else if (status === 'in_progress') {
    lastProgressAt = Math.min(m.now - 60_000, officeTime(rng, rng.int(m.fbDay, m.today)));
  }
  const money = MONEY_CATEGORIES.has(m.category);
  const funds = rng.chance(money ? 0.15 : 0.02) ? rng.logUniform(100_000, 500_000_000) : 0;
  const losses = rng.chance(money ? 0.08 : 0.01) ? rng.logUniform(100_000, 300_000_000) : 0;
  const createdAt = officeTime(rng, m.fbDay);
  const version = 1 + (isDone(status) ? 2 : status === 'in_progress' ? 1 : 0) + (extension ? 1 : 0);
  const row = [
    m.id,
    m.problemId,
    m.ruId,
    m.roundId,
    m.termId,
    m.unitOrgId,
    m.category,
    m.seq,
    measureContent(rng, m.category),
    type,
    status,
    isDone(status) ? 1 : 0,
    fmt(deadlineDay),
    extended === null ? null : fmt(extended),
    fmt(effective),
    personName(rng),
    rng.chance(0.1) ? m.ownerUserId : null,
    completedOn,
    rng.chance(isDone(status) ? 0.2 : 0.03) ? rng.int(1, 3) : 0,
    funds,
    losses,
    rng.chance(0.03) ? rng.int(1, 4) : 0,
    rng.chance(0.008) ? rng.int(1, 2) : 0,
    lastProgressAt,
    version,
    createdAt,
    Math.max(createdAt, lastProgressAt ?? createdAt, extension?.decidedAt ?? 0),
  ];
  return { row, done: isDone(status), extension, completedDay };
}

const AUDIT_ACTIONS = [
  ['auth.login', 'user', 25],
  ['auth.logout', 'user', 8],
  ['auth.login.failed', 'user', 3],
  ['ledger.measure.status', 'measure', 30],
  ['ledger.measure.update', 'measure', 15],
  ['ledger.problem.update', 'problem', 6],
  ['export.ledger', 'ledger', 3],
  ['file.download', 'file', 5],
  ['ledger.import', 'round_unit', 1],
  ['round.unit.transition', 'round_unit', 4],
] as const;

/**
 * A long audit history on chain 1 of the chains the application writes: each row hashed with rowHash
 * after the one before it, the head (seq, hash, MAC) moved at every commit, so `audit-verify`
 * passes at any point and the application appends after it as usual.
 */
async function writeAuditHistory(
  w: BulkWriter,
  ctx: GenerateContext,
  n: number,
  rng: GenRandom,
  o: {
    from: number;
    to: number;
    users: (readonly [number, string])[];
    measureIds: [number, number];
    log: (line: string) => void;
    count: (n: number) => void;
  },
) {
  const key = ctx.audit.chainKey;
  // Chain 1, after its head; the seqs after the log's last row (on PostgreSQL other chains may be ahead).
  const head = await ctx.audit.repo.head(ctx.db);
  let seq = await ctx.audit.repo.lastSeq(ctx.db);
  let prev = head?.hash ?? GENESIS_HASH;
  const step = (o.to - o.from) / n;
  const actions = AUDIT_ACTIONS.map((a) => a);
  const weights = AUDIT_ACTIONS.map((a) => a[2]);
  const statuses = ['not_started', 'in_progress', 'completed'];
  for (let done = 0; done < n; ) {
    const rows: unknown[][] = [];
    const size = Math.min(AUDIT_CHUNK, n - done);
    for (let i = 0; i < size; i++) {
      seq++;
      const [action, entity] = rng.weighted(actions, weights);
      const [actorId, actorName] = rng.pick(o.users);
      let entityId: string | null = null;
      let before: string | null = null;
      let after: string | null = null;
      if (entity === 'measure') {
        entityId = String(rng.int(o.measureIds[0], o.measureIds[1]));
        const v = rng.int(1, 5);
        const from = rng.pick(statuses);
        before = JSON.stringify({ status: from, version: v });
        after = JSON.stringify({
          status: from === 'completed' ? 'in_progress' : 'completed',
          version: v + 1,
          note: null,
        });
      } else if (entity === 'user') entityId = String(actorId);
      else if (entity === 'ledger') after = JSON.stringify({ filter: { termId: 1 } });
      else entityId = String(rng.int(1, 5000));
      const base: Unhashed = {
        seq,
        at: Math.round(o.from + (done + i) * step),
        actorId,
        actorName,
        ip: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        requestId: rng.token(12),
        action,
        entity,
        entityId,
        before,
        after,
        result: action === 'auth.login.failed' ? 'denied' : 'ok',
      };
      const hash = rowHash(key, prev, base);
      rows.push([
        base.seq,
        base.at,
        base.actorId,
        base.actorName,
        base.ip,
        base.requestId,
        base.action,
        base.entity,
        base.entityId,
        base.before,
        base.after,
        base.result,
        prev,
        hash,
      ]);
      prev = hash;
    }
    await w.insert('audit_log', COLUMNS.audit_log, rows);
    o.count(rows.length);
    done += size;
    await w.exec(
      `UPDATE audit_head SET seq = ${seq}, hash = '${prev}', mac = '${headMac(key, seq, prev)}' WHERE id = 1`,
    );
    if (done % 1_000_000 === 0 || done === n) {
      await w.commit();
      await w.begin();
      o.log(`  … ${done.toLocaleString('en')} audit rows`);
    }
  }
}

/** The first free id of every table the generator writes (ids are explicit, so rows can refer to each other). */
async function nextIds(db: Kysely<DB>): Promise<Record<Exclude<Table, 'audit_log'>, number>> {
  const parts = ID_TABLES.map((t) => sql`SELECT ${t} AS t, max(id) AS m FROM ${sql.table(t)}`);
  const rows = await sql<{ t: string; m: number | string | null }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  const out = {} as Record<Exclude<Table, 'audit_log'>, number>;
  for (const t of ID_TABLES) out[t] = 1;
  for (const r of rows.rows) out[r.t as Exclude<Table, 'audit_log'>] = Number(r.m ?? 0) + 1;
  return out;
}
