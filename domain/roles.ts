/**
 * Roles of SPEC §2 and the permissions each holds. The server's policy engine and the web menu both
 * read this table, so a permission added here shows up in both places (ant-design-pro access.ts habit).
 */

export const ROLES = [
  'office', // 巡察办 inspection office
  'leader', // 领导小组 / 市委领导 leadership (read-only, approves)
  'unit', // 被巡察单位联络员 unit liaison
  'unit_head', // 被巡察单位主要负责人 unit head (signs off submissions)
  'supervisor', // 日常监督部门 supervising body
  'discipline', // 纪委监委党风政风室 discipline office
  'followup', // 市委督查室 follow-up office
  'sysadmin', // 系统管理员 (三员分立)
  'secadmin', // 安全管理员 (三员分立)
  'auditor', // 审计管理员 (三员分立)
] as const;
export type Role = (typeof ROLES)[number];

/** 三员分立: the three administrators; none of them reads business records by virtue of the role. */
export const ADMIN_ROLES: readonly Role[] = ['sysadmin', 'secadmin', 'auditor'];

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'org.import',
  'liaison.read',
  'liaison.write',
  'user.read',
  'user.write',
  'user.import',
  'dict.read',
  'dict.write',
  'calendar.read',
  'calendar.write',
  'settings.system', // SMTP, webhook, general settings (系统管理员)
  'settings.security', // password policy, lockout, TOTP enforcement (安全管理员)
  'audit.read',
  // Rounds and the ledger (SPEC M2–M5)
  'round.read', // terms, rounds, teams, round-units, feedback in scope
  'round.write', // 巡察办: terms, rounds, teams, units of a round, feedback and its distribution
  'briefing.write', // 巡前情况通报 by the liaison supervisors
  'ledger.read', // 三清单一台账 in scope
  'ledger.write', // problems, responsibility, measures (the unit for its own; the office for all)
  'ledger.import',
  'ledger.export',
  'immediate.propose', // 立行立改: the team proposes
  'immediate.approve', // … the round's leadership approves (报批)
  'immediate.fix', // … the unit fixes and reports
  'immediate.verify', // … the office verifies
  'extension.request', // 延期申请
  'extension.decide',
  'dashboard.read',
  // Progress, evidence and closure (SPEC M6, M7, M18)
  'evidence.upload', // 佐证材料: upload files to a round-unit of one's own
  'progress.write', // the unit's liaison fills in a progress report and sends it for sign-off
  'progress.signoff', // the unit head signs it off (审签), which submits it, or returns it
  'closure.apply', // 申请销号
  'closure.verify', // the office and the liaison supervisor verify an application (对账)
  'closure.decide', // the office closes (已销号) or rejects, and reopens after a 回头看 or complaint
  'recheck.write', // records a re-check after closure (长期坚持 / 建章立制)
  // Day-to-day supervision (SPEC M8–M12)
  'supervision.read', // plans, actions, dispatch orders, meetings in scope (a unit: what is addressed to it)
  'supervision.write', // supervision plans and milestones, actions (督办、监察建议书…), 派单, 沟通会 records
  'supervision.respond', // the unit answers an action or a dispatch item
  'handover.send', // 巡察办 hands long-term / unrectified problems to the 党风政风室 (M9)
  'handover.process', // 党风政风室 accepts, dispatches to supervision offices, closes; offices keep their ledger
  'clue.send', // 问题线索: the office sends a confidential clue
  'clue.receive', // the receiving body reads (audited), records receipt and 按规定处置
  'meeting.write', // 整改专题民主生活会: the unit's plan, report, date held, outcomes
  'meeting.supervise', // discipline commission / organisation department: attendance, guidance notes
  'accountability.read', // 约谈、问责… and a leading cadre's record
  'accountability.write',
  // Evaluation and grading (SPEC M11)
  'survey.read', // 满意度测评 results
  'survey.write', // questionnaires and batches of one-time codes
  'evaluation.read', // special checks, scores and grades in scope (a unit: its own)
  'evaluation.write', // the check team: check records, scores, grade, 重新整改, annual export
  'evaluation.opinion', // 汇商会: a liaison supervisor gives its opinion on a unit
  // Reports, notices and follow-up (SPEC M13, M14, M18)
  'report.read', // 综合报告 and statistics tables, 三个汇报 records, minutes and their tasks
  'report.write', // the office records 三个汇报 and standing-committee minutes, turns decisions into tasks
  'task.follow', // 督查室 follows 限时办结 tasks: urges, accepts, closes
  'notice.manage', // the warning chain's runs and every notice's delivery state
  // Public disclosure (SPEC M15)
  'disclosure.read',
  'disclosure.write', // the office drafts, records channels, withdraws
  'disclosure.approve', // the leadership approves for publication
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_REFERENCE: Permission[] = ['org.read', 'dict.read', 'calendar.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  office: [
    ...READ_REFERENCE,
    'liaison.read',
    'user.read',
    'round.read',
    'round.write',
    'briefing.write',
    'ledger.read',
    'ledger.write',
    'ledger.import',
    'ledger.export',
    'immediate.propose',
    'immediate.verify',
    'extension.decide',
    'dashboard.read',
    'evidence.upload',
    'closure.apply',
    'closure.verify',
    'closure.decide',
    'recheck.write',
    'supervision.read',
    'supervision.write',
    'handover.send',
    'clue.send',
    'clue.receive',
    'meeting.supervise',
    'accountability.read',
    'accountability.write',
    'survey.read',
    'survey.write',
    'evaluation.read',
    'evaluation.write',
    'report.read',
    'report.write',
    'notice.manage',
    'disclosure.read',
    'disclosure.write',
  ],
  leader: [
    ...READ_REFERENCE,
    'liaison.read',
    'round.read',
    'ledger.read',
    'ledger.export',
    'immediate.approve',
    'dashboard.read',
    'supervision.read',
    'accountability.read',
    'survey.read',
    'evaluation.read',
    'report.read',
    'disclosure.read',
    'disclosure.approve',
  ],
  unit: [
    ...READ_REFERENCE,
    'round.read',
    'ledger.read',
    'ledger.write',
    'ledger.import',
    'ledger.export',
    'immediate.fix',
    'extension.request',
    'dashboard.read',
    'evidence.upload',
    'progress.write',
    'closure.apply',
    'supervision.read',
    'supervision.respond',
    'meeting.write',
    'accountability.read',
    'evaluation.read',
    'report.read',
  ],
  unit_head: [
    ...READ_REFERENCE,
    'round.read',
    'ledger.read',
    'ledger.export',
    'extension.request',
    'dashboard.read',
    'progress.signoff',
    'supervision.read',
    'supervision.respond',
    'meeting.write',
    'accountability.read',
    'evaluation.read',
    'report.read',
  ],
  supervisor: [
    ...READ_REFERENCE,
    'liaison.read',
    'round.read',
    'briefing.write',
    'ledger.read',
    'ledger.export',
    'dashboard.read',
    'closure.verify',
    'recheck.write',
    'supervision.read',
    'supervision.write',
    'handover.process',
    'clue.receive',
    'meeting.supervise',
    'accountability.read',
    'accountability.write',
    'evaluation.read',
    'evaluation.opinion',
  ],
  discipline: [
    ...READ_REFERENCE,
    'supervision.read',
    'handover.process',
    'clue.receive',
    'meeting.supervise',
    'accountability.read',
    'accountability.write',
  ],
  followup: [...READ_REFERENCE, 'supervision.read', 'report.read', 'task.follow'],
  // 三员分立. The security administrator keeps who is who and who sees what: accounts, roles,
  // organisations and liaison links (links decide a supervisor's data scope). The system
  // administrator keeps the system: dictionaries, calendar, mail and webhook settings.
  sysadmin: ['org.read', 'dict.read', 'dict.write', 'calendar.read', 'calendar.write', 'settings.system'],
  secadmin: [
    'org.read',
    'org.write',
    'org.import',
    'liaison.read',
    'liaison.write',
    'user.read',
    'user.write',
    'user.import',
    'settings.security',
    'dict.read',
  ],
  auditor: ['audit.read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

/**
 * How much of the organisation tree a role sees of business records (SPEC §2 "sees" column).
 * - all: every round and unit
 * - own: the caller's own organisation and those below it
 * - liaised: units linked to the caller's organisation by a liaison link (联系关系)
 * - none: no business records (三员分立 administrators)
 */
export type ScopeKind = 'all' | 'own' | 'liaised' | 'none';
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  office: 'all',
  leader: 'all',
  unit: 'own',
  unit_head: 'own',
  supervisor: 'liaised',
  discipline: 'own',
  followup: 'own',
  sysadmin: 'none',
  secadmin: 'none',
  auditor: 'none',
};

/** Organisation types of SPEC §2 / M1. */
export const ORG_TYPES = [
  'party_committee', // 党委 (市委、县委)
  'inspection_office', // 巡察机构
  'leadership_group', // 巡察工作领导小组
  'inspected_unit', // 被巡察单位 / 党组织
  'supervisor', // 日常监督部门
  'discipline_office', // 党风政风室
  'followup_office', // 督查室
  'other',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/** A supervisor's line (监督条线): which kind of problems it follows where so configured. */
export const SUPERVISOR_LINES = [
  'discipline', // 纪委监委监督室
  'stationed', // 派驻纪检监察组
  'organisation', // 组织部
  'propaganda', // 宣传部
  'audit', // 审计
  'industry', // 行业主管部门
  'leader', // 分管市领导
] as const;
export type SupervisorLine = (typeof SUPERVISOR_LINES)[number];
