import type { DisclosureMenuMessages, DisclosureMessages } from './disclosure.zh-CN';
import type { Translation } from './types';

/** English — the disclosure feature. */

export const disclosureMenuEn: Translation<DisclosureMenuMessages> = {
  disclosure: 'Public disclosure',
};

const disclosureEn: Translation<DisclosureMessages> = {
  intro:
    'When a unit’s rectification period ends its progress report is drafted; typical problems can be exposed in batches before the investigation ends. Drafts are approved by the leadership, then published with the channels recorded; a withdrawal is logged, never deleted. The public pages show only the fields allowed out.',
  publicSite: 'Open the public site',
  draftDue: 'Draft the due reports',
  drafted: '{{n}} reports drafted',
  newBatch: 'New batch',
  newTypical: 'Add a typical problem',
  tabs: { items: 'Items', batches: 'Batches' },
  search: 'Search title, text or unit',
  allStatuses: 'All statuses',
  allKinds: 'All kinds',
  none: 'No disclosure items yet',
  kind: { report: 'Progress report', typical: 'Typical problem' },
  status: {
    draft: 'Draft',
    submitted: 'Awaiting approval',
    approved: 'Approved',
    published: 'Published',
    withdrawn: 'Withdrawn',
  },
  batchNo: 'Batch {{n}}',
  publishedOn: 'Published {{date}}',
  channelsUsed: 'Channels: {{list}}',
  returned: 'Returned: {{note}}',
  withdrawnBy: 'Withdrawn by {{who}} on {{date}}: {{reason}}',
  act: {
    edit: 'Edit',
    submit: 'Submit',
    approve: 'Approve',
    return: 'Return',
    publish: 'Publish',
    channel: 'Record channel',
    withdraw: 'Withdraw',
    view: 'Public page',
    refresh: 'Refresh figures',
  },
  saved: 'Saved',
  fields: {
    titleHans: 'Title (简体)',
    titleHant: 'Title (繁體)',
    bodyHans: 'Public text (简体)',
    bodyHant: 'Public text (繁體)',
    hantHint: 'Left empty, it is converted from 简体 by the table; edit it afterwards',
    persons: 'People concerned',
    personName: 'Name',
    personPost: 'Post',
    personRank: 'Rank',
    addPerson: 'Add a person',
    internalNote: 'Internal note (never public)',
    batch: 'Batch',
    noBatch: 'No batch',
    problem: 'Problem',
    problemSearch: 'Search by description or unit',
    reason: 'Reason',
    publishedOn: 'Publication date',
    channels: 'Channels',
    channel: 'Channel',
    channelDate: 'Date it appeared',
    note: 'Note',
    batchTitleHans: 'Batch title (简体)',
    batchTitleHant: 'Batch title (繁體)',
  },
  rank: {
    staff: 'Staff',
    section: 'Section level',
    county: 'County level',
    bureau: 'Bureau level',
    province: 'Province level',
  },
  batch: {
    items: '{{n}} items, {{p}} published',
    submitAll: 'Submit all',
    approveAll: 'Approve all',
    publishAll: 'Publish all',
    changed: '{{n}} items done',
    none: 'No batches yet',
  },
  settings: {
    title: 'Public disclosure',
    channels: 'Channels',
    channelsHint: 'e.g. 日报, 网站, 党风廉政网',
    publishAmounts: 'Publish amounts (yuan)',
    nameRankFrom: 'Lowest rank whose names are published',
    nameRankHint: 'Below it only the surname is shown (张某)',
  },
};

export default disclosureEn;
