import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Default dictionaries (M17) in zh-CN / zh-TW / en, and the working calendar's exceptions for 2026
// and 2027. The system administrator may change all of it; rows already present (same kind and
// code, or same date) are left alone.
//
// CALENDAR DATA TO CHECK: 2026 follows the 国务院办公厅 notice on the 2026 holidays as known when
// this was written; 2027 is an ESTIMATE from the lunar calendar and the 2025 rules (春节 4 statutory
// days, 劳动节 2) until the State Council publishes its notice (usually in November). Its notes say
// “预估”. The administrator should check both years under 系统管理 → 工作日历.

const AT = 1795737600000; // 2026-11-27T00:00:00Z, fixed so that every installation gets identical rows

type Row = [code: string, zhCn: string, zhTw: string, en: string, extra?: Record<string, unknown>];

const DICTIONARIES: Record<string, Row[]> = {
  // 问题类别 and the supervisor line each routes to (SPEC M18 "routing by line")
  problem_category: [
    ['party_leadership', '党的领导', '黨的領導', "The Party's leadership", { line: 'discipline' }],
    ['party_building', '党的建设', '黨的建設', 'Party building', { line: 'organisation' }],
    [
      'strict_governance',
      '全面从严治党',
      '全面從嚴治黨',
      'Full and rigorous Party self-governance',
      { line: 'discipline' },
    ],
    [
      'eight_point_rules',
      '违反中央八项规定精神',
      '違反中央八項規定精神',
      "Breaches of the Central Committee's eight-point rules",
      { line: 'discipline' },
    ],
    [
      'formalism_bureaucratism',
      '形式主义官僚主义',
      '形式主義官僚主義',
      'Formalism and bureaucratism',
      { line: 'discipline' },
    ],
    ['personnel_selection', '选人用人', '選人用人', 'Selection and appointment of cadres', { line: 'organisation' }],
    ['ideology', '意识形态', '意識形態', 'Ideological work', { line: 'propaganda' }],
    ['financial_management', '财务管理', '財務管理', 'Financial management', { line: 'audit' }],
    ['engineering_projects', '工程项目', '工程項目', 'Construction projects', { line: 'industry' }],
    ['civil_air_defence', '人防', '人防', 'Civil air defence (sector campaign)', { line: 'industry', campaign: true }],
  ],
  // 监督方式 (SPEC M8)
  action_type: [
    ['tracking', '跟踪督办', '跟蹤督辦', 'Tracking and urging'],
    ['attend_meeting', '列席会议', '列席會議', 'Attending meetings'],
    ['review', '审核把关', '審核把關', 'Review and sign-off'],
    ['research_guidance', '调研指导', '調研指導', 'Research and guidance'],
    ['embedded_research', '蹲点式调研', '蹲點式調研', 'Embedded field research'],
    ['rotating_supervision', '推磨式监督', '推磨式監督', 'Rotating cross-supervision'],
    ['special_inspection', '专项检查', '專項檢查', 'Special inspection'],
    ['public_exposure', '公开曝光', '公開曝光', 'Public exposure'],
    ['supervision_proposal', '监察建议书', '監察建議書', 'Supervision recommendation'],
    ['case_investigation', '立案审查调查', '立案審查調查', 'Case filing and investigation'],
  ],
  // 评价等次 and thresholds (SPEC M11)
  grade: [
    ['excellent', '优秀', '優秀', 'Excellent', { minScore: 90 }],
    ['satisfactory', '合格', '合格', 'Satisfactory', { minScore: 75 }],
    ['basically_satisfactory', '基本合格', '基本合格', 'Basically satisfactory', { minScore: 60 }],
    ['unsatisfactory', '不合格', '不合格', 'Unsatisfactory', { minScore: 0 }],
  ],
  // 考核指标: weights sum to 100
  scoring_indicator: [
    [
      'organisation_leadership',
      '整改组织领导',
      '整改組織領導',
      'Leadership of the rectification',
      { weight: 20, maxScore: 20 },
    ],
    ['problems_rectified', '问题整改落实', '問題整改落實', 'Problems rectified', { weight: 40, maxScore: 40 }],
    ['rules_established', '建章立制', '建章立制', 'Rules and institutions established', { weight: 15, maxScore: 15 }],
    ['rectification_disclosure', '整改公开', '整改公開', 'Openness of the rectification', { weight: 10, maxScore: 10 }],
    ['public_satisfaction', '群众满意度', '群眾滿意度', 'Public satisfaction', { weight: 15, maxScore: 15 }],
  ],
  // 扣分事由
  deduction_reason: [
    ['not_taken_seriously', '整改不重视', '整改不重視', 'Rectification not taken seriously', { points: -5 }],
    ['not_carried_through', '落实不到位', '落實不到位', 'Measures not carried through', { points: -3 }],
    ['overdue', '超期未整改', '超期未整改', 'Not rectified by the deadline', { points: -2 }],
  ],
  // 公开渠道 (SPEC M15)
  disclosure_channel: [
    ['daily_newspaper', '日报', '日報', 'Daily newspaper'],
    ['website', '网站', '網站', 'News website'],
    ['clean_government_site', '党风廉政网', '黨風廉政網', 'Party conduct and clean government website'],
  ],
  // 巡察类型: the codes are ROUND_TYPES of domain/rectification.ts
  round_type: [
    ['regular', '常规巡察', '常規巡察', 'Regular inspection'],
    ['special', '专项巡察', '專項巡察', 'Special inspection'],
    ['mobile', '机动巡察', '機動巡察', 'Mobile inspection'],
    ['elevated', '提级巡察', '提級巡察', 'Elevated-level inspection'],
    ['lookback', '巡察“回头看”', '巡察「回頭看」', 'Look-back inspection'],
    ['higher_inspection', '上级巡视', '上級巡視', 'Inspection by a higher level', { external: true }],
  ],
};

