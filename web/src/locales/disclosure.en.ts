import type { DisclosureMenuMessages, DisclosureMessages } from './disclosure.zh-CN';
import type { Translation } from './types';

/** English — the disclosure feature. */

export const disclosureMenuEn: Translation<DisclosureMenuMessages> = {
  disclosure: 'Public disclosure',
};

const disclosureEn: Translation<DisclosureMessages> = {};

export default disclosureEn;
