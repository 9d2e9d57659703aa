import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { Insertable } from 'kysely';
import { type DayException, rectificationDeadline, shanghaiDate } from '../../../domain/calendar.js';
import { needsRecheck, recheckDates, reportingPeriods } from '../../../domain/progress.js';
import {
  isDone,
  type MeasureStatus,
  type MeasureType,
  type RoundType,
  type RoundUnitStatus,
} from '../../../domain/rectification.js';
import type { Role } from '../../../domain/roles.js';
import type { DB } from '../db/types.js';
import { addDays, addMonths, at, daysBetween, minDate, monthEnd, weekday } from './demo-dates.js';
import {
  CITY_LEADERS,
  CODES,
  cityLeader,
  DEPARTMENTS,
  deputyPosts,
  frameOrganisations,
  inspectedUnits,
  LOOKBACK_UNITS,
  type OrgSeed,
  ROOT_CODE,
  stationedGroup,
  supervisionOffice,
  type UnitSeed,
} from './demo-orgs.js';
import { allocate, allocateInts, Rng } from './demo-random.js';
import {
  amountText,
  CATEGORIES,
  type Category,
  closureSummary,
  cnNumber,
  DECISION_NOTES,
  DETAILS,
  dueText,
  estateProject,
  genericTemplate,
  type MeasureCtx,
  type MeasureKind,
  type MeasureTemplate,
  MONEY_MEASURES,
  type Money,
  measureTemplates,
  OFFICE_VERIFY_NOTES,
  PLACES,
  PROBLEMS,
  type ProblemTemplate,
  type ProgressTextCtx,
  personName,
  progressNarrative,
  RECHECK_NOTES,
  RULE_DOCS,
  reportSummary,
  SECTION_TITLES,
  SUPERVISOR_VERIFY_NOTES,
  type TextCtx,
  worksProject,
} from './demo-texts.js';

/**
 * The demo dataset, built in memory (pure and deterministic: one seed, no clock, no I/O) from the
 * ids the writer reserved. It reproduces the seed's headline figures of the fifth term's first ten
 * rounds exactly [§0], and the 人防 一盘棋 campaign [§3].
 */
export const DEMO_FIGURES = {
  units: 77,
  measures: 5310,
  doneMeasures: 4975,
  rulesEstablished: 2103,
  fundsReturnedFen: 14_900_000_000n, // 1.49亿元
  lossesRecoveredFen: 8_967_000_000n, // 8,967万元
  /** Not in the seed: figures chosen for the demo. */
  peopleHeldAccountable: 512,
  casesFiled: 67,
  campaignProblems: 301,
  /** 截至2020年10月，已清缴违规减免易地建设费1.43亿元 [§3]: part of the funds returned. */
  campaignFundsFen: 14_300_000_000n,
} as const;

export const DEMO_USERS: readonly { username: string; role: Role; org: string; displayName: string | null }[] = [
  { username: 'office', role: 'office', org: CODES.office, displayName: '赵文静' },
  { username: 'leader', role: 'leader', org: CODES.leadership, displayName: '陈建国' },
  { username: 'supervisor', role: 'supervisor', org: supervisionOffice(3), displayName: '周海波' },
  { username: 'unit', role: 'unit', org: CODES.supplyCoop, displayName: '普丽娟' },
  { username: 'unithead', role: 'unit_head', org: CODES.supplyCoop, displayName: null }, // the unit's 党组书记
  { username: 'discipline', role: 'discipline', org: CODES.conductOffice, displayName: '王志刚' },
  { username: 'followup', role: 'followup', org: CODES.followup, displayName: '刘晓梅' },
  { username: 'sysadmin', role: 'sysadmin', org: CODES.office, displayName: '系统管理员' },
  { username: 'secadmin', role: 'secadmin', org: CODES.office, displayName: '安全管理员' },
  { username: 'auditor', role: 'auditor', org: CODES.office, displayName: '安全审计员' },
];

/**
 * The other people of the demo's history (issue 4): each unit's 整改联络员 who fills in its progress
 * reports and applies for closure, its head who signs them off, and an officer of every supervising
 * body who verifies closures. They have no password — nobody signs in as them — and exist so that
 * every report, application and verification names the person who made it. 市供销社 and the 第三监督检查室
 * have the demo accounts (unit, unithead, supervisor) instead.
 */
export function demoStaffAccounts(): { username: string; role: Role; org: string }[] {
  const out: { username: string; role: Role; org: string }[] = [];
  for (const u of inspectedUnits()) {
    if (u.code === CODES.supplyCoop) continue;
    out.push({ username: `${u.code.toLowerCase()}-liaison`, role: 'unit', org: u.code });
    out.push({ username: `${u.code.toLowerCase()}-head`, role: 'unit_head', org: u.code });
  }
  for (const o of frameOrganisations())
    if (o.type === 'supervisor' && o.line && o.code !== supervisionOffice(3))
      out.push({ username: `${o.code.toLowerCase()}-staff`, role: 'supervisor', org: o.code });
  return out;
}

export const ID_TABLES = [
  'organisations',
  'users',
  'liaisonLinks',
  'terms',
  'rounds',
  'inspectionTeams',
  'teamMembers',
  'roundUnits',
  'roundUnitEvents',
  'briefings',
  'feedbacks',
  'feedbackCopies',
  'talkReports',
  'campaigns',
  'problems',
  'problemResponsibles',
  'measures',
  'immediateItems',
  'deadlineExtensions',
  'evidenceFiles',
  'measureEvidence',
  'progressReports',
  'progressReportItems',
  'progressReportVersions',
  'closures',
  'closureVerifications',
  'rechecks',
] as const;
export type IdTable = (typeof ID_TABLES)[number];

export interface RoundUnitEventRow {
  id: number;
  roundUnitId: number;
  fromStatus: string | null;
  toStatus: string;
  cycle: number;
  deadline: string | null;
  reason: string | null;
  actorId: number | null;
  actorName: string | null;
  at: number;
}

type Row<T extends keyof DB> = Insertable<DB[T]> & { id: number };

export interface DemoDataset {
  organisations: Row<'organisations'>[];
  users: Row<'users'>[];
  liaisonLinks: Row<'liaisonLinks'>[];
  terms: Row<'terms'>[];
  rounds: Row<'rounds'>[];
  inspectionTeams: Row<'inspectionTeams'>[];
  teamMembers: Row<'teamMembers'>[];
  roundUnits: Row<'roundUnits'>[];
  roundUnitEvents: RoundUnitEventRow[];
  briefings: Row<'briefings'>[];
  feedbacks: Row<'feedbacks'>[];
  feedbackCopies: Row<'feedbackCopies'>[];
  talkReports: Row<'talkReports'>[];
  campaigns: Row<'campaigns'>[];
  problems: Row<'problems'>[];
  problemResponsibles: Row<'problemResponsibles'>[];
  measures: Row<'measures'>[];
  immediateItems: Row<'immediateItems'>[];
  deadlineExtensions: Row<'deadlineExtensions'>[];
  evidenceFiles: Row<'evidenceFiles'>[];
  measureEvidence: Row<'measureEvidence'>[];
  progressReports: Row<'progressReports'>[];
  progressReportItems: Row<'progressReportItems'>[];
  progressReportVersions: Row<'progressReportVersions'>[];
  closures: Row<'closures'>[];
  closureVerifications: Row<'closureVerifications'>[];
  rechecks: Row<'rechecks'>[];
  /** The bytes of the evidence files, to be written to the file store under their SM3 digest. */
  blobs: { sm3: string; bytes: Buffer }[];
  termId: number;
  campaignId: number;
  /** Demo users that already existed and were left as they were. */
  keptUsers: string[];
}

export interface BuildInput {
  /** Organisations that exist already, by code (found, not made again). */
  orgIds: ReadonlyMap<string, number>;
  /** Users that exist already, by username (left alone). */
  userIds: ReadonlyMap<string, number>;
  /** The first free id of each table. */
  nextIds: Record<IdTable, number>;
  now: number;
}

interface RoundDef {
  number: number;
  type: RoundType;
  name: string;
  start: string;
  end: string;
  teams: number;
  notes: string | null;
}

const ROUNDS: RoundDef[] = [
  {
    number: 1,
    type: 'regular',
    name: '五届市委第一轮巡察',
    start: '2017-03-13',
    end: '2017-05-12',
    teams: 3,
    notes: null,
  },
  {
    number: 2,
    type: 'regular',
    name: '五届市委第二轮巡察',
    start: '2017-08-21',
    end: '2017-10-20',
    teams: 3,
    notes: null,
  },
  {
    number: 3,
    type: 'regular',
    name: '五届市委第三轮巡察',
    start: '2018-03-12',
    end: '2018-05-11',
    teams: 3,
    notes: null,
  },
  {
    number: 4,
    type: 'special',
    name: '五届市委第四轮巡察（脱贫攻坚专项巡察）',
    start: '2018-08-27',
    end: '2018-10-26',
    teams: 3,
    notes: '聚焦脱贫攻坚政治责任、工作作风和扶贫领域腐败问题开展专项巡察。',
  },
  {
    number: 5,
    type: 'mobile',
    name: '五届市委第五轮巡察（全市人防系统机动巡察）',
    start: '2019-03-18',
    end: '2019-05-17',
    teams: 4,
    notes:
      '市县联动对全市人防系统开展机动巡察，发现人防工程建设项目应收未收、违规减免、应缴未缴易地建设费等问题301个，按“一盘棋”统筹推进整改。',
  },
  {
    number: 6,
    type: 'regular',
    name: '五届市委第六轮巡察',
    start: '2019-08-26',
    end: '2019-10-25',
    teams: 3,
    notes: null,
  },
  {
    number: 7,
    type: 'regular',
    name: '五届市委第七轮巡察',
    start: '2020-04-13',
    end: '2020-06-12',
    teams: 3,
    notes: null,
  },
  {
    number: 8,
    type: 'lookback',
    name: '五届市委第八轮巡察（巡察“回头看”）',
    start: '2020-08-24',
    end: '2020-10-23',
    teams: 2,
    notes: '对前两轮巡察的6家单位开展“回头看”，重点检查巡察反馈问题整改落实情况。',
  },
  {
    number: 9,
    type: 'regular',
    name: '五届市委第九轮巡察',
    start: '2020-11-02',
    end: '2020-12-31',
    teams: 3,
    notes: null,
  },
  {
    number: 10,
    type: 'regular',
    name: '五届市委第十轮巡察',
    start: '2021-03-22',
    end: '2021-05-21',
    teams: 4,
    notes: '现场巡察期间督促11家被巡察党组织自我揭短亮丑，分2期公开36个违反中央八项规定精神及形式主义、官僚主义问题。',
  },
];

