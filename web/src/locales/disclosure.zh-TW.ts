import type { DisclosureMenuMessages, DisclosureMessages } from './disclosure.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the disclosure feature. */

export const disclosureMenuZhTW: Translation<DisclosureMenuMessages> = {
  disclosure: '整改公開',
};

const disclosureZhTW: Translation<DisclosureMessages> = {};

export default disclosureZhTW;
