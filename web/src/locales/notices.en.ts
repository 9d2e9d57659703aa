import type { NoticesMenuMessages, NoticesMessages } from './notices.zh-CN';
import type { Translation } from './types';

/** English — the notices feature. */

export const noticesMenuEn: Translation<NoticesMenuMessages> = {
  notices: 'Notices',
};

const noticesEn: Translation<NoticesMessages> = {};

export default noticesEn;
