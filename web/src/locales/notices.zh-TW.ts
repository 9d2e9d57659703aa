import type { NoticesMenuMessages, NoticesMessages } from './notices.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the notices feature. */

export const noticesMenuZhTW: Translation<NoticesMenuMessages> = {
  notices: '通知提醒',
};

const noticesZhTW: Translation<NoticesMessages> = {};

export default noticesZhTW;
