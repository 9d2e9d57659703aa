import type { BoardMenuMessages, BoardMessages } from './board.zh-CN';
import type { Translation } from './types';

/** English — the board feature. */

export const boardMenuEn: Translation<BoardMenuMessages> = {
  board: 'Rectification overview',
};

const boardEn: Translation<BoardMessages> = {};

export default boardEn;
