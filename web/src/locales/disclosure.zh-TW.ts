import type { DisclosureMenuMessages, DisclosureMessages } from './disclosure.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the disclosure feature. */

export const disclosureMenuZhTW: Translation<DisclosureMenuMessages> = {
  disclosure: '整改公開',
};

const disclosureZhTW: Translation<DisclosureMessages> = {
  intro:
    '整改期滿後起草整改進展情況通報；典型問題可分批先行曝光（先曝光、後查處）。草稿報領導審批後發布，記錄發布管道；撤回留痕，不刪除。公開頁面只顯示允許公開的欄位。',
  publicSite: '查看公開網站',
  draftDue: '起草到期報告',
  drafted: '已起草 {{n}} 份報告',
  newBatch: '新建批次',
  newTypical: '新增典型問題',
  tabs: { items: '公開事項', batches: '批次' },
  search: '搜尋標題、正文或單位',
  allStatuses: '全部狀態',
  allKinds: '全部類別',
  none: '暫無公開事項',
  kind: { report: '整改進展情況', typical: '典型問題' },
  status: { draft: '草稿', submitted: '待審批', approved: '已審批', published: '已發布', withdrawn: '已撤回' },
  batchNo: '第{{n}}批',
  publishedOn: '發布日期：{{date}}',
  channelsUsed: '發布管道：{{list}}',
  returned: '退回意見：{{note}}',
  withdrawnBy: '{{who}} 於 {{date}} 撤回：{{reason}}',
  act: {
    edit: '編輯',
    submit: '報審',
    approve: '批准',
    return: '退回',
    publish: '發布',
    channel: '記錄管道',
    withdraw: '撤回',
    view: '公開頁',
    refresh: '更新數據',
  },
  saved: '已儲存',
  fields: {
    titleHans: '標題（简体）',
    titleHant: '標題（繁體）',
    bodyHans: '公開正文（简体）',
    bodyHant: '公開正文（繁體）',
    hantHint: '留空則按簡繁對照表自動產生，可再修改',
    persons: '涉及人員',
    personName: '姓名',
    personPost: '職務',
    personRank: '職級',
    addPerson: '新增人員',
    internalNote: '內部備註（不公開）',
    batch: '批次',
    noBatch: '不分批',
    problem: '問題',
    problemSearch: '按問題描述或單位搜尋',
    reason: '原因',
    publishedOn: '發布日期',
    channels: '發布管道',
    channel: '管道',
    channelDate: '見報／上網日期',
    note: '備註',
    batchTitleHans: '批次標題（简体）',
    batchTitleHant: '批次標題（繁體）',
  },
  rank: { staff: '科員及以下', section: '鄉科級', county: '縣處級', bureau: '廳局級', province: '省部級' },
  batch: {
    items: '{{n}} 項，已發布 {{p}} 項',
    submitAll: '全部報審',
    approveAll: '全部批准',
    publishAll: '全部發布',
    changed: '已處理 {{n}} 項',
    none: '暫無批次',
  },
  settings: {
    title: '整改公開',
    channels: '發布管道',
    channelsHint: '如：日報、網站、黨風廉政網',
    publishAmounts: '公開金額（元）',
    nameRankFrom: '公開姓名的最低職級',
    nameRankHint: '低於此職級的人員只顯示姓氏（如「張某」）',
  },
};

export default disclosureZhTW;
