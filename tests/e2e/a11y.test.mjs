// Accessibility: axe-core finds no WCAG 2 A/AA violation on any page of the console; the sign-in
// dialog and the delete confirmation keep focus inside and give it back; "Skip to content" is the
// first stop of the keyboard.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { appliancePath, consoleUnderTest } from './lib/harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RULES = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

const env = consoleUnderTest();

/** Runs axe on the page as it is and returns its violations, each with the offending nodes. */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not stand in the way.
  await page.evaluate(AXE);
  const result = await page.evaluate((rules) => window.axe.run(document, rules), RULES);
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
}

async function settled(page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  await page.waitForFunction(() =>
    [...document.querySelectorAll('figure.chart canvas')].every((c) => c.dataset.state !== 'pending'),
  );
}

test('every page has no axe violations', () =>
  env.withPage(async (page) => {
    const { items: groups } = await env.api('/groups');
    const { items: appliances } = await env.api('/appliances');
    const paths = [
      '/groups',
      '/appliances',
      ...groups.map((g) => `/groups/${g.id}`),
      '/groups/new',
      `/groups/${groups[0].id}/edit`,
      appliancePath(appliances[0].serial),
      '/membership',
      '/appliances?q=core&sort=serial',
      '/no/such/page',
    ];
    const found = {};
    for (const path of paths) {
      await page.goto(`${env.url}${path}`);
      await settled(page);
      const problems = await violations(page);
      if (problems.length > 0) found[path] = problems;
    }
    assert.deepEqual(found, {}, `axe violations:\n${JSON.stringify(found, null, 2)}`);
  }));

