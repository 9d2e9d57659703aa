/**
 * 问题线索 (SPEC §2, M9 / issue 5): confidential problem clues the inspection office finds in a round
 * and sends (移送) to a discipline organ (纪委监委监督检查室、派驻纪检监察组), the organisation department
 * or a functional department. The receiving body signs for it (签收) and disposes of it according to
 * the rules (按规定处置). Only the sending office and the receiving body ever see a clue.
 */

/** 已移送 → 已签收 → 已处置; a disposed clue is final. */
export const CLUE_STATUSES = ['sent', 'received', 'disposed'] as const;
export type ClueStatus = (typeof CLUE_STATUSES)[number];

export const CLUE_ACTIONS = ['receive', 'dispose'] as const;
export type ClueAction = (typeof CLUE_ACTIONS)[number];

/** The one transition each action makes, from the one state it is allowed in. */
export const CLUE_ACTION_TRANSITIONS: Record<ClueAction, { from: ClueStatus; to: ClueStatus }> = {
  receive: { from: 'sent', to: 'received' },
  dispose: { from: 'received', to: 'disposed' },
};

/** The status after `action`, or null when the action is not allowed in `status`. */
export function clueNext(status: ClueStatus, action: ClueAction): ClueStatus | null {
  const t = CLUE_ACTION_TRANSITIONS[action];
  return t.from === status ? t.to : null;
}

/**
 * 处置方式: the ways a discipline organ disposes of a clue (《中国共产党纪律检查机关监督执纪工作规则》
 * 第二十一条: 谈话函询、初步核实、暂存待查、予以了结), plus 立案审查 when it goes straight to a case and
 * 转组织处理 when the organisation department or a functional department takes it up.
 */
export const CLUE_DISPOSAL_KINDS = [
  'inquiry', // 谈话函询
  'preliminary_verification', // 初步核实
  'case_review', // 立案审查调查
  'shelved', // 暂存待查
  'concluded', // 予以了结
  'organisational', // 组织处理 / 转有关部门处理
] as const;
export type ClueDisposalKind = (typeof CLUE_DISPOSAL_KINDS)[number];

export const CLUE_DISPOSAL_LABELS: Record<ClueDisposalKind, { 'zh-CN': string; 'zh-TW': string; en: string }> = {
  inquiry: { 'zh-CN': '谈话函询', 'zh-TW': '談話函詢', en: 'Talk or written inquiry' },
  preliminary_verification: { 'zh-CN': '初步核实', 'zh-TW': '初步核實', en: 'Preliminary verification' },
  case_review: { 'zh-CN': '立案审查调查', 'zh-TW': '立案審查調查', en: 'Case opened' },
  shelved: { 'zh-CN': '暂存待查', 'zh-TW': '暫存待查', en: 'Kept for later' },
  concluded: { 'zh-CN': '予以了结', 'zh-TW': '予以了結', en: 'Concluded' },
  organisational: { 'zh-CN': '组织处理', 'zh-TW': '組織處理', en: 'Organisational handling' },
};

/** Where the office came by the clue during the round. */
export const CLUE_SOURCES = [
  'talk', // 个别谈话
  'petition', // 来信来访、举报
  'documents', // 调阅资料、查阅账目
  'inspection', // 下沉了解、实地检查
  'audit', // 专项检查、审计
  'other',
] as const;
export type ClueSource = (typeof CLUE_SOURCES)[number];

/** Organisation types that may receive a clue: supervising bodies (监督检查室、派驻组、组织部、职能部门) and the 党风政风室. */
export const CLUE_RECEIVER_ORG_TYPES = ['supervisor', 'discipline_office'] as const;
