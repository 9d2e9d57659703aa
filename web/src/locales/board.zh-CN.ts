/** 简体中文 — the board feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const boardMenuZhCN = {
  board: '整改态势',
};

const boardZhCN = {
  intro: '数着改：按届次、轮次、单位、问题类别查看整改数据；点击任一数字或图形，查看其背后的台账明细。',
  allTerms: '全部届次',
  allRounds: '全部轮次',
  allUnits: '全部单位',
  allCategories: '全部类别',
  term: '届次',
  round: '轮次',
  unit: '单位',
  category: '问题类别',
  openScreen: '大屏展示',
  scope: '数据范围：{{scope}}',
  scopeAll: '全部单位',
  scopeOwn: '本人可见范围',
  figures: {
    units: '被巡察单位',
    unitsSuffix: '个',
    problems: '问题',
    problemsSuffix: '个',
    measures: '整改措施',
    measuresSuffix: '条',
    done: '已完成',
    rate: '整改率',
    problemRate: '问题整改率 {{rate}}',
    overdue: '逾期未完成',
    rules: '建立完善制度',
    rulesSuffix: '项',
    funds: '退缴违规资金',
    losses: '挽回经济损失',
    people: '问责人数',
    cases: '立案',
  },
  charts: {
    byStatus: '整改措施状态分布',
    byCategory: '各类问题整改情况',
    ranking: '单位整改率排名',
    trend: '整改进度趋势',
    completed: '当月完成',
    due: '当月到期',
    cumulativeRate: '累计整改率',
    done: '已完成',
    open: '未完成（未逾期）',
    overdue: '逾期',
    rate: '整改率',
    noData: '暂无数据',
  },
  ranking: {
    top: '前 {{n}} 名',
    bottom: '后 {{n}} 名',
    allLights: '全部',
    title: '单位排名与红黄绿灯',
    rank: '名次',
    unit: '单位',
    light: '亮灯',
    rate: '整改率',
    measures: '完成/措施',
    overdue: '逾期',
    dueSoon: '临期',
    stalled: '停滞',
    lights: '红灯 {{red}} · 黄灯 {{yellow}} · 绿灯 {{green}}',
    empty: '所选范围内没有单位',
  },
  drill: {
    title: '查看台账明细',
    parts: '这个数字由以下台账筛选合计而成，逐项查看：',
    superset: '台账暂不支持按日期筛选，以下为包含这些记录的范围。',
    open: '打开台账',
    hint: '点击查看台账明细',
  },
  screen: {
    title: '巡察整改监督 · 整改态势',
    updated: '更新于 {{time}}',
    refresh: '每 {{seconds}} 秒自动刷新',
    exit: '退出大屏',
    fullscreen: '全屏',
  },
};

export default boardZhCN;
export type BoardMessages = typeof boardZhCN;
export type BoardMenuMessages = typeof boardMenuZhCN;
