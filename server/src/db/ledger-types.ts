import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0003-rounds-ledger (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    terms: TermTable;
    rounds: RoundTable;
    inspectionTeams: InspectionTeamTable;
    teamMembers: TeamMemberTable;
    roundUnits: RoundUnitTable;
    briefings: BriefingTable;
    feedbacks: FeedbackTable;
    feedbackCopies: FeedbackCopyTable;
    talkReports: TalkReportTable;
    campaigns: CampaignTable;
    problems: ProblemTable;
    problemResponsibles: ProblemResponsibleTable;
    measures: MeasureTable;
    immediateItems: ImmediateItemTable;
    deadlineExtensions: DeadlineExtensionTable;
    ledgerSummaries: LedgerSummaryTable;
    ledgerRoundTotals: LedgerRoundTotalTable;
  }
}

interface Stamps {
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface TermTable extends Stamps {
  id: Generated<number>;
  number: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
}

export interface RoundTable extends Stamps {
  id: Generated<number>;
  termId: number;
  number: number;
  name: string;
  type: string;
  onSiteStart: string | null;
  onSiteEnd: string | null;
  notes: string | null;
}

export interface InspectionTeamTable extends Stamps {
  id: Generated<number>;
  roundId: number;
  name: string;
  notes: string | null;
}

export interface TeamMemberTable {
  id: Generated<number>;
  teamId: number;
  name: string;
  post: string | null;
  memberRole: string;
  sourceOrgId: number | null;
  userId: number | null;
  createdAt: number;
}

export interface RoundUnitTable extends Stamps {
  id: Generated<number>;
  roundId: number;
  termId: number;
  unitOrgId: number;
  teamId: number | null;
  status: string;
  cycle: number;
  feedbackDate: string | null;
  deadline: string | null;
  deadlineOverridden: number;
  /** 1 while the round-unit has a summary row (a problem): kept by SummaryRepository.recount. */
  hasProblems: Generated<number>;
  /** Moves with every change the unit figures of /dashboard/units depend on (triggers; migration 2026-11-28T0003). */
  ledgerEpoch: Generated<number>;
}

export interface BriefingTable {
  id: Generated<number>;
  roundUnitId: number;
  teamId: number | null;
  supervisorOrgId: number;
  content: string;
  givenOn: string | null;
  createdBy: number | null;
  createdAt: number;
}

export interface FeedbackTable extends Stamps {
  id: Generated<number>;
  roundUnitId: number;
  title: string | null;
  body: string;
  deliveredOn: string | null;
}

export interface FeedbackCopyTable {
  id: Generated<number>;
  roundUnitId: number;
  recipientKind: string;
  recipientOrgId: number | null;
  recipientName: string | null;
  sentAt: number | null;
  receivedAt: number | null;
  note: string | null;
  version: number;
  createdAt: number;
}

export interface TalkReportTable {
  id: Generated<number>;
  roundUnitId: number;
  sentToOrgId: number | null;
  summary: string | null;
  sentAt: number | null;
  receivedAt: number | null;
  version: number;
  createdAt: number;
}

export interface CampaignTable extends Stamps {
  id: Generated<number>;
  name: string;
  categoryCode: string | null;
  description: string | null;
}

export interface ProblemTable extends Stamps {
  id: Generated<number>;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  campaignId: number | null;
  seq: number;
  number: string;
  categoryCode: string;
  description: string;
  source: string;
  severity: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  measureCount: number;
  doneCount: number;
}

export interface ProblemResponsibleTable {
  id: Generated<number>;
  problemId: number;
  name: string;
  post: string | null;
  duty: string; // first | shared
  userId: number | null;
}

export interface MeasureTable extends Stamps {
  id: Generated<number>;
  problemId: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  categoryCode: string;
  seq: number;
  content: string;
  type: string;
  status: string;
  isDone: number;
  deadline: string;
  extendedDeadline: string | null;
  effectiveDeadline: string;
  ownerName: string | null;
  ownerUserId: number | null;
  completedOn: string | null;
  rulesEstablished: number;
  fundsReturnedFen: number | string; // bigint: pg may hand back a string
  lossesRecoveredFen: number | string;
  peopleHeldAccountable: number;
  casesFiled: number;
  lastProgressAt: number | null;
}

export interface ImmediateItemTable extends Stamps {
  id: Generated<number>;
  roundUnitId: number;
  unitOrgId: number;
  problemId: number | null;
  content: string;
  status: string;
  proposedBy: number | null;
  proposedAt: number | null;
  approvedBy: number | null;
  approvedAt: number | null;
  approvalNote: string | null;
  fixedBy: number | null;
  fixedAt: number | null;
  fixReport: string | null;
  verifiedBy: number | null;
  verifiedAt: number | null;
  verifyNote: string | null;
}

export interface DeadlineExtensionTable extends Stamps {
  id: Generated<number>;
  measureId: number;
  unitOrgId: number;
  previousDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: string;
  requestedBy: number | null;
  requestedAt: number;
  decidedBy: number | null;
  decidedAt: number | null;
  decisionNote: string | null;
}

export interface LedgerSummaryTable {
  roundUnitId: number;
  categoryCode: string;
  roundId: number;
  termId: number;
  unitOrgId: number;
  problemCount: number;
  rectifiedProblemCount: number;
  measureCount: number;
  doneCount: number;
  closedCount: number;
  notStartedCount: number | string;
  inProgressCount: number | string;
  completedCount: number | string;
  closureRequestedCount: number | string;
  rulesEstablished: number | string;
  fundsReturnedFen: number | string;
  lossesRecoveredFen: number | string;
  peopleHeldAccountable: number | string;
  casesFiled: number | string;
}

/** ledger_summaries summed per round and category (the figures of whole terms and rounds). */
export interface LedgerRoundTotalTable {
  roundId: number;
  categoryCode: string;
  termId: number;
  problemCount: number | string;
  rectifiedProblemCount: number | string;
  measureCount: number | string;
  doneCount: number | string;
  closedCount: number | string;
  notStartedCount: number | string;
  inProgressCount: number | string;
  completedCount: number | string;
  closureRequestedCount: number | string;
  rulesEstablished: number | string;
  fundsReturnedFen: number | string;
  lossesRecoveredFen: number | string;
  peopleHeldAccountable: number | string;
  casesFiled: number | string;
}
