// How the console's requests behave when answers fail, seen from the network: a read that meets
// a server error is made again after growing waits, one the controller refused is not, a save is
// sent once whatever happens to it, and leaving a page abandons the reads it was waiting for.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { API_PREFIX, consoleUnderTest } from './lib/harness.mjs';

const env = consoleUnderTest();

// What the browser logs for the failures provoked here.
const PROVOKED = [/status of 500 \(/, /status of 404 \(/];

const failure = (page) => page.locator('.failure');

/** Records every request to `path` (a glob under the API) the page makes, with when it went. */
function recorded(page, path) {
  const seen = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `${API_PREFIX}${path}`) {
      seen.push({ method: request.method(), at: Date.now() });
    }
  });
  return seen;
}

const serverError = (route) =>
  route.fulfill({
    status: 500,
    contentType: 'application/json',
    body: JSON.stringify({ error_id: 'E2E_FAILURE', error_text: 'The controller failed on purpose' }),
  });

test('a read that meets server errors is made again after growing waits, then the page says why', () =>
  env.withPage(
    async (page) => {
      const reads = recorded(page, '/groups');
      await page.route(`**${API_PREFIX}/groups`, serverError);
      await page.goto(`${env.url}/groups`);
      await failure(page).getByText('The controller failed on purpose').waitFor({ timeout: 20_000 });
      assert.equal(reads.length, 4, 'the first try and three retries');
      const waits = reads.slice(1).map((r, i) => r.at - reads[i].at);
      // Nominal waits 0.5 s, 1 s, 2 s, each up to a quarter shorter or longer.
      for (const [i, nominal] of [500, 1000, 2000].entries()) {
        assert.ok(waits[i] >= nominal * 0.75 - 50, `wait ${i + 1} is ${waits[i]} ms, at least ¾ of ${nominal}`);
      }
      assert.ok(waits[2] > waits[0], `the waits grow: ${waits.join(', ')} ms`);

      // The Retry on the page reads again, once: it works now.
      await page.unroute(`**${API_PREFIX}/groups`);
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await page.locator('table a[href^="/groups/"]').first().waitFor();
      assert.equal(reads.length, 5);
    },
    { expectedErrors: PROVOKED },
  ));

test('a read the controller refuses with a 4xx is not repeated', () =>
  env.withPage(
    async (page) => {
      const reads = recorded(page, '/groups/items/999999');
      await page.goto(`${env.url}/groups/999999`);
      await failure(page).waitFor();
      await page.waitForTimeout(2_000);
      assert.equal(reads.length, 1, 'one read of a group that does not exist');
    },
    { expectedErrors: PROVOKED },
  ));

test('a save that fails is sent once, and only the Retry sends it again', () =>
  env.withPage(
    async (page) => {
      const writes = recorded(page, '/groups/items/1');
      await page.route(`**${API_PREFIX}/groups/items/1`, (route) =>
        route.request().method() === 'PUT' ? serverError(route) : route.continue(),
      );
      await page.goto(`${env.url}/groups/1/edit`);
      const keepalive = page.getByLabel('Keepalive interval');
      await keepalive.fill('45');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const refused = page.locator('.save-failure');
      await refused.getByText('The controller failed on purpose').waitFor();
      await page.waitForTimeout(4_000);
      const puts = () => writes.filter((w) => w.method === 'PUT').length;
      assert.equal(puts(), 1, 'the failed save was not repeated behind the user');
      assert.equal(await keepalive.inputValue(), '45', 'the draft is kept');

      await page.unroute(`**${API_PREFIX}/groups/items/1`);
      await refused.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(/\/groups\/1$/);
      assert.equal(puts(), 2);
      assert.equal((await env.api('/groups/items/1')).keepalive_interval, 45);
    },
    { expectedErrors: PROVOKED },
  ));

test('leaving a page abandons the reads it still waits for', () =>
  env.withPage(async (page) => {
    // The charts' reads get no answer while the page is open.
    const held = [];
    await page.route(`**${API_PREFIX}/groups/items/1/all_peer_group_stats*`, (route) => held.push(route));
    const abandoned = new Promise((resolve) =>
      page.on('requestfailed', (request) => {
        if (request.url().includes('/all_peer_group_stats')) resolve(request.failure()?.errorText);
      }),
    );
    await page.goto(`${env.url}/groups/1`);
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.length > 0);
    while (held.length === 0) await page.waitForTimeout(50);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
    await page.locator('table a[href^="/appliances/"]').first().waitFor();
    assert.match(await abandoned, /ABORTED/, 'the chart read was aborted when its page went');
  }));