test('each page says where the user is in its title', () =>
  env.withPage(async (page) => {
    const { items: groups } = await env.api('/groups');
    await page.goto(`${env.url}/groups/${groups[0].id}`);
    await settled(page);
    assert.match(await page.title(), new RegExp(groups[0].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.goto(`${env.url}/appliances`);
    await settled(page);
    assert.match(await page.title(), /^Appliances\b/);
    for (const [path, title] of [['/membership', /^Membership\b/], ['/groups/new', /^New group · Groups\b/], [`/groups/${groups[0].id}/edit`, /^Edit /]]) {
      await page.goto(`${env.url}${path}`);
      await settled(page);
      assert.match(await page.title(), title, path);
    }
  }));

test('following a link to another page puts focus on its heading; a new range moves nothing', () =>
  env.withPage(async (page) => {
    const { items: groups } = await env.api('/groups');
    await page.goto(`${env.url}/groups`);
    await settled(page);
    await page.locator(`table a[href="/groups/${groups[0].id}"]`).click();
    await page.waitForFunction((name) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent.includes(name), groups[0].name);
    await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
    const sixHours = page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h' });
    await sixHours.focus();
    await sixHours.click();
    await page.waitForURL(/range=6h/);
    await page.waitForTimeout(200);
    assert.equal(await sixHours.evaluate((b) => b === document.activeElement), true, 'focus stays on the range button');
  }));

const accessCode = randomBytes(6).toString('hex');
const guarded = consoleUnderTest({ accessCode });

/** Whether focus is inside the element matched by `selector`. */
const focusIn = (page, selector) =>
  page.evaluate((sel) => Boolean(document.activeElement?.closest(sel)), selector);

/** What has focus outside `selector`, other than the page itself, or null. */
const focusOutside = (page, selector) =>
  page.evaluate((sel) => {
    const el = document.activeElement;
    return el && el !== document.body && !el.closest(sel) ? el.outerHTML.slice(0, 80) : null;
  }, selector);

/**
 * Presses Tab four times and Shift+Tab four times: focus never reaches the page behind the dialog
 * matched by `selector` (past its last control it may rest on the browser's own UI, which a
 * headless page sees as no element focused), and keeps returning to the dialog's controls.
 */
async function assertFocusTrapped(page, selector) {
  let visits = 0;
  for (let i = 0; i < 8; i += 1) {
    await page.keyboard.press(i < 4 ? 'Tab' : 'Shift+Tab');
    assert.equal(await focusOutside(page, selector), null, `Tab ${i + 1} does not reach the page behind the dialog`);
    if (await focusIn(page, selector)) visits += 1;
  }
  assert.ok(visits >= 4, `Tab keeps returning to the dialog's controls (${visits} of 8)`);
}

test('the sign-in dialog passes axe, keeps focus inside, and works with the keyboard alone', () =>
  guarded.withPage(
    async (page) => {
      await page.goto(`${guarded.url}/groups`);
      const code = page.getByLabel('Access code');
      await code.waitFor();
      const dialog = page.getByRole('dialog', { name: 'Sign in' });
      assert.deepEqual(await violations(page), []);

      // Focus starts in the field and stays in the dialog.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'access-code');
      await assertFocusTrapped(page, 'dialog');

      // A wrong code is refused in an alert, in the dialog, which stays open.
      await code.focus();
      await page.keyboard.type(`${accessCode}x`);
      await page.keyboard.press('Enter');
      const alert = dialog.getByRole('alert');
      await alert.getByText(/\w{3,}/).waitFor();
      assert.deepEqual(await violations(page), [], 'axe with the refusal shown');

      // Escape closes it without breaking the page: a notice says a sign-in is needed, and its
      // button, which has focus, opens the dialog again, with focus in the field.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      const notice = page.locator('.sign-in-needed[role="status"]');
      await notice.getByText('The controller asks for a sign-in').waitFor();
      assert.equal((await page.locator('h1').textContent()).trim(), 'Groups');
      assert.deepEqual(await violations(page), [], 'axe with the notice shown');
      await page.waitForFunction(() => document.activeElement?.closest('.sign-in-needed'));
      await page.keyboard.press('Enter');
      await code.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'access-code');

      // Typing and Enter sign in; the button that opened the dialog is gone, so focus goes to the
      // page's heading.
      await page.keyboard.press('Control+A');
      await page.keyboard.type(accessCode);
      await page.keyboard.press('Enter');
      await page.locator('table a[href^="/groups/"]').first().waitFor();
      assert.equal(await page.getByLabel('Access code').count(), 0, 'the dialog is gone');
      assert.equal(await notice.count(), 0, 'the notice is gone');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus is on the heading');
    },
    { expectedErrors: [/\b401\b/, /unauthori[sz]ed/i] },
  ));

test('the first Tab reaches "Skip to content", shown while focused, and Enter moves focus past the navigation', () =>
  env.withPage(async (page) => {
    await page.goto(`${env.url}/groups`);
    await settled(page);
    const skip = page.getByRole('link', { name: 'Skip to content' });
    const before = await skip.boundingBox();
    assert.ok(before === null || before.y + before.height <= 0, 'out of sight until focused');

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
    const shown = await skip.boundingBox();
    assert.ok(shown && shown.y >= 0 && shown.height > 0, 'in sight while focused');

    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'content');
    assert.match(page.url(), /\/groups$/, 'the address stays');
    await page.keyboard.press('Tab');
    assert.ok(await focusIn(page, 'main'), 'the next Tab stays in the main region');
  }));

test('the delete confirmation keeps focus inside, closes on Escape and gives focus back', () =>
  env.withPage(async (page) => {
    const { items: groups } = await env.api('/groups');
    await page.goto(`${env.url}/groups/${groups[0].id}`);
    await settled(page);
    const open = page.getByRole('button', { name: 'Delete', exact: true });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: /^Delete “/ }).waitFor();
    assert.deepEqual(await violations(page), []);

    assert.ok(await focusIn(page, '[role="alertdialog"]'), 'focus moves into the dialog');
    await assertFocusTrapped(page, '[role="alertdialog"]');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Delete', 'focus is back on Delete');
    assert.equal((await env.api(`/groups/items/${groups[0].id}`)).id, groups[0].id, 'nothing was deleted');
  }));
