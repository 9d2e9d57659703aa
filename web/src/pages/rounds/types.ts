import type { FeedbackRecipientKind, RoundType, RoundUnitStatus } from '../../../../domain/rectification';

/** Shapes of server/src/modules/rounds/rounds.schemas.ts (M2, M3). */

export interface Term {
  id: number;
  number: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export type UnitCounts = { total: number } & Record<RoundUnitStatus, number>;

export interface Round {
  id: number;
  termId: number;
  termNumber: number;
  termName: string;
  number: number;
  name: string;
  type: RoundType;
  onSiteStart: string | null;
  onSiteEnd: string | null;
  notes: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  unitCounts: UnitCounts;
}

export const MEMBER_ROLES = ['leader', 'deputy', 'member', 'liaison'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface TeamMember {
  id: number;
  teamId: number;
  name: string;
  post: string | null;
  memberRole: MemberRole;
  sourceOrgId: number | null;
  sourceOrgName: string | null;
  userId: number | null;
  createdAt: number;
}

export interface Team {
  id: number;
  roundId: number;
  name: string;
  notes: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  members: TeamMember[];
}

export interface RoundUnit {
  id: number;
  roundId: number;
  roundNumber: number;
  roundName: string;
  roundType: RoundType;
  termId: number;
  unitOrgId: number;
  unitName: string;
  teamId: number | null;
  teamName: string | null;
  status: RoundUnitStatus;
  cycle: number;
  feedbackDate: string | null;
  deadline: string | null;
  deadlineOverridden: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface RoundUnitEvent {
  id: number;
  fromStatus: RoundUnitStatus | null;
  toStatus: RoundUnitStatus;
  cycle: number;
  deadline: string | null;
  reason: string | null;
  actorId: number | null;
  actorName: string | null;
  at: number;
}

export interface Feedback {
  id: number;
  roundUnitId: number;
  title: string | null;
  body: string;
  deliveredOn: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface FeedbackCopy {
  id: number;
  roundUnitId: number;
  recipientKind: FeedbackRecipientKind;
  recipientOrgId: number | null;
  recipientOrgName: string | null;
  recipientName: string | null;
  sentAt: number | null;
  receivedAt: number | null;
  note: string | null;
  version: number;
  createdAt: number;
}

export interface DistributeResult {
  created: FeedbackCopy[];
  skipped: FeedbackRecipientKind[];
  missing: FeedbackRecipientKind[];
  copies: FeedbackCopy[];
}

export interface TalkReport {
  id: number;
  roundUnitId: number;
  sentToOrgId: number | null;
  sentToOrgName: string | null;
  summary: string | null;
  sentAt: number | null;
  receivedAt: number | null;
  version: number;
  createdAt: number;
}

export interface Briefing {
  id: number;
  roundUnitId: number;
  teamId: number | null;
  teamName: string | null;
  supervisorOrgId: number;
  supervisorOrgName: string;
  content: string;
  givenOn: string | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: number;
}

export interface RoundUnitDetail extends RoundUnit {
  round: Round;
  team: Team | null;
  feedback: Feedback | null;
  copies: FeedbackCopy[];
  talkReports: TalkReport[];
  briefings: Briefing[];
  history: RoundUnitEvent[];
  allowedTransitions: RoundUnitStatus[];
}
