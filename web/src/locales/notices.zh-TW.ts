import type { NoticesMenuMessages, NoticesMessages } from './notices.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the notices feature. */

export const noticesMenuZhTW: Translation<NoticesMenuMessages> = {
  notices: '通知提醒',
};

const noticesZhTW: Translation<NoticesMessages> = {
  bell: '通知（{{count}} 則未讀）',
  mine: '我的通知',
  deliveries: '投遞記錄',
  jobRuns: '任務執行',
  signs: '預警信號',
  unreadOnly: '只看未讀',
  markRead: '標為已讀',
  markAllRead: '全部標為已讀',
  markedAll: '已將 {{count}} 則通知標為已讀',
  unread: '未讀',
  read: '已讀',
  open: '查看',
  empty: '暫無通知',
  total: '共 {{total}} 則，未讀 {{unread}} 則',
  kind: {
    deadline: '期限提醒',
    overdue: '逾期預警',
    stalled: '停滯提示',
    meeting_missed: '民主生活會逾期',
    warning_signs: '預警信號',
    digest: '每週摘要',
    other: '通知',
  },
  channel: { email: '電子郵件', webhook: 'Webhook（簡訊/政務IM閘道）' },
  status: {
    pending: '待傳送',
    sending: '傳送中',
    sent: '已傳送',
    failed: '傳送失敗',
    skipped: '未傳送',
    running: '執行中',
    done: '已完成',
  },
  col: {
    notice: '通知',
    recipient: '接收人',
    channel: '管道',
    status: '狀態',
    attempts: '嘗試次數',
    nextAttempt: '下次嘗試',
    sentAt: '傳送時間',
    lastError: '最近錯誤',
    job: '任務',
    period: '週期',
    instance: '執行實例',
    startedAt: '開始時間',
    finishedAt: '結束時間',
    result: '結果',
    unit: '單位',
    overdue: '整改超規定時限',
    onBooks: '掛賬整改',
    planOnly: '以整改計畫代替落實',
    routineWork: '日常工作代替整改（待核查）',
  },
  allStatuses: '全部狀態',
  allChannels: '全部管道',
  retry: '重新傳送',
  retried: '已重新排隊傳送',
  counts: '投遞統計',
  signsHint:
    '按單位計算的整改預警信號；「日常工作代替整改」為近7天報送內容中疑似以日常工作代替整改的措施，需人工核查。',
  jobsHint: '每個任務每個週期只執行一次（多實例透過資料庫租約爭用）；停機期間錯過的週期在恢復後只補跑一次。',
  settings: {
    title: '預警鏈與摘要',
    steps: '預警步驟',
    daysBefore: '期限前天數',
    daysBeforeHelp: '正數為期限前，0 為當天，負數為逾期天數',
    recipient: '通知對象',
    addStep: '新增步驟',
    recipients: {
      owner: '責任人',
      leader_in_charge: '分管領導',
      principal: '主要負責人',
      supervisors: '聯繫的日常監督部門',
    },
    digestWeekday: '每週摘要傳送日',
    dailyAt: '每日預警時間',
    onBooksDays: '掛賬整改：逾期超過（天）',
    routinePhrases: '「日常工作代替整改」識別詞',
    weekdays: { d1: '週一', d2: '週二', d3: '週三', d4: '週四', d5: '週五', d6: '週六', d7: '週日' },
  },
};

export default noticesZhTW;
