/** 简体中文 — the disclosure feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const disclosureMenuZhCN = {
  disclosure: '整改公开',
};

const disclosureZhCN = {};

export default disclosureZhCN;
export type DisclosureMessages = typeof disclosureZhCN;
export type DisclosureMenuMessages = typeof disclosureMenuZhCN;
