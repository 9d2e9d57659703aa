import type { Locator, Page } from 'playwright-core';

/**
 * antd puts a space between two CJK characters of a button ("登 录"); match either way. An icon's
 * label may come first ("search 搜 索", "loading 验 证" while its motion ends).
 */
export function spaced(text: string): RegExp {
  const escaped = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(^|\\s)${escaped.join('\\s*')}\\s*$`);
}

export function button(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('button', { name: spaced(text) });
}

/** The open dropdown of an antd Select / TreeSelect. */
export function openDropdown(page: Page): Locator {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
}

/** Picks an option of an antd Select by its visible label. */
export async function pickOption(page: Page, select: Locator, label: string) {
  // The select's own box: it shows the picked label once the pick took.
  const box = select.locator(
    'xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  for (let attempt = 1; ; attempt++) {
    // Open the dropdown unless it is open already (a click on the select would close it again).
    const dropdown = openDropdown(page);
    if (!(await dropdown.isVisible().catch(() => false))) await select.click();
    const option = dropdown.locator('.ant-select-item-option').filter({ hasText: label }).first();
    // Under load the dropdown can close while its opening animation runs (seen in CI: the option
    // "not visible" for 30 s): open it again rather than wait for an option that is gone.
    const clicked = await option.click({ timeout: 10_000 }).then(
      () => true,
      (e: unknown) => {
        if (attempt >= 3) throw e;
        return false;
      },
    );
    if (!clicked) continue;
    // A click that lands while the dropdown is still opening can be lost (seen once in CI under
    // load: the form then refused to save): check the pick took, and pick again if not.
    if (!(await box.count())) return;
    const took = await box
      .first()
      .filter({ hasText: label })
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (took || attempt >= 3) return;
  }
}

/** Picks a node of an antd TreeSelect by its title. */
export async function pickTreeNode(page: Page, select: Locator, title: string) {
  await select.click();
  await openDropdown(page).locator(`.ant-select-tree-node-content-wrapper[title="${title}"]`).first().click();
}

/** Waits for the next response of an API path (a string contained in the URL) while doing `act`. */
export async function withResponse(page: Page, urlPart: string, act: () => Promise<void>) {
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes(urlPart)), act()]);
  return res;
}
