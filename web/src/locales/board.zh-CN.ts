/** 简体中文 — the board feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const boardMenuZhCN = {
  board: '整改态势',
};

const boardZhCN = {};

export default boardZhCN;
export type BoardMessages = typeof boardZhCN;
export type BoardMenuMessages = typeof boardMenuZhCN;