/** The province's 机动巡视 whose rectification the city supervises [§6]: outside the ten rounds. */
const HIGHER: RoundDef = {
  number: 11,
  type: 'higher_inspection',
  name: '省委“三湖”保护治理机动巡视（整改监督）',
  start: '2019-11-04',
  end: '2019-12-06',
  teams: 0,
  notes: '省委巡视，市委负责督促整改，不计入五届市委前十轮巡察统计。反馈问题待各地对照反馈意见建立问题清单。',
};
/** The city bodies whose duties the province's 三湖 findings concern (already among the 77). */
const HIGHER_UNITS: [string, string[]][] = [
  [
    '市抚仙湖管理局',
    [
      '抚仙湖径流区“两违”整治不彻底，部分违法违规建筑拆除后复建。',
      '湖滨缓冲带生态修复项目建设滞后，“退房、退田、退人”任务未按期完成。',
      '抚仙湖保护执法监管不严，对违规捕捞、违规排污问题查处不及时。',
    ],
  ],
  [
    '市生态环境局',
    ['“三湖”入湖污染负荷削减不力，杞麓湖水质持续为劣Ⅴ类。', '入湖河道水质监测和考核问责不到位，部分断面数据失真。'],
  ],
  ['市水利局', ['入湖河道综合整治推进缓慢，部分河道水质未达到考核目标。', '星云湖、杞麓湖补水工程前期工作滞后。']],
];

/**
 * Deadlines are counted as the rounds module counts them (feedback + 3 months onto a working day);
 * the working calendar holds no exceptions for 2017–2021, so only weekends move a date.
 */
const NO_EXCEPTIONS = new Map<string, DayException>();

const TYPE_WORD: Record<RoundType, string> = {
  regular: '常规',
  special: '专项',
  mobile: '机动',
  elevated: '提级',
  lookback: '“回头看”',
  higher_inspection: '机动',
};

interface Person {
  name: string;
  post: string;
}
interface UnitPeople {
  secretary: Person;
  deputies: Person[];
  heads: Map<string, Person>;
  departments: readonly string[];
}
interface Plan {
  unit: UnitSeed;
  orgId: number;
  round: RoundDef;
  roundId: number;
  roundUnitId: number;
  teamIndex: number;
  feedback: string;
  deadline: string; // the current cycle's deadline
  firstDeadline: string;
  status: RoundUnitStatus;
  cycle: number;
  evaluatedOn: string | null;
  people: UnitPeople;
  openWeight: number;
  closedShare: number;
  problems: PProblem[];
}
interface PMeasure {
  type: MeasureType;
  lead: string; // who leads it, as a ledger writes it before the measure
  tpl: MeasureTemplate;
  kind: MeasureKind;
  doc: string;
  open: boolean;
  status: MeasureStatus;
  deadline: string;
  extended: string | null;
  completedOn: string | null;
  rules: number;
  amount: bigint;
  people: number;
  cases: number;
  id: number;
  owner: Person;
  ownerUserId: number | null;
}
interface PProblem {
  plan: Plan;
  category: Category;
  tpl: ProblemTemplate;
  money: Money | undefined;
  campaign: boolean;
  ctx: TextCtx;
  measures: PMeasure[];
  severity: string;
  leader: Person;
  shared: Person[];
  dept: string;
  id: number;
  ordinal: number;
  source: string;
  detail: ((c: TextCtx) => string) | null;
  lookback: boolean; // a 回头看 finding: the last round's problem is back or was never fixed
}

