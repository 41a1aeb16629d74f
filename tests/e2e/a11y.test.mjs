// Accessibility: axe-core finds no WCAG 2 A/AA violation on any page of the console, and the
// sign-in dialog is usable with the keyboard alone.

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
  }));

const accessCode = randomBytes(6).toString('hex');
const guarded = consoleUnderTest({ accessCode });

test('the sign-in dialog passes axe and works with the keyboard alone', () =>
  guarded.withPage(
    async (page) => {
      await page.goto(`${guarded.url}/groups`);
      const code = page.getByLabel('Access code');
      await code.waitFor();
      assert.deepEqual(await violations(page), []);

      // Focus starts in the field; typing and Enter sign in.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'access-code');
      await page.keyboard.type(accessCode);
      await page.keyboard.press('Enter');
      await page.locator('table a[href^="/groups/"]').first().waitFor();
      assert.equal(await page.getByLabel('Access code').count(), 0, 'the dialog is gone');
    },
    { expectedErrors: [/\b401\b/, /unauthori[sz]ed/i] },
  ));

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

    const inDialog = () => page.evaluate(() => Boolean(document.activeElement?.closest('[role="alertdialog"]')));
    // The page behind is inert: Tab cycles through the dialog (and, past its last control, the
    // browser's own UI, which a headless page sees as no element focused).
    const behind = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el && el !== document.body && !el.closest('[role="alertdialog"]') ? el.outerHTML.slice(0, 80) : null;
      });
    assert.ok(await inDialog(), 'focus moves into the dialog');
    let visits = 0;
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press(i < 4 ? 'Tab' : 'Shift+Tab');
      assert.equal(await behind(), null, `Tab ${i + 1} does not reach the page behind the dialog`);
      if (await inDialog()) visits += 1;
    }
    assert.ok(visits >= 4, `Tab keeps returning to the dialog's controls (${visits} of 8)`);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Delete', 'focus is back on Delete');
    assert.equal((await env.api(`/groups/items/${groups[0].id}`)).id, groups[0].id, 'nothing was deleted');
  }));
