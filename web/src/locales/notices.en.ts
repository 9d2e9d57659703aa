import type { NoticesMenuMessages, NoticesMessages } from './notices.zh-CN';
import type { Translation } from './types';

/** English — the notices feature. */

export const noticesMenuEn: Translation<NoticesMenuMessages> = {
  notices: 'Notices',
};

const noticesEn: Translation<NoticesMessages> = {
  bell: 'Notices ({{count}} unread)',
  mine: 'My notices',
  deliveries: 'Deliveries',
  jobRuns: 'Job runs',
  signs: 'Warning signs',
  unreadOnly: 'Unread only',
  markRead: 'Mark read',
  markAllRead: 'Mark all read',
  markedAll: '{{count}} notices marked read',
  unread: 'Unread',
  read: 'Read',
  open: 'Open',
  empty: 'No notices',
  total: '{{total}} in all, {{unread}} unread',
  kind: {
    deadline: 'Deadline reminder',
    overdue: 'Overdue alert',
    stalled: 'Stalled',
    meeting_missed: 'Meeting overdue',
    warning_signs: 'Warning signs',
    digest: 'Weekly digest',
    other: 'Notice',
  },
  channel: { email: 'E-mail', webhook: 'Webhook (SMS / IM gateway)' },
  status: {
    pending: 'Pending',
    sending: 'Sending',
    sent: 'Sent',
    failed: 'Failed',
    skipped: 'Not sent',
    running: 'Running',
    done: 'Done',
  },
  col: {
    notice: 'Notice',
    recipient: 'Recipient',
    channel: 'Channel',
    status: 'State',
    attempts: 'Attempts',
    nextAttempt: 'Next attempt',
    sentAt: 'Sent at',
    lastError: 'Last error',
    job: 'Job',
    period: 'Period',
    instance: 'Instance',
    startedAt: 'Started',
    finishedAt: 'Finished',
    result: 'Result',
    unit: 'Unit',
    overdue: 'Past the deadline',
    onBooks: 'Left on the books',
    planOnly: 'Plan instead of action',
    routineWork: 'Routine work as rectification (to review)',
  },
  allStatuses: 'All states',
  allChannels: 'All channels',
  retry: 'Send again',
  retried: 'Queued to send again',
  counts: 'Deliveries by state',
  signsHint:
    "The seed's warning signs per unit; 'routine work' counts measures whose progress of the last 7 days looks like routine work — a person should review them.",
  jobsHint:
    'Each job runs once per period across all instances (a lease in the database); periods missed while down are caught up by one run.',
  settings: {
    title: 'Warning chain and digests',
    steps: 'Steps',
    daysBefore: 'Days before the deadline',
    daysBeforeHelp: 'Positive: before the deadline; 0: on the day; negative: days overdue',
    recipient: 'Who is told',
    addStep: 'Add a step',
    recipients: {
      owner: 'Owner',
      leader_in_charge: 'Leader in charge',
      principal: 'Principal leader',
      supervisors: 'Liaison supervisors',
    },
    digestWeekday: 'Weekly digest on',
    dailyAt: 'Daily warnings at',
    onBooksDays: 'Left on the books: overdue by more than (days)',
    routinePhrases: "Phrases that flag 'routine work as rectification'",
    weekdays: {
      d1: 'Monday',
      d2: 'Tuesday',
      d3: 'Wednesday',
      d4: 'Thursday',
      d5: 'Friday',
      d6: 'Saturday',
      d7: 'Sunday',
    },
  },
};

export default noticesEn;
