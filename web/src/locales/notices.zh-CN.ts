/** 简体中文 — the notices feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const noticesMenuZhCN = {
  notices: '通知提醒',
};

const noticesZhCN = {};

export default noticesZhCN;
export type NoticesMessages = typeof noticesZhCN;
export type NoticesMenuMessages = typeof noticesMenuZhCN;