export function buildDemo(input: BuildInput): DemoDataset {
  const rng = new Rng(0x5e7a_2021);
  const ids = { ...input.nextIds };
  const next = (t: IdTable) => ids[t]++;
  const now = input.now;
  const ds: DemoDataset = {
    organisations: [],
    users: [],
    liaisonLinks: [],
    terms: [],
    rounds: [],
    inspectionTeams: [],
    teamMembers: [],
    roundUnits: [],
    roundUnitEvents: [],
    briefings: [],
    feedbacks: [],
    feedbackCopies: [],
    talkReports: [],
    campaigns: [],
    problems: [],
    problemResponsibles: [],
    measures: [],
    immediateItems: [],
    deadlineExtensions: [],
    evidenceFiles: [],
    measureEvidence: [],
    progressReports: [],
    progressReportItems: [],
    progressReportVersions: [],
    closures: [],
    closureVerifications: [],
    rechecks: [],
    blobs: [],
    termId: 0,
    campaignId: 0,
    keptUsers: [],
  };

  // ── organisations: found by code, or made ────────────────────────────────────────────────────
  const orgIds = new Map(input.orgIds);
  const sortOf = new Map<string, number>();
  const ensureOrg = (o: OrgSeed) => {
    const found = orgIds.get(o.code);
    if (found) return found;
    const parent = o.code === ROOT_CODE ? null : (o.parent ?? ROOT_CODE);
    const sort = (sortOf.get(parent ?? '') ?? 0) + 10;
    sortOf.set(parent ?? '', sort);
    const id = next('organisations');
    orgIds.set(o.code, id);
    ds.organisations.push({
      id,
      parentId: parent ? orgIds.get(parent)! : null,
      code: o.code,
      name: o.name,
      shortName: o.shortName,
      type: o.type,
      supervisorLine: o.line ?? null,
      sort,
      active: 1,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  };
  ensureOrg({ code: ROOT_CODE, name: '中共玉溪市委员会', shortName: '市委', type: 'party_committee', parent: null });
  const frame = frameOrganisations();
  for (const o of frame) ensureOrg(o);
  const units = inspectedUnits();
  for (const u of units) ensureOrg(u);
  const org = (code: string) => orgIds.get(code)!;
  const unitByShort = new Map(units.map((u) => [u.shortName!, u]));

  // ── the people of each unit (names are generated, not real) ─────────────────────────────────
  const peopleOf = new Map<string, UnitPeople>();
  for (const u of units) {
    const departments = DEPARTMENTS[u.kind];
    const deputies = rng
      .shuffle(deputyPosts(u))
      .slice(0, rng.int(2, Math.min(4, deputyPosts(u).length)))
      .map((post) => ({ name: personName(rng), post }));
    const heads = new Map<string, Person>();
    for (const d of departments) {
      const post = /室|部|局|庭|处/.test(d.slice(-1)) ? '主任' : d.endsWith('党委') ? '专职副书记' : '科长';
      heads.set(d, { name: personName(rng), post: `${d}${d.endsWith('部') ? '部长' : post}` });
    }
    peopleOf.set(u.code, {
      secretary: { name: personName(rng), post: u.secretaryPost },
      deputies,
      heads,
      departments,
    });
  }

  // ── users ────────────────────────────────────────────────────────────────────────────────────
  const userIds = new Map<string, number>();
  for (const u of DEMO_USERS) {
    const existing = input.userIds.get(u.username);
    if (existing) {
      userIds.set(u.username, existing);
      ds.keptUsers.push(u.username);
      continue;
    }
    const id = next('users');
    userIds.set(u.username, id);
    ds.users.push({
      id,
      username: u.username,
      displayName: u.displayName ?? peopleOf.get(CODES.supplyCoop)!.secretary.name,
      orgId: org(u.org),
      role: u.role,
      email: null,
      phone: null,
      passwordHash: '',
      passwordChangedAt: now,
      mustChangePassword: 0,
      totpSecret: null,
      totpEnabled: 0,
      disabled: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  const officeUser = userIds.get('office')!;
  const leaderUser = userIds.get('leader')!;
  const unitUser = userIds.get('unit')!;
  const unitHeadUser = userIds.get('unithead')!;
  const officeName = DEMO_USERS[0]!.displayName;

  // ── liaison links: each unit 2–4 supervisors; 组织部 and 宣传部 follow their own line only ──────
  const links = new Map<string, { code: string; categories: string | null }[]>();
  for (const u of units) {
    const l: { code: string; categories: string | null }[] = [{ code: supervisionOffice(u.office), categories: null }];
    if (u.stationed) l.push({ code: stationedGroup(u.stationed), categories: null });
    if (u.industry) {
      const cats = u.industry === CODES.housing ? 'civil_air_defence,engineering_projects' : null;
      l.push({ code: u.industry, categories: cats });
    }
    if (l.length < 4 && u.kind !== 'civil_defence')
      l.push({ code: CODES.organisation, categories: 'personnel_selection' });
    if (l.length < 4 && (['inst', 'mass', 'party', 'county_dept'].includes(u.kind) || rng.chance(0.3)))
      l.push({ code: CODES.propaganda, categories: 'ideology' });
    if (l.length < 4 && (u.kind === 'soe' || rng.chance(0.25)))
      l.push({ code: CODES.audit, categories: 'financial_management' });
    if (l.length < 4 && (u.kind === 'civil_defence' || rng.chance(0.3)))
      l.push({ code: cityLeader(u.leader), categories: null });
    if (l.length < 2) l.push({ code: cityLeader(u.leader), categories: null });
    links.set(u.code, l);
    for (const x of l) {
      ds.liaisonLinks.push({
        id: next('liaisonLinks'),
        unitOrgId: org(u.code),
        supervisorOrgId: org(x.code),
        categories: x.categories,
        createdAt: now,
      });
    }
  }

  // ── term and rounds ──────────────────────────────────────────────────────────────────────────
  const termId = next('terms');
  ds.termId = termId;
  ds.terms.push({
    id: termId,
    number: 5,
    name: '五届市委',
    startDate: '2016-09-24',
    endDate: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const roundIds = new Map<number, number>();
  for (const r of [...ROUNDS, HIGHER]) {
    const id = next('rounds');
    roundIds.set(r.number, id);
    ds.rounds.push({
      id,
      termId,
      number: r.number,
      name: r.name,
      type: r.type,
      onSiteStart: r.start,
      onSiteEnd: r.end,
      notes: r.notes,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }

  // ── teams and members (巡察人员选派: 纪委监委、组织部、审计 …) ──────────────────────────────
  const teamIds = new Map<number, number[]>();
  for (const r of ROUNDS) {
    const list: number[] = [];
    for (let t = 1; t <= r.teams; t++) {
      const id = next('inspectionTeams');
      list.push(id);
      ds.inspectionTeams.push({
        id,
        roundId: roundIds.get(r.number)!,
        name: `第${cnNumber(t)}巡察组`,
        notes: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const members: [string, string, string][] = [
        ['leader', '组长（市委巡察组组长）', CODES.office],
        ['deputy', '副组长', rng.chance(0.6) ? supervisionOffice(rng.int(1, 5)) : CODES.organisation],
        ['member', '组员', supervisionOffice(rng.int(1, 5))],
        ['member', '组员', stationedGroup(rng.int(1, 8))],
        ['member', '组员', rng.chance(0.5) ? CODES.organisation : CODES.audit],
        ['liaison', '联络员', CODES.office],
      ];
      for (const [memberRole, post, source] of members) {
        const self = r.number === 10 && t === 1 && memberRole === 'liaison';
        ds.teamMembers.push({
          id: next('teamMembers'),
          teamId: id,
          name: self && officeName ? officeName : personName(rng),
          post: source === CODES.office ? post : `${post}（从${shortOf(source)}抽调）`,
          memberRole,
          sourceOrgId: org(source),
          userId: self ? officeUser : null,
          createdAt: now,
        });
      }
    }
    teamIds.set(r.number, list);
  }

  // ── round-units ──────────────────────────────────────────────────────────────────────────────
  const plans: Plan[] = [];
  for (const r of ROUNDS) {
    const inRound =
      r.number === 8 ? LOOKBACK_UNITS.map((s) => unitByShort.get(s)!) : units.filter((u) => u.round === r.number);
    const teams = teamIds.get(r.number)!;
    const base = addDays(r.end, rng.int(38, 50));
    inRound.forEach((u, i) => {
      const feedback = weekday(addDays(base, Math.floor(i / 2) + rng.int(0, 2)));
      const firstDeadline = rectificationDeadline(feedback, NO_EXCEPTIONS);
      let status: RoundUnitStatus = 'published';
      let cycle = 1;
      let deadline = firstDeadline;
      let evaluatedOn: string | null = weekday(addDays(firstDeadline, rng.int(25, 45)));
      if (r.number === 10) {
        status = 'rectifying';
        evaluatedOn = null;
      } else if (r.number === 9) {
        status = 'evaluated';
        if (u.shortName === '市融资担保公司') {
          status = 're_rectifying';
          cycle = 2;
          deadline = rectificationDeadline(evaluatedOn, NO_EXCEPTIONS);
        }
      } else if ((r.number === 8 && i >= 4) || (r.number === 7 && i === 7)) status = 'evaluated';
      const openWeight =
        status === 'rectifying'
          ? 10
          : status === 're_rectifying'
            ? 8
            : r.number === 9
              ? 1.2
              : r.number === 8
                ? 0.4
                : 0.15;
      const closedShare =
        status === 'rectifying' ? 0.1 : status === 're_rectifying' ? 0.4 : r.number === 9 ? 0.6 : 0.92;
      plans.push({
        unit: u,
        orgId: org(u.code),
        round: r,
        roundId: roundIds.get(r.number)!,
        roundUnitId: next('roundUnits'),
        teamIndex: Math.floor((i * teams.length) / inRound.length),
        feedback,
        deadline,
        firstDeadline,
        status,
        cycle,
        evaluatedOn,
        people: peopleOf.get(u.code)!,
        openWeight,
        closedShare,
        problems: [],
      });
    });
  }

  // ── problems: the 人防 campaign first, then every unit's lists to its share of the measures ──
  const campaignId = next('campaigns');
  ds.campaignId = campaignId;
  const problemCtx = (p: Plan): TextCtx => {
    return {
      rng,
      unit: p.unit.shortName!,
      year: Number(p.round.start.slice(0, 4)) - 1,
      dept: rng.pick(p.people.departments),
      project: worksProject(rng),
      place: rng.pick(PLACES),
    };
  };
  const decks = new Map<string, number[]>();
  const fromDeck = <T>(key: string, xs: readonly T[]): T => {
    let deck = decks.get(key);
    if (!deck || deck.length === 0) {
      deck = rng.shuffle(xs.map((_, i) => i));
      decks.set(key, deck);
    }
    return xs[deck.pop()!]!;
  };
  let ordinal = 0;
  const newProblem = (p: Plan, category: Category, campaign: boolean): PProblem => {
    const tpl = fromDeck(`${p.unit.code}/${category}`, PROBLEMS[category]);
    const leader = rng.pick(p.people.deputies);
    const shared = [leader];
    if (rng.chance(0.25)) {
      const other = rng.pick(p.people.deputies);
      if (other !== leader) shared.push(other);
    }
    return {
      plan: p,
      category,
      tpl,
      money: tpl.money,
      campaign,
      ctx: problemCtx(p),
      measures: [],
      severity: '',
      leader,
      shared,
      dept: '',
      id: 0,
      ordinal: ordinal++,
      detail: !campaign && rng.chance(0.5) ? fromDeck(`${p.unit.code}/detail`, DETAILS) : null,
      lookback: p.round.type === 'lookback' && rng.chance(0.4),
      source: p.round.type === 'lookback' ? 'lookback' : 'feedback',
    };
  };
  const addMeasure = (pr: PProblem, type: MeasureType, tpl?: MeasureTemplate) => {
    const t =
      tpl ??
      fromDeck(
        `${pr.plan.unit.code}/${pr.category}/${type}/${pr.measures.length}`,
        measureTemplates(pr.category, type),
      );
    pr.measures.push({
      type,
      lead: rng.weighted([
        ['', 0.4],
        [`由${pr.leader.name}同志牵头，`, 0.25],
        [`${pr.ctx.dept}具体负责，`, 0.25],
        ['主要负责同志亲自督办，', 0.1],
      ] as const),
      tpl: t,
      kind: t.kind,
      doc: rng.pick(RULE_DOCS[pr.category]),
      open: false,
      status: 'completed',
      deadline: '',
      extended: null,
      completedOn: null,
      rules: 0,
      amount: 0n,
      people: 0,
      cases: 0,
      id: 0,
      owner: pr.leader,
      ownerUserId: null,
    });
  };
  const moneyTemplate = (pr: PProblem) => {
    const pool = MONEY_MEASURES[pr.money!][pr.category];
    return pool ? rng.pick(pool) : undefined;
  };

  let measureTotal = 0;
  for (const p of plans) {
    if (p.unit.campaignShare === undefined) continue;
    for (let k = 0; k < p.unit.campaignShare; k++) {
      const pr = newProblem(p, 'civil_air_defence', true);
      pr.ctx.project = estateProject(rng, p.unit.shortName!.replace(/人防办$/, '').replace(/^市$/, ''));
      addMeasure(pr, 'deadline', pr.money ? moneyTemplate(pr) : undefined);
      if (rng.chance(0.3)) addMeasure(pr, 'long_term');
      p.problems.push(pr);
      measureTotal += pr.measures.length;
    }
  }
  if (plans.reduce((s, p) => s + p.problems.length, 0) !== DEMO_FIGURES.campaignProblems)
    throw new Error('the 人防 campaign must hold exactly 301 problems');

  const budgets = allocateInts(
    DEMO_FIGURES.measures - measureTotal,
    plans.map(
      (p) => p.unit.size * (p.round.type === 'lookback' ? 0.55 : 1) * (p.unit.kind === 'civil_defence' ? 0.3 : 1),
    ),
    12,
  );
  plans.forEach((p, i) => {
    let left = budgets[i]!;
    const weights = categoryWeights(p.unit, p.round);
    const regular: PProblem[] = [];
    while (left > 0) {
      const category = rng.weighted(weights);
      const pr = newProblem(p, category, false);
      let m = Math.min(
        left,
        rng.weighted([
          [1, 0.2],
          [2, 0.4],
          [3, 0.28],
          [4, 0.12],
        ] as const),
      );
      let types: MeasureType[];
      if (m === 1) types = pr.money || rng.chance(0.75) ? ['deadline'] : ['immediate'];
      else if (m === 2) types = rng.chance(0.45) ? ['immediate', 'deadline'] : ['deadline', 'long_term'];
      else if (m === 3) types = ['immediate', 'deadline', 'long_term'];
      else types = ['immediate', 'deadline', 'deadline', 'long_term'];
      m = types.length;
      let moneyPlaced = false;
      for (const type of types) {
        const money = pr.money && !moneyPlaced && type === 'deadline' ? moneyTemplate(pr) : undefined;
        if (money) moneyPlaced = true;
        addMeasure(pr, type, money);
      }
      left -= m;
      regular.push(pr);
    }
    // Lists follow the feedback's order: by category, campaign items within their own part.
    p.problems = [...p.problems, ...regular].sort(
      (a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category),
    );
  });
  const allProblems = plans.flatMap((p) => p.problems);
  const allMeasures = allProblems.flatMap((pr) => pr.measures.map((m) => ({ pr, m })));
  if (allMeasures.length !== DEMO_FIGURES.measures) throw new Error(`measures: ${allMeasures.length}`);

  // ── which measures are still open (335), weighted to the latest round and to long-term items ─
  const typeFactor: Record<MeasureType, number> = { immediate: 0.12, deadline: 1, long_term: 3 };
  const openSet = rng.sampleWeighted(
    allMeasures.map(({ pr, m }) => pr.plan.openWeight * typeFactor[m.type] * (pr.campaign ? 1.5 : 1)),
    DEMO_FIGURES.measures - DEMO_FIGURES.doneMeasures,
  );
  allMeasures.forEach(({ m }, i) => {
    m.open = openSet.has(i);
  });

  // ── deadlines, statuses, dates, owners ───────────────────────────────────────────────────────
  for (const pr of allProblems) {
    const p = pr.plan;
    pr.dept = pr.ctx.dept;
    const head = p.people.heads.get(pr.dept)!;
    for (const m of pr.measures) {
      m.deadline =
        m.type === 'immediate'
          ? weekday(addDays(p.feedback, 30))
          : m.type === 'deadline'
            ? rng.chance(0.3)
              ? weekday(addMonths(p.feedback, 2))
              : p.firstDeadline
            : monthEnd(addMonths(p.feedback, 12));
      m.owner = m.type === 'long_term' ? pr.leader : head;
      if (p.unit.code === CODES.supplyCoop && rng.chance(0.4)) m.ownerUserId = unitUser;
      if (m.open) {
        m.status = p.status === 'rectifying' && rng.chance(0.25) ? 'not_started' : 'in_progress';
        if (m.type === 'long_term' && rng.chance(0.6)) m.extended = rng.pick(['2026-12-31', '2027-06-30']);
        else if (p.status === 're_rectifying' && m.type !== 'long_term') m.extended = p.deadline;
      } else {
        m.status =
          m.type === 'immediate' && p.status === 'rectifying'
            ? 'closed'
            : rng.chance(p.closedShare)
              ? 'closed'
              : 'completed';
        const from = addDays(p.feedback, m.type === 'immediate' ? 3 : m.type === 'deadline' ? 20 : 60);
        const to = m.type === 'deadline' && rng.chance(0.08) ? addDays(m.deadline, rng.int(5, 30)) : m.deadline;
        m.completedOn = weekday(addDays(from, rng.int(0, Math.max(0, daysBetween(from, to)))));
      }
    }
    pr.severity = pr.campaign
      ? pr.money
        ? 'high'
        : 'medium'
      : pr.money
        ? rng.pick(['high', 'high', 'medium'])
        : rng.weighted([
            ['high', 0.2],
            ['medium', 0.55],
            ['low', 0.25],
          ] as const);
  }

  // ── outcome figures on done measures, each total exact ───────────────────────────────────────
  const done = allMeasures.filter(({ m }) => !m.open);
  const ofKind = (kind: MeasureKind) => done.filter(({ m }) => m.kind === kind);
  const demote = (list: typeof done, keep: number) => {
    const order = rng.shuffle(list.map((_, i) => i));
    for (const i of order.slice(keep)) {
      const m = list[i]!.m;
      m.tpl = genericTemplate(m.type, rng);
      m.kind = 'general';
    }
    return order.slice(0, keep).map((i) => list[i]!);
  };
  let rulesMeasures = ofKind('rules');
  if (rulesMeasures.length > DEMO_FIGURES.rulesEstablished)
    rulesMeasures = demote(rulesMeasures, DEMO_FIGURES.rulesEstablished);
  allocateInts(
    DEMO_FIGURES.rulesEstablished,
    rulesMeasures.map(({ m }) => (m.type === 'long_term' ? 1.6 : 1) * rng.skewed(0.6)),
    1,
  ).forEach((r, i) => {
    rulesMeasures[i]!.m.rules = r;
  });

  const fundsMeasures = ofKind('funds');
  const campaignFunds = fundsMeasures.filter(({ pr }) => pr.campaign);
  const otherFunds = fundsMeasures.filter(({ pr }) => !pr.campaign);
  const lossesMeasures = ofKind('losses');
  if (!campaignFunds.length || !otherFunds.length || !lossesMeasures.length)
    throw new Error('no measure to carry the money');
  // 人防 fees in whole hundreds of 元, other refunds in whole 元, recovered losses in hundreds of 元.
  allocate(
    DEMO_FIGURES.campaignFundsFen / 10_000n,
    campaignFunds.map(() => rng.skewed(1.2)),
  ).forEach((v, i) => {
    campaignFunds[i]!.m.amount = v * 10_000n;
  });
  allocate(
    (DEMO_FIGURES.fundsReturnedFen - DEMO_FIGURES.campaignFundsFen) / 100n,
    otherFunds.map(({ pr }) => rng.skewed(1.3) * (pr.category === 'financial_management' ? 3 : 1)),
  ).forEach((v, i) => {
    otherFunds[i]!.m.amount = v * 100n;
  });
  allocate(
    DEMO_FIGURES.lossesRecoveredFen / 10_000n,
    lossesMeasures.map(() => rng.skewed(1.4)),
  ).forEach((v, i) => {
    lossesMeasures[i]!.m.amount = v * 10_000n;
  });

  let accountMeasures = ofKind('account');
  if (accountMeasures.length > DEMO_FIGURES.peopleHeldAccountable)
    accountMeasures = demote(accountMeasures, DEMO_FIGURES.peopleHeldAccountable);
  if (accountMeasures.length === 0) throw new Error('no measure to hold people accountable');
  allocateInts(
    DEMO_FIGURES.peopleHeldAccountable,
    accountMeasures.map(() => rng.skewed(0.8)),
    1,
  ).forEach((v, i) => {
    accountMeasures[i]!.m.people = v;
  });
  let casesLeft = DEMO_FIGURES.casesFiled;
  while (casesLeft > 0) {
    const picked = rng.sampleWeighted(
      accountMeasures.map(({ m }) => (m.cases < m.people ? m.people : 0)),
      Math.min(casesLeft, accountMeasures.length),
    );
    for (const i of picked) {
      if (casesLeft > 0 && accountMeasures[i]!.m.cases < accountMeasures[i]!.m.people) {
        accountMeasures[i]!.m.cases++;
        casesLeft--;
      }
    }
  }

  // ── rows: campaign, round-units, feedback, problems, measures … ─────────────────────────────
  ds.campaigns.push({
    id: campaignId,
    name: '全市人防系统易地建设费问题整改（一盘棋）',
    categoryCode: 'civil_air_defence',
    description:
      '五届市委第五轮巡察对全市人防系统开展机动巡察，发现人防工程建设项目应收未收、违规减免、应缴未缴易地建设费等问题301个、涉及费用1亿多元。树立整改全市“一盘棋”思想，多方联动督促推动整改，截至2020年10月，已清缴违规减免易地建设费1.43亿元。',
    version: 1,
    createdAt: now,
    updatedAt: now,
  });

  const problemRows = new Map<number, Row<'problems'>>();
  for (const p of plans) emitRoundUnit(p);
  emitHigherRound();
  emitAftercare();

  return ds;

  // ── helpers that write rows (hoisted) ────────────────────────────────────────────────────────
  function shortOf(code: string): string {
    const o = frame.find((x) => x.code === code);
    return o?.shortName ?? o?.name ?? code;
  }

  function event(
    p: { roundUnitId: number },
    from: RoundUnitStatus | null,
    to: RoundUnitStatus,
    cycle: number,
    deadline: string | null,
    on: string,
    reason: string | null,
  ) {
    ds.roundUnitEvents.push({
      id: next('roundUnitEvents'),
      roundUnitId: p.roundUnitId,
      fromStatus: from,
      toStatus: to,
      cycle,
      deadline,
      reason,
      actorId: officeUser,
      actorName: officeName,
      at: at(on, rng.int(0, 400)),
    });
  }

  function emitRoundUnit(p: Plan) {
    const u = p.unit;
    const teams = teamIds.get(p.round.number)!;
    const teamId = teams[p.teamIndex]!;
    ds.roundUnits.push({
      id: p.roundUnitId,
      roundId: p.roundId,
      termId,
      unitOrgId: p.orgId,
      teamId,
      status: p.status,
      cycle: p.cycle,
      feedbackDate: p.feedback,
      deadline: p.deadline,
      deadlineOverridden: 0,
      version: 1,
      createdAt: at(p.round.start),
      updatedAt: at(p.evaluatedOn ?? p.feedback),
    });

    // status history
    event(p, null, 'awaiting_feedback', 1, null, p.round.start, null);
    event(
      p,
      'awaiting_feedback',
      'rectifying',
      1,
      p.firstDeadline,
      p.feedback,
      '巡察反馈意见已送达，整改期开始（反馈后3个月）',
    );
    if (p.status !== 'rectifying') {
      event(p, 'rectifying', 'period_ended', 1, p.firstDeadline, addDays(p.firstDeadline, 1), '整改期满');
      const failed = p.status === 're_rectifying';
      event(
        p,
        'period_ended',
        'evaluated',
        1,
        p.firstDeadline,
        p.evaluatedOn!,
        failed
          ? '整改检查考核评价为“不合格”（整改不重视、落实不到位）'
          : `整改检查考核评价为“${rng.chance(0.3) ? '优秀' : '合格'}”`,
      );
      if (failed)
        event(
          p,
          'evaluated',
          're_rectifying',
          2,
          p.deadline,
          addDays(p.evaluatedOn!, 3),
          '约谈相关责任人，责成重新整改',
        );
      if (p.status === 'published')
        event(
          p,
          'evaluated',
          'published',
          1,
          p.firstDeadline,
          addDays(p.evaluatedOn!, rng.int(20, 40)),
          '整改进展情况报告通过玉溪日报、玉溪网、玉溪党风廉政网集中向社会公开',
        );
    }

    // 巡前情况通报
    for (const l of links.get(u.code)!.slice(0, 2)) {
      ds.briefings.push({
        id: next('briefings'),
        roundUnitId: p.roundUnitId,
        teamId,
        supervisorOrgId: org(l.code),
        content: briefingText(u, l.code),
        givenOn: addDays(p.round.start, -rng.int(3, 10)),
        createdBy: null,
        createdAt: at(addDays(p.round.start, -3)),
      });
    }

    // problems in feedback order: 一、(category) （一）(problem)
    let section = 0;
    let last: Category | null = null;
    let within = 0;
    const body: string[] = [];
    const unitTitle = `${u.name}${u.party}`;
    body.push(
      `根据市委统一部署，${dateCn(p.round.start)}至${dateCn(p.round.end)}，市委${teamName(p)}对${unitTitle}开展了${TYPE_WORD[p.round.type]}巡察。巡察组坚持以习近平新时代中国特色社会主义思想为指导，聚焦坚持党的全面领导、加强党的建设、全面从严治党，深入查找政治偏差。现将巡察发现的主要问题反馈如下：`,
    );
    p.problems.forEach((pr, i) => {
      if (pr.category !== last) {
        section++;
        within = 0;
        last = pr.category;
        body.push(`${cnNumber(section)}、${SECTION_TITLES[pr.category]}`);
      }
      within++;
      pr.id = next('problems');
      const moneyFen = pr.measures.reduce((s, m) => s + m.amount, 0n);
      const amount = pr.money ? amountText(moneyFen > 0n ? moneyFen : randomAmount(pr)) : '';
      const description =
        (pr.lookback ? '上轮巡察反馈后整改不彻底，问题仍然存在：' : '') +
        pr.tpl.text(Object.assign({}, pr.ctx, { amount })) +
        (pr.detail ? pr.detail(pr.ctx) : '');
      body.push(`（${cnNumber(within)}）${description}`);
      const head = p.people.heads.get(pr.dept)!;
      const closedAll = pr.measures.every((m) => !m.open);
      const row: Row<'problems'> = {
        id: pr.id,
        roundUnitId: p.roundUnitId,
        roundId: p.roundId,
        termId,
        unitOrgId: p.orgId,
        campaignId: pr.campaign ? campaignId : null,
        seq: i + 1,
        number: `${cnNumber(section)}、（${cnNumber(within)}）`,
        categoryCode: pr.category,
        description,
        source: pr.source,
        severity: pr.severity,
        responsibleLeader: `${pr.leader.name}（${pr.leader.post}）`,
        responsibleDepartment: pr.dept,
        responsiblePerson: `${head.name}（${head.post}）`,
        measureCount: 0,
        doneCount: 0,
        version: 1,
        createdAt: at(addDays(p.feedback, 7)),
        updatedAt: at(closedAll ? latest(pr) : addDays(p.feedback, 7)),
      };
      ds.problems.push(row);
      problemRows.set(pr.id, row);
      const coop = u.code === CODES.supplyCoop;
      ds.problemResponsibles.push({
        id: next('problemResponsibles'),
        problemId: pr.id,
        name: p.people.secretary.name,
        post: p.people.secretary.post,
        duty: 'first',
        userId: coop ? unitHeadUser : null,
      });
      for (const s of pr.shared) {
        ds.problemResponsibles.push({
          id: next('problemResponsibles'),
          problemId: pr.id,
          name: s.name,
          post: s.post,
          duty: 'shared',
          userId: null,
        });
      }
      pr.measures.forEach((m, k) => {
        emitMeasure(pr, m, k + 1);
      });
    });
    body.push(
      `请${unitTitle}认真落实整改主体责任，建立问题清单、责任清单、任务清单和整改销号管理台账，于${dateCn(p.firstDeadline)}前将整改情况报告报送市委巡察办，同时抄送联系监督检查室和派驻纪检监察组。`,
    );
    ds.feedbacks.push({
      id: next('feedbacks'),
      roundUnitId: p.roundUnitId,
      title: `市委${teamName(p)}关于对${unitTitle}巡察情况的反馈意见`,
      body: body.join('\n'),
      deliveredOn: p.feedback,
      version: 1,
      createdAt: at(p.feedback),
      updatedAt: at(p.feedback),
    });

    // 抄送 to the five kinds of recipient [§6]
    const copies: [string, string | null][] = [
      ['leader', cityLeader(u.leader)],
      ['industry', u.industry],
      ['supervision_office', supervisionOffice(u.office)],
      ['stationed_group', u.stationed ? stationedGroup(u.stationed) : null],
      ['organisation_dept', CODES.organisation],
    ];
    for (const [kind, code] of copies) {
      if (!code) continue;
      const sent = at(p.feedback, 60 + rng.int(0, 120));
      ds.feedbackCopies.push({
        id: next('feedbackCopies'),
        roundUnitId: p.roundUnitId,
        recipientKind: kind,
        recipientOrgId: org(code),
        recipientName: kind === 'leader' ? CITY_LEADERS[u.leader - 1]!.replace(/（.*$/, '') : null,
        sentAt: sent,
        receivedAt: p.status === 'rectifying' && rng.chance(0.1) ? null : sent + rng.int(1, 3) * 86400_000,
        note: null,
        version: 1,
        createdAt: sent,
      });
    }
    ds.talkReports.push({
      id: next('talkReports'),
      roundUnitId: p.roundUnitId,
      sentToOrgId: org(CODES.organisation),
      summary: `巡察期间个别谈话${rng.int(45, 120)}人次，涉及领导班子和领导干部的意见建议${rng.int(8, 30)}条，已按规定报送市委组织部，作为干部选拔任用、考核评价的参考。`,
      sentAt: at(addDays(p.feedback, rng.int(3, 10))),
      receivedAt: at(addDays(p.feedback, rng.int(11, 14))),
      version: 1,
      createdAt: at(addDays(p.feedback, 3)),
    });

    // 立行立改: items the team asked to fix at once, each with who and when
    const candidates = p.problems.filter((pr) => pr.measures.some((m) => m.type === 'immediate'));
    for (const pr of rng.shuffle([...candidates]).slice(0, rng.int(1, 3))) {
      const m = pr.measures.find((x) => x.type === 'immediate')!;
      const proposed = addDays(p.round.start, rng.int(10, 40));
      const status = m.open ? 'approved' : m.status === 'closed' ? 'verified' : 'fixed';
      const coop = u.code === CODES.supplyCoop;
      ds.immediateItems.push({
        id: next('immediateItems'),
        roundUnitId: p.roundUnitId,
        unitOrgId: p.orgId,
        problemId: pr.id,
        content: `巡察组提出立行立改：${m.tpl.text(measureCtx(pr, m))}`,
        status,
        proposedBy: officeUser,
        proposedAt: at(proposed),
        approvedBy: leaderUser,
        approvedAt: at(addDays(proposed, 2)),
        approvalNote: '同意立行立改，请被巡察单位即知即改并报告整改结果。',
        fixedBy: status === 'approved' ? null : coop ? unitUser : null,
        fixedAt: status === 'approved' ? null : at(m.completedOn!),
        fixReport: status === 'approved' ? null : `已按要求整改到位：${m.tpl.text(measureCtx(pr, m))}`,
        verifiedBy: status === 'verified' ? officeUser : null,
        verifiedAt: status === 'verified' ? at(addDays(m.completedOn!, 5)) : null,
        verifyNote: status === 'verified' ? '经核验，整改到位。' : null,
        version: 1,
        createdAt: at(proposed),
        updatedAt: at(m.completedOn ?? proposed),
      });
      pr.source = 'immediate';
      problemRows.get(pr.id)!.source = 'immediate';
    }
  }

  function emitMeasure(pr: PProblem, m: PMeasure, seq: number) {
    const p = pr.plan;
    m.id = next('measures');
    const content = m.lead + m.tpl.text(measureCtx(pr, m));
    const effective = m.extended ?? m.deadline;
    const progress = m.completedOn ?? minDate(addDays(p.feedback, rng.int(15, 120)), '2021-11-30');
    ds.measures.push({
      id: m.id,
      problemId: pr.id,
      roundUnitId: p.roundUnitId,
      roundId: p.roundId,
      termId,
      unitOrgId: p.orgId,
      categoryCode: pr.category,
      seq,
      content,
      type: m.type,
      status: m.status,
      isDone: isDone(m.status) ? 1 : 0,
      deadline: m.deadline,
      extendedDeadline: m.extended,
      effectiveDeadline: effective,
      ownerName: m.ownerUserId ? DEMO_USERS[3]!.displayName : `${m.owner.name}（${m.owner.post}）`,
      ownerUserId: m.ownerUserId,
      completedOn: m.completedOn,
      rulesEstablished: m.rules,
      fundsReturnedFen: m.kind === 'funds' ? Number(m.amount) : 0,
      lossesRecoveredFen: m.kind === 'losses' ? Number(m.amount) : 0,
      peopleHeldAccountable: m.people,
      casesFiled: m.cases,
      lastProgressAt: at(progress, rng.int(0, 480)),
      version: 1,
      createdAt: at(addDays(p.feedback, 7)),
      updatedAt: at(progress),
    });
    if (m.extended) {
      const requested = addDays(m.deadline, -rng.int(5, 15));
      ds.deadlineExtensions.push({
        id: next('deadlineExtensions'),
        measureId: m.id,
        unitOrgId: p.orgId,
        previousDeadline: m.deadline,
        requestedDeadline: m.extended,
        reason:
          m.type === 'long_term'
            ? '该项措施属长期坚持事项，需结合年度工作持续推进并定期报告成效，申请延长整改时限。'
            : '重新整改期间，需按新的整改期限完成整改，申请调整整改时限。',
        status: 'approved',
        requestedBy: p.unit.code === CODES.supplyCoop ? unitUser : null,
        requestedAt: at(requested),
        decidedBy: officeUser,
        decidedAt: at(addDays(requested, rng.int(2, 6))),
        decisionNote: '同意延期，请按新的时限完成并报送佐证材料。',
        version: 1,
        createdAt: at(requested),
        updatedAt: at(addDays(requested, 6)),
      });
    } else if (m.open && p.status === 'rectifying' && m.type === 'deadline' && rng.chance(0.12)) {
      const requested = addDays(m.deadline, -rng.int(3, 10));
      const rejected = rng.chance(0.6);
      ds.deadlineExtensions.push({
        id: next('deadlineExtensions'),
        measureId: m.id,
        unitOrgId: p.orgId,
        previousDeadline: m.deadline,
        requestedDeadline: addMonths(m.deadline, 2),
        reason: '涉及多个部门协调，需补充完善相关手续，申请延期两个月完成。',
        status: rejected ? 'rejected' : 'pending',
        requestedBy: p.unit.code === CODES.supplyCoop ? unitUser : null,
        requestedAt: at(requested),
        decidedBy: rejected ? officeUser : null,
        decidedAt: rejected ? at(addDays(requested, 3)) : null,
        decisionNote: rejected ? '延期理由不充分，不予同意，请按原定时限完成整改。' : null,
        version: 1,
        createdAt: at(requested),
        updatedAt: at(rejected ? addDays(requested, 3) : requested),
      });
    }
  }

  function measureCtx(pr: PProblem, m: PMeasure): MeasureCtx {
    // Object.assign rather than spread: several times faster on V8 for these small objects.
    return Object.assign({}, pr.ctx, {
      rules: m.rules,
      amount: amountText(m.amount > 0n ? m.amount : randomAmount(pr)),
      people: m.people,
      cases: m.cases,
      due: dueText(m.deadline),
      doc: m.doc,
    });
  }

  /** The amount a problem names when no recorded recovery fixes it (still open, or not recoverable). */
  function randomAmount(pr: PProblem): bigint {
    const r = new Rng(pr.ordinal * 7919 + 17);
    if (pr.campaign) return BigInt(Math.round(r.skewed(1.2) * 450)) * 10_000n + 500_000n; // hundreds of 元
    if (pr.money === 'losses') return BigInt(Math.round(r.skewed(1.2) * 8000)) * 10_000n + 1_000_000n;
    return BigInt(Math.round(r.skewed(1.2) * 25_000)) * 100n + 100_000n;
  }

  function latest(pr: PProblem): string {
    return pr.measures.reduce((d, m) => (m.completedOn && m.completedOn > d ? m.completedOn : d), pr.plan.feedback);
  }

  function teamName(p: Plan): string {
    return `第${cnNumber(p.teamIndex + 1)}巡察组`;
  }

  /**
   * Issue 4 on top of the ledger, with its own random stream so that everything above stays as it
   * was: the staff accounts, a handful of real evidence files, a submitted period-end progress
   * report (with its frozen version) for every round-unit whose period has ended, 市供销社's work in
   * hand (a report awaiting its head's sign-off, a draft), an approved closure with its verifications
   * for every closed measure (a pending application for any whose closure is requested), and the
   * re-checks after closing a long-term or rule-making measure. Rows are what the services write.
   */
  function emitAftercare() {
    const r2 = new Rng(0x0af7_2026);
    const today = shanghaiDate(now);
    const measureRows = new Map(ds.measures.map((m) => [m.id, m]));
    const officeOrgId = org(CODES.office);
    const coop = plans.find((p) => p.unit.code === CODES.supplyCoop)!;

    // ── accounts of the people who wrote this history ─────────────────────────────────────────
    const staff = new Map<string, number>();
    for (const a of demoStaffAccounts()) {
      let id = input.userIds.get(a.username);
      if (!id) {
        id = next('users');
        const unit = units.find((u) => u.code === a.org);
        ds.users.push({
          id,
          username: a.username,
          displayName: a.role === 'unit_head' && unit ? peopleOf.get(unit.code)!.secretary.name : personName(r2),
          orgId: org(a.org),
          role: a.role,
          email: null,
          phone: null,
          passwordHash: '', // no password: cannot sign in until an administrator resets it
          passwordChangedAt: now,
          mustChangePassword: 0,
          totpSecret: null,
          totpEnabled: 0,
          disabled: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
      }
      staff.set(`${a.org}/${a.role}`, id);
    }
    const coopUnit = (p: Plan) => p.unit.code === CODES.supplyCoop;
    const liaisonOf = (p: Plan) => (coopUnit(p) ? unitUser : staff.get(`${p.unit.code}/unit`)!);
    const headOf = (p: Plan) => (coopUnit(p) ? unitHeadUser : staff.get(`${p.unit.code}/unit_head`)!);
    const supervisorUser = (code: string) =>
      code === supervisionOffice(3) ? userIds.get('supervisor')! : staff.get(`${code}/supervisor`)!;

    const textCtx = (pr: PProblem, m: PMeasure): ProgressTextCtx => ({
      rng: r2,
      unit: pr.plan.unit.shortName!,
      kind: m.kind,
      type: m.type,
      doc: m.doc,
      rules: m.rules,
      amount: amountText(m.amount > 0n ? m.amount : randomAmount(pr)),
      people: m.people,
      cases: m.cases,
      completedOn: m.completedOn,
      deadline: m.extended ?? m.deadline,
    });
    /** A write that records progress on a measure moves its last progress (and update) time. */
    const touch = (measureId: number, ms: number) => {
      const row = measureRows.get(measureId)!;
      if (Number(row.lastProgressAt ?? 0) < ms) row.lastProgressAt = ms;
      if (Number(row.updatedAt) < ms) row.updatedAt = ms;
    };

    // ── when each closed measure was applied for, verified and closed ───────────────────────────
    interface Check {
      verifierId: number;
      role: 'office' | 'supervisor';
      orgId: number;
      on: string;
    }
    interface ClosurePlan {
      pr: PProblem;
      m: PMeasure;
      applied: string;
      appliedAt: number;
      checks: Check[];
      decided: string | null;
      decidedAt: number | null;
    }
    const closurePlans = new Map<number, ClosurePlan>();
    for (const p of plans)
      for (const pr of p.problems)
        for (const m of pr.measures) {
          if (m.status !== 'closed' && m.status !== 'closure_requested') continue;
          const applied = weekday(addDays(m.completedOn!, r2.int(3, 20)));
          const appliedAt = at(applied, r2.int(0, 420));
          if (m.status === 'closure_requested') {
            closurePlans.set(m.id, { pr, m, applied, appliedAt, checks: [], decided: null, decidedAt: null });
            continue;
          }
          const checks: Check[] = [
            {
              verifierId: officeUser,
              role: 'office',
              orgId: officeOrgId,
              on: weekday(addDays(applied, r2.int(2, 10))),
            },
          ];
          for (const l of links.get(p.unit.code)!)
            if (lineCovers(l.categories, pr.category))
              checks.push({
                verifierId: supervisorUser(l.code),
                role: 'supervisor',
                orgId: org(l.code),
                on: weekday(addDays(applied, r2.int(1, 12))),
              });
          const last = checks.map((c) => c.on).sort()[checks.length - 1]!; // every check is after the application
          const decided = weekday(addDays(last, r2.int(1, 5)));
          closurePlans.set(m.id, {
            pr,
            m,
            applied,
            appliedAt,
            checks,
            decided,
            decidedAt: at(decided, r2.int(0, 420)),
          });
        }

    // ── a handful of real evidence files ───────────────────────────────────────────────────────
    interface FileRef {
      id: number;
      name: string;
      size: number;
      kind: string;
      sm3: string;
      on: string;
    }
    const offered = new Map<number, FileRef[]>(); // measure id → files its unit offered for it
    const offer = (m: PMeasure, f: FileRef) => offered.set(m.id, [...(offered.get(m.id) ?? []), f]);
    const upload = (p: Plan, name: string, kind: 'pdf' | 'png', bytes: Buffer, on: string): FileRef => {
      const sm3 = crypto.createHash('sm3').update(bytes).digest('hex');
      if (!ds.blobs.some((b) => b.sm3 === sm3)) ds.blobs.push({ sm3, bytes });
      const id = next('evidenceFiles');
      ds.evidenceFiles.push({
        id,
        sm3,
        size: bytes.length,
        kind,
        name,
        roundUnitId: p.roundUnitId,
        unitOrgId: p.orgId,
        uploadedBy: liaisonOf(p),
        createdAt: at(on, r2.int(0, 400)),
      });
      return { id, name, size: bytes.length, kind, sm3, on };
    };
    const isClosed = (m: PMeasure) => m.status === 'closed';
    const closedIn = (p: Plan) => p.problems.flatMap((pr) => pr.measures.filter(isClosed).map((m) => ({ pr, m })));
    // Another unit the 第三监督检查室 (the supervisor account) liaises with, with a closed 公务接待 measure.
    const other =
      plans.find(
        (p) =>
          p.unit.office === 3 &&
          !coopUnit(p) &&
          p.status !== 'rectifying' &&
          closedIn(p).some((x) => x.pr.category === 'eight_point_rules'),
      ) ?? plans.find((p) => !coopUnit(p) && p.status !== 'rectifying' && closedIn(p).length > 0)!;
    const otherClosed = closedIn(other);
    const reuseTarget = otherClosed.find((x) => x.pr.category === 'eight_point_rules') ?? otherClosed[0]!;
    const reception = evidencePdf([
      'NOTICE ON FURTHER REGULATING OFFICIAL RECEPTION',
      `Document no. ${other.unit.code}-2021-07`,
      '1. Receptions only with an official letter; no banquets, no alcohol.',
      '2. Guests and costs entered in the reception register, approved in advance.',
      '3. Meals within the standard of the municipal rules; invoices with the list.',
      '4. Quarterly check by the office and the discipline inspection group.',
      'Issued by the Party Leadership Group (seal).',
    ]);
    const receptionOn = addDays(reuseTarget.m.completedOn!, -2);
    offer(reuseTarget.m, upload(other, '关于进一步规范公务接待管理的通知.pdf', 'pdf', reception, receptionOn));
    const otherFirst = other.problems[0]!.measures[0]!;
    offer(
      otherFirst,
      upload(
        other,
        `${other.unit.shortName}巡察整改进展情况报告（盖章件）.pdf`,
        'pdf',
        evidencePdf([
          'REPORT ON THE PROGRESS OF RECTIFICATION',
          `Unit ${other.unit.code}, inspection round ${other.round.number}, feedback of ${other.feedback}`,
          `All problems of the feedback listed with their measures and deadlines.`,
          'Completed measures with their evidence; open ones with the next steps.',
          'Signed off by the head of the unit (seal).',
        ]),
        addDays(other.firstDeadline, -15),
      ),
    );
    const coopClosed = closedIn(coop);
    const plan = evidencePdf([
      'RECTIFICATION WORK PLAN',
      `Unit ${coop.unit.code}, inspection round ${coop.round.number}, feedback of ${coop.feedback}`,
      'Problem list, responsibility list and task list attached.',
      'Leading group: the Party secretary as head, each deputy for his own part.',
      'Every measure with its owner, deadline and evidence; reported monthly.',
      'Issued by the Party Leadership Group (seal).',
    ]);
    const planFile = upload(
      coop,
      `${coop.unit.shortName}巡察整改工作方案（印发稿）.pdf`,
      'pdf',
      plan,
      addDays(coop.feedback, 12),
    );
    const coopOpen = coop.problems.flatMap((pr) => pr.measures.filter((m) => m.open));
    for (const m of coopOpen.slice(0, 2)) offer(m, planFile);
    if (coopClosed[0]) {
      const x = coopClosed[0];
      offer(
        x.m,
        upload(
          coop,
          `${coop.unit.shortName}党组会议纪要（巡察整改专题）.pdf`,
          'pdf',
          evidencePdf([
            'MINUTES OF THE PARTY LEADERSHIP GROUP MEETING',
            `Held on ${x.m.completedOn}, on the rectification of the inspection feedback.`,
            'Present: all members of the group; the discipline inspection group attended.',
            'Decided: the measure is completed and the rules are applied from today.',
            'Recorded by the office (seal).',
          ]),
          x.m.completedOn!,
        ),
      );
      // The same notice as the other unit's, offered again for a different problem: the reuse warning.
      offer(x.m, upload(coop, `${coop.unit.shortName}公务接待管理规定.pdf`, 'pdf', reception, x.m.completedOn!));
    }
    if (coopClosed[1])
      offer(
        coopClosed[1].m,
        upload(coop, `${coop.unit.shortName}整改现场照片.png`, 'png', evidencePng(), coopClosed[1].m.completedOn!),
      );
    /** The files offered for a measure that were uploaded by `on`. */
    const filesFor = (m: PMeasure, on: string) => (offered.get(m.id) ?? []).filter((f) => f.on <= on);
    const fileView = (f: FileRef) => ({ id: f.id, name: f.name, size: f.size, kind: f.kind, sm3: f.sm3 });
    const cite = (
      pr: PProblem,
      m: PMeasure,
      files: FileRef[],
      source: 'report' | 'closure',
      sourceId: number,
      ms: number,
    ) => {
      for (const f of files)
        ds.measureEvidence.push({
          id: next('measureEvidence'),
          measureId: m.id,
          fileId: f.id,
          sm3: f.sm3,
          problemId: pr.id,
          roundUnitId: pr.plan.roundUnitId,
          unitOrgId: pr.plan.orgId,
          source,
          sourceId,
          createdAt: ms,
        });
    };

    // ── 整改进展报告 ───────────────────────────────────────────────────────────────────────────
    /** Where a measure stood at a moment, as a report made then pre-filled and the unit reported it. */
    const statusAt = (m: PMeasure, ms: number): string => {
      const c = closurePlans.get(m.id);
      if (c?.decidedAt && c.decidedAt <= ms) return 'closed';
      if (c && c.appliedAt <= ms) return 'closure_requested';
      if (m.completedOn && at(m.completedOn) <= ms) return 'completed';
      return m.open && m.status === 'not_started' ? 'not_started' : 'in_progress';
    };
    const DONE = new Set(['completed', 'closure_requested', 'closed']);
    const report = (
      p: Plan,
      o: {
        seq: number;
        kind: 'period_end' | 'quarterly';
        due: string;
        status: 'draft' | 'pending_signoff' | 'submitted';
        createdOn: string;
        sentAt: number | null;
        submittedAt: number | null;
        all: boolean;
        filled: number; // share of the items with a narrative
      },
    ) => {
      const id = next('progressReports');
      const at0 = at(o.createdOn, r2.int(0, 400));
      const asOf = o.submittedAt ?? o.sentAt ?? now;
      const entries = p.problems.flatMap((pr) =>
        pr.measures.filter((m) => o.all || m.type === 'long_term' || m.open).map((m) => ({ pr, m })),
      );
      const snapshot: Record<string, unknown>[] = [];
      let done = 0;
      let edited = 0;
      let lastEdit = at0;
      const itemIds: { pr: PProblem; m: PMeasure; files: FileRef[] }[] = [];
      for (const { pr, m } of entries) {
        // A draft is pre-filled from the ledger as it stands; a submitted report as it stood then.
        const reported = o.status === 'submitted' ? statusAt(m, asOf) : m.status;
        if (DONE.has(reported)) done++;
        const narrative = r2.chance(o.filled) ? progressNarrative(textCtx(pr, m), reported) : '';
        const files = narrative ? filesFor(m, shanghaiDate(asOf)) : [];
        if (narrative) edited++;
        const row = measureRows.get(m.id)!;
        const itemAt = narrative ? Math.min(asOf - 3_600_000, at0 + r2.int(1, 9) * 86_400_000) : at0;
        if (itemAt > lastEdit) lastEdit = itemAt;
        ds.progressReportItems.push({
          id: next('progressReportItems'),
          reportId: id,
          measureId: m.id,
          reportedStatus: reported,
          narrative,
          fileIds: JSON.stringify(files.map((f) => f.id)),
          updatedAt: itemAt,
        });
        snapshot.push({
          measureId: m.id,
          problemId: pr.id,
          problemNumber: problemRows.get(pr.id)!.number,
          seq: row.seq,
          content: row.content,
          type: m.type,
          categoryCode: pr.category,
          reportedStatus: reported,
          narrative,
          files: files.map(fileView),
        });
        itemIds.push({ pr, m, files });
      }
      const problems = new Set(entries.map((x) => x.pr.id)).size;
      const summary =
        o.status === 'draft'
          ? null
          : reportSummary(
              p.unit.shortName!,
              { problems, measures: entries.length, done, open: entries.length - done },
              o.kind,
            );
      const late = o.submittedAt !== null && shanghaiDate(o.submittedAt) > o.due ? 1 : 0;
      ds.progressReports.push({
        id,
        roundUnitId: p.roundUnitId,
        roundId: p.roundId,
        termId,
        unitOrgId: p.orgId,
        periodSeq: o.seq,
        periodKind: o.kind,
        dueDate: o.due,
        status: o.status,
        revision: 1,
        summary,
        late,
        preparedBy: liaisonOf(p),
        sentForSignoffAt: o.sentAt,
        signedBy: o.submittedAt === null ? null : headOf(p),
        submittedAt: o.submittedAt,
        returnedBy: null,
        returnedAt: null,
        returnNote: null,
        // created, each item filled in, the summary written, sent, signed off: one version each
        version: 1 + edited + (summary ? 1 : 0) + (o.sentAt ? 1 : 0) + (o.submittedAt ? 1 : 0),
        createdAt: at0,
        updatedAt: asOf === now ? lastEdit : asOf,
      });
      if (o.submittedAt === null) return;
      const versionId = next('progressReportVersions');
      ds.progressReportVersions.push({
        id: versionId,
        reportId: id,
        revision: 1,
        snapshot: JSON.stringify({ summary, items: snapshot }),
        late,
        preparedBy: liaisonOf(p),
        signedBy: headOf(p),
        submittedAt: o.submittedAt,
      });
      for (const x of itemIds) {
        cite(x.pr, x.m, x.files, 'report', versionId, o.submittedAt);
        touch(x.m.id, o.submittedAt); // signing off records progress on every reported measure
      }
    };
    for (const p of plans) {
      if (p.status === 'rectifying') continue;
      const late = r2.chance(0.15);
      const on = weekday(addDays(p.firstDeadline, late ? r2.int(3, 25) : -r2.int(2, 12)));
      const submittedAt = at(on, r2.int(30, 420));
      report(p, {
        seq: 1,
        kind: 'period_end',
        due: p.firstDeadline,
        status: 'submitted',
        createdOn: addDays(on, -r2.int(12, 20)),
        sentAt: submittedAt - r2.int(20, 70) * 3_600_000,
        submittedAt,
        all: true,
        filled: 1,
      });
    }
    // 市供销社, still rectifying: the period-end report waits for its head's sign-off (unithead), and
    // the next quarter's is a draft its liaison (unit) has begun.
    const periods = reportingPeriods(coop.deadline, 'quarterly', today);
    report(coop, {
      seq: 1,
      kind: 'period_end',
      due: periods[0]!.dueDate,
      status: 'pending_signoff',
      createdOn: addDays(coop.deadline, -12),
      sentAt: at(weekday(addDays(coop.deadline, -2)), 300),
      submittedAt: null,
      all: true,
      filled: 1,
    });
    if (periods[1])
      report(coop, {
        seq: 2,
        kind: 'quarterly',
        due: periods[1].dueDate,
        status: 'draft',
        createdOn: addDays(periods[1].dueDate, -20),
        sentAt: null,
        submittedAt: null,
        all: false,
        filled: 0.5,
      });

    // ── 对账销号 and the re-checks after it ─────────────────────────────────────────────────────
    for (const c of closurePlans.values()) {
      const { pr, m } = c;
      const p = pr.plan;
      const id = next('closures');
      const files = filesFor(m, c.applied);
      ds.closures.push({
        id,
        measureId: m.id,
        problemId: pr.id,
        roundUnitId: p.roundUnitId,
        unitOrgId: p.orgId,
        categoryCode: pr.category,
        status: c.decidedAt ? 'approved' : 'pending',
        summary: closureSummary(textCtx(pr, m), files.length > 0),
        fileIds: JSON.stringify(files.map((f) => f.id)),
        applicantId: liaisonOf(p),
        appliedAt: c.appliedAt,
        decidedBy: c.decidedAt ? officeUser : null,
        decidedAt: c.decidedAt,
        decisionNote: c.decidedAt ? r2.pick(DECISION_NOTES) : null,
        reopenedBy: null,
        reopenedAt: null,
        reopenSource: null,
        reopenReason: null,
        version: 1 + c.checks.length + (c.decidedAt ? 1 : 0), // applied, each verification, the decision
        createdAt: c.appliedAt,
        updatedAt: c.decidedAt ?? c.appliedAt,
      });
      cite(pr, m, files, 'closure', id, c.appliedAt);
      touch(m.id, c.appliedAt);
      for (const v of c.checks)
        ds.closureVerifications.push({
          id: next('closureVerifications'),
          closureId: id,
          verifierId: v.verifierId,
          verifierRole: v.role,
          verifierOrgId: v.orgId,
          verdict: 'agree',
          note: r2.pick(v.role === 'office' ? OFFICE_VERIFY_NOTES : SUPERVISOR_VERIFY_NOTES),
          createdAt: at(v.on, r2.int(0, 420)),
        });
      if (!c.decided || !c.decidedAt) continue;
      touch(m.id, c.decidedAt);
      if (!needsRecheck({ type: m.type, rulesEstablished: m.rules })) continue;
      for (const rc of recheckDates(c.decided, RECHECK_MONTHS)) {
        const doneAt = at(weekday(addDays(rc.dueDate, r2.int(0, 15))), r2.int(0, 420));
        const passed = rc.dueDate < today && doneAt < now;
        const doneBy = r2.chance(0.5) ? officeUser : supervisorUser(supervisionOffice(p.unit.office));
        ds.rechecks.push({
          id: next('rechecks'),
          measureId: m.id,
          closureId: id,
          roundUnitId: p.roundUnitId,
          unitOrgId: p.orgId,
          categoryCode: pr.category,
          monthsAfter: rc.monthsAfter,
          dueDate: rc.dueDate,
          status: passed ? 'passed' : 'pending',
          resultNote: passed ? r2.pick(RECHECK_NOTES) : null,
          doneBy: passed ? doneBy : null,
          doneAt: passed ? doneAt : null,
          version: passed ? 2 : 1,
          createdAt: c.decidedAt,
          updatedAt: passed ? doneAt : c.decidedAt,
        });
      }
    }
  }

  function emitHigherRound() {
    const roundId = roundIds.get(HIGHER.number)!;
    const feedback = '2020-03-20';
    const deadline = rectificationDeadline(feedback, NO_EXCEPTIONS);
    for (const [short, typical] of HIGHER_UNITS) {
      const u = unitByShort.get(short)!;
      const id = next('roundUnits');
      ds.roundUnits.push({
        id,
        roundId,
        termId,
        unitOrgId: org(u.code),
        teamId: null,
        status: 'period_ended',
        cycle: 1,
        feedbackDate: feedback,
        deadline,
        deadlineOverridden: 0,
        version: 1,
        createdAt: at(HIGHER.start),
        updatedAt: at(addDays(deadline, 1)),
      });
      event({ roundUnitId: id }, null, 'awaiting_feedback', 1, null, HIGHER.start, null);
      event(
        { roundUnitId: id },
        'awaiting_feedback',
        'rectifying',
        1,
        deadline,
        feedback,
        '省委巡视组反馈意见已转交，市委督促整改',
      );
      event({ roundUnitId: id }, 'rectifying', 'period_ended', 1, deadline, addDays(deadline, 1), '整改期满');
      ds.feedbacks.push({
        id: next('feedbacks'),
        roundUnitId: id,
        title: `省委“三湖”保护治理机动巡视反馈意见（涉及${u.shortName}职责部分）`,
        body: [
          `省委“三湖”保护治理机动巡视组于2019年11月至12月对我市“三湖”保护治理工作开展机动巡视，现将涉及${u.shortName}职责的问题转交如下：`,
          '一、落实“三湖”保护治理政治责任方面',
          ...typical.map((t, i) => `（${cnNumber(i + 1)}）${t}`),
          `请${u.name}${u.party}对照问题建立问题清单、责任清单、任务清单，按期完成整改；市委将整改情况纳入专项督查检查。`,
        ].join('\n'),
        deliveredOn: feedback,
        version: 1,
        createdAt: at(feedback),
        updatedAt: at(feedback),
      });
    }
  }
}

/** 巡前情况通报: what each kind of liaison supervisor tells the team about the unit [§1]. */
function briefingText(u: UnitSeed, supervisorCode: string): string {
  if (supervisorCode.startsWith('YX-JIWEI-PZ'))
    return `派驻纪检监察组日常监督掌握的${u.shortName}“三重一大”决策、资金资产管理、干部职工信访举报和问题线索处置情况。`;
  if (supervisorCode.startsWith('YX-JIWEI'))
    return `${u.shortName}领导班子及成员廉洁自律情况、近三年信访举报和问题线索处置情况、审查调查和党纪政务处分情况、日常监督中发现的主要问题。`;
  if (supervisorCode === CODES.organisation) return `${u.shortName}领导班子建设、干部队伍建设和选人用人情况。`;
  if (supervisorCode === CODES.propaganda) return `${u.shortName}落实意识形态工作责任制和意识形态阵地管理情况。`;
  if (supervisorCode === CODES.audit) return `近三年对${u.shortName}的审计情况及审计发现问题整改情况。`;
  return `${u.shortName}行业管理和重点工作推进情况。`;
}

function categoryWeights(u: UnitSeed, r: RoundDef): (readonly [Category, number])[] {
  const w: Record<Category, number> = {
    party_leadership: 12,
    party_building: 19,
    strict_governance: 16,
    eight_point_rules: 10,
    formalism_bureaucratism: 8,
    personnel_selection: 10,
    ideology: 6,
    financial_management: 10,
    engineering_projects: u.projects ? 6 : 0,
    civil_air_defence: 0,
  };
  if (u.kind === 'soe') {
    w.financial_management = 16;
    w.engineering_projects = 10;
  }
  if (u.kind === 'mass' || u.kind === 'county_dept') w.financial_management = 6;
  if (u.kind === 'county_dept' && u.shortName!.includes('组织部')) w.personnel_selection = 18;
  if (u.kind === 'county_dept' && u.shortName!.includes('宣传部')) w.ideology = 14;
  if (r.type === 'special') {
    w.party_leadership = 18;
    w.formalism_bureaucratism = 14;
    w.financial_management += 4;
  }
  return CATEGORIES.map((c) => [c, w[c]] as const).filter(([, x]) => x > 0);
}

function dateCn(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The re-check intervals after closure: the system.rectification default (6 and 12 months). */
const RECHECK_MONTHS = [6, 12] as const;

/** Whether a liaison link's line covers a category: a link without categories covers every one. */
function lineCovers(categories: string | null, category: string): boolean {
  return categories === null || categories.split(',').some((c) => c.trim() === category);
}

/**
 * A valid one-page PDF (A4, Helvetica) with the given lines of ASCII text: what a scanned notice or
 * minutes would be, small enough to keep in the demo. Offsets in the cross-reference table are exact.
 */
export function evidencePdf(lines: readonly string[]): Buffer {
  const esc = (t: string) => t.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = [
    'BT',
    '/F1 12 Tf',
    '16 TL',
    '64 770 Td',
    ...lines.map((l, i) => `${i ? 'T* ' : ''}(${esc(l)}) Tj`),
    'ET',
  ];
  const stream = text.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid 240×160 PNG (RGB): a red seal-like ring on paper white, as a site photo stands in. */
export function evidencePng(): Buffer {
  const w = 240;
  const h = 160;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - w / 2, y - h / 2);
      const ring = (d > 52 && d < 60) || (d < 14 && Math.abs(x - w / 2) + Math.abs(y - h / 2) < 16);
      const i = row + 1 + x * 3;
      raw[i] = ring ? 200 : 250;
      raw[i + 1] = ring ? 30 : 248 - (y >> 3);
      raw[i + 2] = ring ? 30 : 240 - (y >> 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
