import type { BoardMenuMessages, BoardMessages } from './board.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the board feature. */

export const boardMenuZhTW: Translation<BoardMenuMessages> = {
  board: '整改態勢',
};

const boardZhTW: Translation<BoardMessages> = {};

export default boardZhTW;
