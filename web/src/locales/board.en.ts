import type { BoardMenuMessages, BoardMessages } from './board.zh-CN';
import type { Translation } from './types';

/** English — the board feature. */

export const boardMenuEn: Translation<BoardMenuMessages> = {
  board: 'Rectification overview',
};

const boardEn: Translation<BoardMessages> = {
  intro:
    'Counting the rectification: figures by term, round, unit and problem category. Click any number or chart to see the ledger rows behind it.',
  allTerms: 'All terms',
  allRounds: 'All rounds',
  allUnits: 'All units',
  allCategories: 'All categories',
  term: 'Term',
  round: 'Round',
  unit: 'Unit',
  category: 'Problem category',
  openScreen: 'Wall display',
  scope: 'Scope: {{scope}}',
  scopeAll: 'all units',
  scopeOwn: 'what you may see',
  figures: {
    units: 'Inspected units',
    unitsSuffix: '',
    problems: 'Problems',
    problemsSuffix: '',
    measures: 'Measures',
    measuresSuffix: '',
    done: 'Done',
    rate: 'Rectification rate',
    problemRate: 'Problems rectified {{rate}}',
    overdue: 'Overdue',
    rules: 'Rules established',
    rulesSuffix: '',
    funds: 'Improper funds returned',
    losses: 'Losses recovered',
    people: 'People held accountable',
    cases: 'Cases filed',
  },
  charts: {
    byStatus: 'Measures by status',
    byCategory: 'By problem category',
    ranking: 'Units by rectification rate',
    trend: 'Progress over time',
    completed: 'Completed in month',
    due: 'Due in month',
    cumulativeRate: 'Cumulative rate',
    done: 'Done',
    open: 'Open, on time',
    overdue: 'Overdue',
    rate: 'Rate',
    noData: 'No data',
  },
  ranking: {
    top: 'Top {{n}}',
    bottom: 'Bottom {{n}}',
    allLights: 'All',
    title: 'Unit ranking and lights',
    rank: 'Rank',
    unit: 'Unit',
    light: 'Light',
    rate: 'Rate',
    measures: 'Done/measures',
    overdue: 'Overdue',
    dueSoon: 'Due soon',
    stalled: 'Stalled',
    lights: 'Red {{red}} · Yellow {{yellow}} · Green {{green}}',
    empty: 'No units in this selection',
  },
  drill: {
    title: 'Ledger rows behind this number',
    parts: 'This number adds up these ledger views; open each:',
    superset: 'The ledger cannot filter by date yet: these views contain the rows counted.',
    open: 'Open the ledger',
    hint: 'Click to see the ledger rows',
  },
  screen: {
    title: 'Rectification supervision · overview',
    updated: 'Updated {{time}}',
    refresh: 'Refreshes every {{seconds}} s',
    exit: 'Leave the wall display',
    fullscreen: 'Full screen',
  },
};

export default boardEn;
