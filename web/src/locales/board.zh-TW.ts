import type { BoardMenuMessages, BoardMessages } from './board.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the board feature. */

export const boardMenuZhTW: Translation<BoardMenuMessages> = {
  board: '整改態勢',
};

const boardZhTW: Translation<BoardMessages> = {
  intro: '數著改：按屆次、輪次、單位、問題類別查看整改數據；點擊任一數字或圖形，查看其背後的台賬明細。',
  allTerms: '全部屆次',
  allRounds: '全部輪次',
  allUnits: '全部單位',
  allCategories: '全部類別',
  term: '屆次',
  round: '輪次',
  unit: '單位',
  category: '問題類別',
  openScreen: '大屏展示',
  scope: '數據範圍：{{scope}}',
  scopeAll: '全部單位',
  scopeOwn: '本人可見範圍',
  figures: {
    units: '被巡察單位',
    unitsSuffix: '個',
    problems: '問題',
    problemsSuffix: '個',
    measures: '整改措施',
    measuresSuffix: '條',
    done: '已完成',
    rate: '整改率',
    problemRate: '問題整改率 {{rate}}',
    overdue: '逾期未完成',
    rules: '建立完善制度',
    rulesSuffix: '項',
    funds: '退繳違規資金',
    losses: '挽回經濟損失',
    people: '問責人數',
    cases: '立案',
  },
  charts: {
    byStatus: '整改措施狀態分佈',
    byCategory: '各類問題整改情況',
    ranking: '單位整改率排名',
    trend: '整改進度趨勢',
    completed: '當月完成',
    due: '當月到期',
    cumulativeRate: '累計整改率',
    done: '已完成',
    open: '未完成（未逾期）',
    overdue: '逾期',
    rate: '整改率',
    noData: '暫無數據',
  },
  ranking: {
    top: '前 {{n}} 名',
    bottom: '後 {{n}} 名',
    allLights: '全部',
    title: '單位排名與紅黃綠燈',
    rank: '名次',
    unit: '單位',
    light: '亮燈',
    rate: '整改率',
    measures: '完成/措施',
    overdue: '逾期',
    dueSoon: '臨期',
    stalled: '停滯',
    lights: '紅燈 {{red}} · 黃燈 {{yellow}} · 綠燈 {{green}}',
    empty: '所選範圍內沒有單位',
  },
  drill: {
    title: '查看台賬明細',
    parts: '這個數字由以下台賬篩選合計而成，逐項查看：',
    superset: '台賬暫不支持按日期篩選，以下為包含這些記錄的範圍。',
    open: '打開台賬',
    hint: '點擊查看台賬明細',
  },
  screen: {
    title: '巡察整改監督 · 整改態勢',
    updated: '更新於 {{time}}',
    refresh: '每 {{seconds}} 秒自動刷新',
    exit: '退出大屏',
    fullscreen: '全螢幕',
  },
};

export default boardZhTW;