type Day = [date: string, kind: 'holiday' | 'workday', note: string];

const holidays = (from: string, to: string, note: string): Day[] => {
  const out: Day[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end) {
    out.push([d.toISOString().slice(0, 10), 'holiday', note]);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
};

const EST = '（预估，待核对）';

const CALENDAR: Day[] = [
  // 2026 (国务院办公厅 notice on the 2026 holidays)
  ...holidays('2026-01-01', '2026-01-03', '元旦'),
  ['2026-01-04', 'workday', '元旦调休上班'],
  ['2026-02-14', 'workday', '春节调休上班'],
  ...holidays('2026-02-15', '2026-02-23', '春节'),
  ['2026-02-28', 'workday', '春节调休上班'],
  ...holidays('2026-04-04', '2026-04-06', '清明节'),
  ...holidays('2026-05-01', '2026-05-05', '劳动节'),
  ['2026-05-09', 'workday', '劳动节调休上班'],
  ...holidays('2026-06-19', '2026-06-21', '端午节'),
  ['2026-09-20', 'workday', '国庆节调休上班'],
  ...holidays('2026-09-25', '2026-09-27', '中秋节'),
  ...holidays('2026-10-01', '2026-10-07', '国庆节'),
  ['2026-10-10', 'workday', '国庆节调休上班'],
  // 2027: estimate until the State Council's notice
  ...holidays('2027-01-01', '2027-01-03', `元旦${EST}`),
  ['2027-01-31', 'workday', `春节调休上班${EST}`],
  ...holidays('2027-02-05', '2027-02-13', `春节${EST}`),
  ['2027-02-20', 'workday', `春节调休上班${EST}`],
  ...holidays('2027-04-03', '2027-04-05', `清明节${EST}`),
  ['2027-04-25', 'workday', `劳动节调休上班${EST}`],
  ...holidays('2027-05-01', '2027-05-05', `劳动节${EST}`),
  ...holidays('2027-06-09', '2027-06-09', `端午节${EST}`),
  ...holidays('2027-09-15', '2027-09-15', `中秋节${EST}`),
  ['2027-09-26', 'workday', `国庆节调休上班${EST}`],
  ...holidays('2027-10-01', '2027-10-07', `国庆节${EST}`),
  ['2027-10-09', 'workday', `国庆节调休上班${EST}`],
];

export async function up(db: Kysely<any>): Promise<void> {
  const rows = Object.entries(DICTIONARIES).flatMap(([kind, entries]) =>
    entries.map(([code, zhCn, zhTw, en, extra], i) => ({
      kind,
      code,
      label_zh_cn: zhCn,
      label_zh_tw: zhTw,
      label_en: en,
      sort: (i + 1) * 10,
      active: 1,
      extra: extra ? JSON.stringify(extra) : null,
      version: 1,
      updated_at: AT,
    })),
  );
  await db
    .insertInto('dictionaries')
    .values(rows)
    .onConflict((oc) => oc.columns(['kind', 'code']).doNothing())
    .execute();
  await db
    .insertInto('calendar_days')
    .values(CALENDAR.map(([date, kind, note]) => ({ date, kind, note })))
    .onConflict((oc) => oc.column('date').doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [kind, entries] of Object.entries(DICTIONARIES)) {
    await db
      .deleteFrom('dictionaries')
      .where('kind', '=', kind)
      .where(
        'code',
        'in',
        entries.map(([code]) => code),
      )
      .where('updated_at', '=', AT) // only rows nobody has changed since
      .execute();
  }
  for (const [date, kind, note] of CALENDAR) {
    await db
      .deleteFrom('calendar_days')
      .where('date', '=', date)
      .where('kind', '=', kind)
      .where('note', '=', note)
      .execute();
  }
}
