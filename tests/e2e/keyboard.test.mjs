// The keyboard alone, with sign-in off: from the groups list to "New group", a name and a setting
// typed, saved with Enter, the new group shown; every focused control shows its focus ring, and
// the save is announced in a live region.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { consoleUnderTest } from './lib/harness.mjs';

const env = consoleUnderTest();

/** What has the focus: its tag, label-ish name, and whether a focus ring is drawn around it. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const labels = element.labels ? [...element.labels].map((l) => l.textContent.trim()) : [];
    return {
      tag: element.tagName.toLowerCase(),
      name: (labels[0] ?? element.getAttribute('aria-label') ?? element.textContent ?? '').trim(),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches, checking each one's focus ring. */
async function tabTo(page, matches, { back = false, bound = 60 } = {}) {
  for (let i = 0; i < bound; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now === null) continue;
    assert.ok(now.ring, `the focused ${now.tag} "${now.name}" shows a focus ring`);
    if (matches(now)) return now;
  }
  assert.fail(`nothing matching was reached within ${bound} presses`);
}

test('a group is created with the keyboard alone, with visible focus and an announced save', () =>
  env.withPage(async (page) => {
    await page.goto(`${env.url}/groups`);
    await page.locator('table a[href^="/groups/"]').first().waitFor();

    await tabTo(page, (f) => f.tag === 'a' && f.name === 'New group');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/groups\/new$/);
    await page.getByLabel('Keepalive interval').waitFor();

    await tabTo(page, (f) => f.tag === 'input' && f.name.startsWith('Name'));
    await page.keyboard.type('e2e-keyboard');
    await tabTo(page, (f) => f.tag === 'input' && f.name.startsWith('Keepalive interval'));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('45');
    // Back to the name and forth again: Shift+Tab works too and loses nothing typed.
    await tabTo(page, (f) => f.tag === 'input' && f.name.startsWith('Name'), { back: true });
    assert.equal(await page.getByLabel('Name').inputValue(), 'e2e-keyboard');
    await tabTo(page, (f) => f.tag === 'button' && f.name === 'Save');
    await page.keyboard.press('Enter');

    const live = page.locator('[role="status"][aria-live="polite"].toasts');
    await live.getByText(/e2e-keyboard/).waitFor();
    await page.waitForURL(/\/groups\/\d+$/);
    await page.locator('h1', { hasText: 'e2e-keyboard' }).waitFor();
    const { items } = await env.api('/groups');
    const created = items.find((g) => g.name === 'e2e-keyboard');
    assert.ok(created, 'the controller holds the new group');
    assert.equal(created.keepalive_interval, 45);
    assert.match(page.url(), new RegExp(`/groups/${created.id}$`));
  }));
