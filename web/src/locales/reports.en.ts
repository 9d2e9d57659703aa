import type { ReportsMenuMessages, ReportsMessages } from './reports.zh-CN';
import type { Translation } from './types';

/** English — the reports feature. */

export const reportsMenuEn: Translation<ReportsMenuMessages> = {
  reports: 'Reports',
  tasks: 'Time-limited tasks',
};

const reportsEn: Translation<ReportsMessages> = {
  intro:
    'The comprehensive report and the tables are generated from the ledger, never typed twice, over the units you may see.',
  generate: 'Generate a report',
  term: 'Term',
  round: 'Round',
  allTerms: 'All terms',
  allRounds: 'All rounds',
  comprehensive: 'Comprehensive progress report (Word)',
  progressStatistics: 'Progress statistics (Excel)',
  openMeasures: 'Measures in progress (Excel)',
  downloaded: 'Download started',
  tabs: { meetings: 'Three reports', minutes: 'Minutes' },
  meetingKind: {
    leading_group: 'Leading group meeting',
    secretary: "Secretary's special meeting",
    standing_committee: 'Standing committee',
    other: 'Other meeting',
  },
  reportKind: {
    comprehensive: 'Comprehensive progress report',
    progress_statistics: 'Progress statistics',
    open_measures: 'Measures in progress',
  },
  meeting: {
    create: 'Record a report',
    created: 'Report record saved',
    kind: 'Meeting',
    date: 'Meeting date',
    title: 'Subject',
    summary: 'Summary of the meeting',
    report: 'Report presented',
    reportHint: 'When chosen, the headline figures of the selected round are kept as presented',
    figures: 'Figures presented: {{measures}} measures, {{done}} done, rate {{rate}}',
    none: 'No report records yet',
    download: 'Download the report',
  },
  minutes: {
    create: 'Record minutes',
    created: 'Minutes saved; each decision is now a time-limited task',
    kind: 'Meeting',
    date: 'Meeting date',
    docNumber: 'Document number',
    title: 'Title',
    content: 'Minutes',
    decisions: 'Decisions (each becomes a time-limited task)',
    decision: 'Decision {{n}}',
    owner: 'Owning organisation',
    deadline: 'Deadline',
    addDecision: 'Add a decision',
    none: 'No minutes yet',
    tasks: '{{count}} tasks',
  },
  task: {
    intro:
      'Decisions of the standing committee and other meetings, each with a deadline: the follow-up office urges and accepts, the owner reports.',
    status: {
      open: 'Open',
      reported: 'Reported',
      returned: 'Returned',
      closed: 'Closed',
    },
    filterStatus: 'Filter by status',
    overdueOnly: 'Overdue only',
    overdue: 'Overdue',
    owner: 'Owner: {{org}}',
    ownerPerson: 'Person: {{name}}',
    deadline: 'Due {{date}}',
    from: 'From: {{title}}',
    urged: 'Urged {{count}} times',
    urge: 'Urge',
    urgeNote: 'Message',
    urgedDone: 'Urged',
    report: 'Report done',
    reportText: 'What was done',
    reported: 'Report sent',
    accept: 'Accept and close',
    acceptNote: 'Note',
    accepted: 'Task closed',
    return: 'Return',
    returnNote: 'Reason for returning',
    returned: 'Returned to the owner',
    log: 'Log',
    none: 'No tasks',
    reportTextLabel: 'Reported: {{text}}',
    reviewNoteLabel: 'Review: {{text}}',
    event: {
      urge: 'Urged',
      report: 'Reported',
      return: 'Returned',
      close: 'Closed',
    },
  },
};

export default reportsEn;
