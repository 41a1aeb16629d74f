// The list pages and the routing around them, with sign-in off: what a user sees first.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { API_PREFIX, appliancePath, consoleUnderTest } from './lib/harness.mjs';

const env = consoleUnderTest();

async function heading(page) {
  assert.equal(await page.locator('h1').count(), 1, 'a page has exactly one h1');
  return (await page.locator('h1').textContent()).trim();
}

test('the root redirects to the groups page, and the navigation reaches the appliances', () =>
  env.withPage(async (page) => {
    await page.goto(env.url);
    await page.waitForURL(/\/groups$/);
    await page.locator('table a[href^="/groups/"]').first().waitFor();
    assert.equal(await heading(page), 'Groups');

    await page.locator('nav').getByRole('link', { name: 'Appliances', exact: true }).click();
    await page.waitForURL(/\/appliances$/);
    await page.locator('table a[href^="/appliances/"]').first().waitFor();
    assert.equal(await heading(page), 'Appliances');

    await page.locator('nav').getByRole('link', { name: 'Groups', exact: true }).click();
    await page.waitForURL(/\/groups$/);
    assert.equal(await heading(page), 'Groups');
  }));

test('the groups page lists every group by name, each linking to its page', () =>
  env.withPage(async (page) => {
    const { items: groups } = await env.api('/groups');
    assert.ok(groups.length > 0, 'the demo data has groups');

    await page.goto(`${env.url}/groups`);
    await page.locator('table a[href^="/groups/"]').first().waitFor();
    for (const group of groups) {
      const link = page.locator(`table a[href="/groups/${group.id}"]`);
      assert.equal(await link.count(), 1, `one link to group ${group.id}`);
      assert.equal((await link.textContent()).trim(), group.name);
    }
  }));

test('the appliances page lists every appliance by name, with its serial and its groups', () =>
  env.withPage(async (page) => {
    const { items: appliances } = await env.api('/appliances');
    assert.ok(appliances.length > 0, 'the demo data has appliances');

    await page.goto(`${env.url}/appliances`);
    await page.locator('table a[href^="/appliances/"]').first().waitFor();
    for (const appliance of appliances) {
      const linkSelector = `a[href="${appliancePath(appliance.serial)}"]`;
      const link = page.locator('table').locator(linkSelector);
      assert.equal(await link.count(), 1, `one link to appliance ${appliance.serial}`);
      assert.equal((await link.textContent()).trim(), appliance.name ?? appliance.serial);

      const row = page.locator('table tr', { has: page.locator(linkSelector) });
      assert.ok((await row.textContent()).includes(appliance.serial), `${appliance.serial}'s row shows its serial`);
      for (const groupId of appliance.group_membership ?? []) {
        const groupLink = row.locator(`a[href="/groups/${groupId}"]`);
        assert.equal(await groupLink.count(), 1, `${appliance.serial}'s row links to group ${groupId}`);
      }
    }
  }));

test('an unknown address, group or appliance offers the way back to its list, not a Retry', () =>
  env.withPage(async (page) => {
    await page.goto(`${env.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    assert.equal(await heading(page), 'Page not found');
    await page.getByRole('link', { name: 'Go to the appliances' }).click();
    await page.waitForURL(/\/appliances$/);
    await page.goto(`${env.url}/no/such/page`);
    await page.getByRole('link', { name: 'Go to the groups' }).click();
    await page.waitForURL(/\/groups$/);

    const missing = [
      ['/groups/987654', 'Back to the groups', /\/groups$/],
      ['/groups/987654/edit', 'Back to the groups', /\/groups$/],
      [appliancePath('NO-SUCH-SERIAL'), 'Back to the appliances', /\/appliances$/],
    ];
    for (const [path, label, back] of missing) {
      await page.goto(`${env.url}${path}`);
      const alert = page.getByRole('alert');
      await alert.getByRole('link', { name: label }).waitFor();
      assert.match(await alert.textContent(), /has no (group|appliance)/, `${path} says what is missing`);
      assert.equal(await page.getByRole('button', { name: 'Retry' }).count(), 0, `${path} offers no Retry`);
      assert.equal(await page.locator('h1').count(), 1, `${path} has one heading`);
      await alert.getByRole('link', { name: label }).click();
      await page.waitForURL(back);
      await page.locator('table').first().waitFor();
    }
  }, { expectedErrors: [/status of 404 \(/] }));

test("one Retry on the appliances page reads again both lists it failed to read", () =>
  env.withPage(
    async (page) => {
      // Both lists fail with a server error, through the console's own retries.
      const refuse = (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error_id: 'INTERNAL', error_text: 'The database is busy' }),
        });
      await page.route(`**${API_PREFIX}/appliances`, refuse);
      await page.route(`**${API_PREFIX}/groups`, refuse);
      await page.goto(`${env.url}/appliances`);
      const failure = page.locator('.failure');
      await failure.getByText('The database is busy').waitFor({ timeout: 30_000 });
      assert.equal(await failure.count(), 1, 'one failure for the page, not one per list');

      await page.unroute(`**${API_PREFIX}/appliances`);
      await page.unroute(`**${API_PREFIX}/groups`);
      await failure.getByRole('button', { name: 'Retry' }).click();
      await page.locator('table a[href^="/appliances/"]').first().waitFor();
      // The groups column comes from the groups list, read again by the same Retry.
      await page.locator('table a[href^="/groups/"]').first().waitFor();
      assert.equal(await failure.count(), 0);
    },
    { expectedErrors: [/status of 500 \(/] },
  ));

test('a missing asset is a 404, not the console', async () => {
  for (const path of ['/no-such-file.js', '/no-such-file.wasm', '/snippets/no-such-dir/x.css']) {
    const response = await fetch(`${env.url}${path}`);
    assert.equal(response.status, 404, `GET ${path}`);
  }
});
