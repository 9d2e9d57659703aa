/** 简体中文 — the disclosure feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const disclosureMenuZhCN = {
  disclosure: '整改公开',
};

const disclosureZhCN = {
  intro:
    '整改期满后起草整改进展情况通报；典型问题可分批先行曝光（先曝光、后查处）。草稿报领导审批后发布，记录发布渠道；撤回留痕，不删除。公开页面只显示允许公开的字段。',
  publicSite: '查看公开网站',
  draftDue: '起草到期报告',
  drafted: '已起草 {{n}} 份报告',
  newBatch: '新建批次',
  newTypical: '新增典型问题',
  tabs: { items: '公开事项', batches: '批次' },
  search: '搜索标题、正文或单位',
  allStatuses: '全部状态',
  allKinds: '全部类别',
  none: '暂无公开事项',
  kind: { report: '整改进展情况', typical: '典型问题' },
  status: { draft: '草稿', submitted: '待审批', approved: '已审批', published: '已发布', withdrawn: '已撤回' },
  batchNo: '第{{n}}批',
  publishedOn: '发布日期：{{date}}',
  channelsUsed: '发布渠道：{{list}}',
  returned: '退回意见：{{note}}',
  withdrawnBy: '{{who}} 于 {{date}} 撤回：{{reason}}',
  act: {
    edit: '编辑',
    submit: '报审',
    approve: '批准',
    return: '退回',
    publish: '发布',
    channel: '记录渠道',
    withdraw: '撤回',
    view: '公开页',
    refresh: '更新数据',
  },
  saved: '已保存',
  fields: {
    titleHans: '标题（简体）',
    titleHant: '标题（繁體）',
    bodyHans: '公开正文（简体）',
    bodyHant: '公开正文（繁體）',
    hantHint: '留空则按简繁对照表自动生成，可再修改',
    persons: '涉及人员',
    personName: '姓名',
    personPost: '职务',
    personRank: '职级',
    addPerson: '添加人员',
    internalNote: '内部备注（不公开）',
    batch: '批次',
    noBatch: '不分批',
    problem: '问题',
    problemSearch: '按问题描述或单位搜索',
    reason: '原因',
    publishedOn: '发布日期',
    channels: '发布渠道',
    channel: '渠道',
    channelDate: '见报/上网日期',
    note: '备注',
    batchTitleHans: '批次标题（简体）',
    batchTitleHant: '批次标题（繁體）',
  },
  rank: { staff: '科员及以下', section: '乡科级', county: '县处级', bureau: '厅局级', province: '省部级' },
  batch: {
    items: '{{n}} 项，已发布 {{p}} 项',
    submitAll: '全部报审',
    approveAll: '全部批准',
    publishAll: '全部发布',
    changed: '已处理 {{n}} 项',
    none: '暂无批次',
  },
  settings: {
    title: '整改公开',
    channels: '发布渠道',
    channelsHint: '如：日报、网站、党风廉政网',
    publishAmounts: '公开金额（元）',
    nameRankFrom: '公开姓名的最低职级',
    nameRankHint: '低于此职级的人员只显示姓氏（如“张某”）',
  },
};

export default disclosureZhCN;
export type DisclosureMessages = typeof disclosureZhCN;
export type DisclosureMenuMessages = typeof disclosureMenuZhCN;
