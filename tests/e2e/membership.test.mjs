// Membership, with sign-in off: members added through the picker and removed on a group's page,
// a group left from an appliance's page, the matrix's apply across three groups with one refused
// and its undo, and the appliances list's search and sort kept in the address.
//
// The tests share one controller and change its demo data, so each one works on its own groups
// and appliances and reads what it needs from the API first.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { API_PREFIX, consoleUnderTest } from './lib/harness.mjs';

const env = consoleUnderTest();

// The browser logs every refused request as a console error; the refusals here are on purpose.
const REFUSED = [/status of 412/, /status of 409/];

const nameOf = (a) => a.name ?? a.serial;
const serialsOf = (group) => (group.members ?? []).map((m) => m.serial).sort();

async function group(id) {
  return env.api(`/groups/items/${id}`);
}

/** Changes a group through the API, behind the page's back. */
async function changeBehindTheBack(id, change) {
  const current = await group(id);
  const response = await fetch(`${env.url}${API_PREFIX}/groups/items/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...current, ...change }),
  });
  assert.equal(response.status, 200, await response.text());
}

async function appliancesNotIn(g) {
  const { items } = await env.api('/appliances');
  const members = new Set(serialsOf(g));
  return items.filter((a) => !members.has(a.serial));
}

test('two members added through the picker show in the group and on their pages; one removed', () =>
  env.withPage(async (page) => {
    const before = await group(1);
    const [first, second] = await appliancesNotIn(before);
    assert.ok(second, 'the demo data has two appliances outside group 1');

    await page.goto(`${env.url}/groups/1`);
    const members = page.locator('section[aria-labelledby="members"]');
    await members.getByLabel('Find appliances').fill(first.serial);
    await members.getByRole('checkbox', { name: new RegExp(first.serial) }).check();
    await members.getByLabel('Find appliances').fill(nameOf(second));
    await members.getByRole('checkbox', { name: new RegExp(second.serial) }).check();
    await members.getByRole('button', { name: 'Add selected (2)' }).click();

    // Staged, not sent: the diff lists both, the controller has neither.
    const staged = members.locator('.staged');
    await staged.getByText('2 added').waitFor();
    assert.match(await staged.textContent(), new RegExp(`${first.serial}[\\s\\S]*${second.serial}|${second.serial}[\\s\\S]*${first.serial}`));
    assert.deepEqual(serialsOf(await group(1)), serialsOf(before));

    await members.getByRole('button', { name: 'Save members' }).click();
    await staged.waitFor({ state: 'detached' });
    for (const a of [first, second]) {
      await members.locator('table.members').getByText(a.serial).waitFor();
    }
    assert.deepEqual(serialsOf(await group(1)), [...serialsOf(before), first.serial, second.serial].sort());

    for (const a of [first, second]) {
      await page.goto(`${env.url}/appliances/${encodeURIComponent(a.serial)}`);
      const groups = page.locator('section[aria-labelledby="groups"] table');
      await groups.getByRole('link', { name: before.name, exact: true }).waitFor();
    }

    // Remove one of them again.
    await page.goto(`${env.url}/groups/1`);
    await members.getByRole('button', { name: `Remove ${nameOf(first)}` }).click();
    await staged.getByText('1 removed').waitFor();
    await members.getByRole('button', { name: 'Save members' }).click();
    await staged.waitFor({ state: 'detached' });
    await members.locator('table.members').getByText(first.serial).waitFor({ state: 'detached' });
    assert.deepEqual(serialsOf(await group(1)), [...serialsOf(before), second.serial].sort());
  }));

test('an appliance leaves a group from its own page', () =>
  env.withPage(async (page) => {
    const g = await group(2);
    const serial = serialsOf(g)[0];
    await page.goto(`${env.url}/appliances/${encodeURIComponent(serial)}`);
    const section = page.locator('section[aria-labelledby="groups"]');
    await section.getByRole('button', { name: `Leave ${g.name}` }).click();
    await section.locator('tr.staged-remove').getByText('Leaving').waitFor();
    assert.ok(serialsOf(await group(2)).includes(serial), 'nothing is sent before saving');
    await section.getByRole('button', { name: 'Save group changes' }).click();
    await section.getByRole('link', { name: g.name, exact: true }).waitFor({ state: 'detached' });
    assert.ok(!serialsOf(await group(2)).includes(serial));
    // The throughput section follows: no chart of the group left.
    const traffic = page.locator('section[aria-labelledby="traffic"]');
    await traffic.getByRole('heading', { name: `In ${g.name}`, exact: true }).waitFor({ state: 'detached' });
    const { group_membership: still = [] } = await env.api(`/appliances/items/${encodeURIComponent(serial)}`);
    for (const id of still) {
      const other = await group(id);
      await traffic.getByRole('heading', { name: `In ${other.name}`, exact: true }).waitFor();
    }
    // It can be offered again.
    await section.getByRole('combobox').selectOption({ label: g.name });
  }));

test('a matrix apply across three groups where one fails keeps its changes; undo restores', () =>
  env.withPage(
    async (page) => {
      const { items: appliances } = await env.api('/appliances');
      const groups = await Promise.all([1, 2, 3].map(group));
      const start = groups.map(serialsOf);
      // For each group, one appliance that is not in it.
      const outsider = groups.map((g) => appliances.find((a) => !serialsOf(g).includes(a.serial)));
      assert.ok(outsider.every(Boolean));

      await page.goto(`${env.url}/membership`);
      for (const [i, g] of groups.entries()) {
        await page.getByLabel('Filter appliances').fill(outsider[i].serial);
        await page.getByRole('checkbox', { name: `${nameOf(outsider[i])} in ${g.name}` }).check();
      }
      const pending = page.locator('section.pending');
      for (const g of groups) {
        await pending.locator(`section[data-group="${g.id}"]`).getByText('1 added').waitFor();
      }

      // Someone changes group 3 meanwhile.
      await changeBehindTheBack(3, { keepalive_interval: (groups[2].keepalive_interval ?? 30) + 1 });

      await pending.getByRole('button', { name: 'Apply' }).click();
      const report = page.locator('.apply-report');
      await report.getByText('Saved 2 of 3 groups; 1 not saved.').waitFor();
      assert.equal(await report.getAttribute('role'), 'alert');
      assert.match(await report.locator('li[data-group="1"]').textContent(), /Saved: 1 added/);
      assert.match(await report.locator('li[data-group="2"]').textContent(), /Saved: 1 added/);
      assert.match(
        await report.locator('li[data-group="3"]').textContent(),
        /Not saved: Someone changed this group.*still staged/,
      );

      // Saved ones are on the controller, the failed one is not and is still staged.
      assert.deepEqual(serialsOf(await group(1)), [...start[0], outsider[0].serial].sort());
      assert.deepEqual(serialsOf(await group(2)), [...start[1], outsider[1].serial].sort());
      assert.deepEqual(serialsOf(await group(3)), start[2]);
      await pending.locator('section[data-group="3"]').getByText('1 added').waitFor();
      assert.equal(await pending.locator('section.staged').count(), 1);
      await page.getByLabel('Filter appliances').fill(outsider[2].serial);
      const cell = page.getByRole('checkbox', { name: `${nameOf(outsider[2])} in ${groups[2].name}` });
      assert.ok(await cell.isChecked(), 'the failed change is still shown staged');

      // Undo the two that were saved; the failed one stays staged.
      await pending.getByRole('button', { name: 'Undo last apply' }).click();
      await report.getByText('Saved 2 of 2 groups.').waitFor();
      assert.deepEqual(serialsOf(await group(1)), start[0]);
      assert.deepEqual(serialsOf(await group(2)), start[1]);
      await pending.getByRole('button', { name: 'Undo last apply' }).waitFor({ state: 'detached' });
      await pending.locator('section[data-group="3"]').getByText('1 added').waitFor();

      // Applied again, it now goes through.
      await pending.getByRole('button', { name: 'Apply' }).click();
      await report.getByText('Saved 1 of 1 groups.').waitFor();
      assert.deepEqual(serialsOf(await group(3)), [...start[2], outsider[2].serial].sort());
    },
    { expectedErrors: REFUSED },
  ));

test('many selected appliances are staged into a group at once', () =>
  env.withPage(async (page) => {
    const g = await group(2);
    await page.goto(`${env.url}/membership`);
    await page.getByLabel('Filter appliances').fill('core');
    await page.getByRole('button', { name: 'Select all matching' }).click();
    const { items } = await env.api('/appliances');
    const matching = items.filter((a) => `${a.name ?? ''} ${a.serial}`.toLowerCase().includes('core'));
    await page.getByText(`${matching.length} selected`).waitFor();
    await page.locator('.bulk select').selectOption({ label: g.name });
    await page.getByRole('button', { name: 'Remove selected from group' }).click();
    const leaving = matching.filter((a) => serialsOf(g).includes(a.serial)).length;
    assert.ok(leaving > 0);
    await page.locator(`section[data-group="${g.id}"]`).getByText(`${leaving} removed`).waitFor();
    // Nothing was sent.
    assert.deepEqual(serialsOf(await group(2)), serialsOf(g));
  }));

test("the appliances list's search and sort live in the address and survive a reload", () =>
  env.withPage(async (page) => {
    const { items } = await env.api('/appliances');
    await page.goto(`${env.url}/appliances`);
    await page.getByLabel('Search').fill('core');
    await page.getByRole('button', { name: 'Serial' }).click();
    await page.getByRole('button', { name: 'Serial' }).click();
    await page.waitForURL(/sort=serial/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'core');
    assert.equal(url.searchParams.get('order'), 'desc');

    const want = items
      .filter((a) => `${a.name ?? ''}\n${a.serial}`.toLowerCase().includes('core'))
      .map((a) => a.serial)
      .sort()
      .reverse();
    const shown = async () => page.locator('table.appliances tbody td.serial').allTextContents();
    assert.deepEqual(await shown(), want);

    await page.reload();
    await page.locator('table.appliances tbody td.serial').first().waitFor();
    const pager = page.locator('nav.pager');
    assert.equal((await pager.locator('span').textContent()).trim(), 'Page 1 of 1');
    assert.ok(await pager.getByRole('button', { name: 'Next', exact: true }).isDisabled());
    assert.deepEqual(await shown(), want);
    assert.equal(await page.getByLabel('Search').inputValue(), 'core');
    assert.equal(
      await page.locator('th[aria-sort="descending"]').textContent().then((t) => t.trim().replace('▼', '')),
      'Serial',
    );

    // The filter for appliances in no group, also kept.
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Only appliances in no group').check();
    await page.waitForURL(/ungrouped=1/);
    const { items: groups } = await env.api('/groups');
    const grouped = new Set(groups.flatMap((g) => serialsOf(g)));
    const alone = items.filter((a) => !grouped.has(a.serial)).map((a) => a.serial).sort().reverse();
    if (alone.length === 0) {
      await page.getByText('No appliance matches.').waitFor();
    } else {
      assert.deepEqual(await shown(), alone);
    }
  }));
