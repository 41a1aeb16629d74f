// The console against a controller that fails on purpose (`--faults`): a share of API answers are
// 500/502/503 (half of them a proxy's HTML page) and every answer comes late. The main flows still
// end where the user wanted, through the console's own retries of reads and the Retry buttons of
// what failed anyway; every failure shows in words; the controller ends up holding what the user
// last saved. A second controller lets tokens expire early: signing in again keeps the page.
// A third part steers the network from the browser to see the connectivity banner come and go,
// and the page load what failed by itself once the controller answers again. Tokens expiring
// mid-edit leave every draft and staged change in place for after the sign-in.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { API_PREFIX, consoleUnderTest, signIn } from './lib/harness.mjs';

const flaky = consoleUnderTest({ extraArgs: ['--faults', 'latency=40ms,error=0.2,html=0.5'] });
const accessCode = randomBytes(9).toString('base64url');
const expiring = consoleUnderTest({ accessCode, extraArgs: ['--faults', 'expire=6s'] });

// What the browser logs for the failures provoked here, and nothing else.
const FAULTS = [/status of 50[023] \(/, /net::ERR_FAILED/];
const EXPIRY = [/status of 401 \(/];

/** Bounds: how many failures a flow may meet, and how long one step may take. */
const ROUNDS = 15;
const STEP_MS = 60_000;

/**
 * Calls the flaky controller's API from the test, repeating a request the faults refused: a
 * fault is injected before the request is handled, so repeating it is safe, even for a write.
 */
async function call(method, path, body, headers = {}) {
  for (let round = 0; round < 50; round += 1) {
    const response = await fetch(`${flaky.url}${API_PREFIX}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 500) continue;
    return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : null };
  }
  assert.fail(`${method} ${path} failed 50 times in a row`);
}

async function held(id) {
  const answer = await call('GET', `/groups/items/${id}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

/**
 * Waits until `wanted` shows, clicking the Retry of any failure shown meanwhile; each failure must
 * say something. Returns how many failures it met.
 */
async function untilShown(page, wanted) {
  let failures = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const retry = page.locator('.failure').getByRole('button', { name: 'Retry' });
    await wanted.or(retry).first().waitFor({ timeout: STEP_MS });
    if (await wanted.first().isVisible()) return failures;
    const message = (await page.locator('.failure .failure-message').first().textContent()).trim();
    assert.match(message, /\w{3,}/, 'a failure says what went wrong');
    failures += 1;
    // The failure may go while the click waits (another read of the page answered): look again.
    // A failure stays on screen while its read is made again, until the new answer replaces it.
    const shown = await retry.first().elementHandle({ timeout: 5_000 }).catch(() => null);
    if (shown === null) continue;
    await shown.click({ timeout: 5_000 }).catch(() => {});
    await shown.waitForElementState('hidden', { timeout: STEP_MS }).catch(() => {});
  }
  assert.fail(`not shown after ${ROUNDS} failures`);
}

test('under faults the groups and appliances lists load, and a chart is drawn', () =>
  flaky.withPage(
    async (page) => {
      await page.goto(`${flaky.url}/groups`);
      await untilShown(page, page.locator('table a[href^="/groups/"]'));
      const { body: groups } = await call('GET', '/groups');
      for (const group of groups.items) {
        assert.equal((await page.locator(`table a[href="/groups/${group.id}"]`).textContent()).trim(), group.name);
      }

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
      await untilShown(page, page.locator('table a[href^="/appliances/"]'));

      await page.goto(`${flaky.url}/groups/1`);
      await untilShown(page, page.locator('figure.chart canvas[data-state="drawn"]'));
    },
    { expectedErrors: FAULTS },
  ));

test('under faults a group edit is saved: the draft survives failed saves and the last save is held', () =>
  flaky.withPage(
    async (page) => {
      const created = await call('POST', '/groups', { name: 'e2e-faults', keepalive_interval: 30 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { id } = created.body;

      for (const keepalive of ['90', '120']) {
        await page.goto(`${flaky.url}/groups/${id}/edit`);
        await untilShown(page, page.getByLabel('Keepalive interval'));
        await page.getByLabel('Keepalive interval').fill(keepalive);
        const save = page.getByRole('button', { name: 'Save', exact: true });
        const failure = page.locator('.save-failure .failure');
        let saved = false;
        for (let round = 0; round < ROUNDS && !saved; round += 1) {
          await (round === 0 ? save : failure.getByRole('button', { name: 'Retry' })).click();
          const done = page.waitForURL(new RegExp(`/groups/${id}$`), { timeout: STEP_MS }).then(() => true);
          const refused = failure.waitFor({ timeout: STEP_MS }).then(() => false);
          saved = await Promise.race([done, refused]);
          if (!saved) {
            assert.match(await failure.locator('.failure-message').textContent(), /\w{3,}/, 'the failure says why');
            assert.equal(await page.getByLabel('Keepalive interval').inputValue(), keepalive, 'the draft survives');
          }
        }
        assert.ok(saved, `saved within ${ROUNDS} tries`);
        assert.equal((await held(id)).keepalive_interval, Number(keepalive));
      }
    },
    { expectedErrors: FAULTS },
  ));

test('under faults a member added on the group page is saved', () =>
  flaky.withPage(
    async (page) => {
      const created = await call('POST', '/groups', { name: 'e2e-faults-members' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { id } = created.body;
      const { body: appliances } = await call('GET', '/appliances');
      const serial = appliances.items[0].serial;

      await page.goto(`${flaky.url}/groups/${id}`);
      const members = page.locator('section[aria-labelledby="members"]');
      await untilShown(page, members.getByLabel('Find appliances'));
      await members.getByLabel('Find appliances').fill(serial);
      await untilShown(page, members.getByRole('checkbox', { name: new RegExp(serial) }));
      await members.getByRole('checkbox', { name: new RegExp(serial) }).check();
      await members.getByRole('button', { name: 'Add selected (1)' }).click();
      const staged = members.locator('.staged');
      await staged.getByText('1 added').waitFor();

      const refused = members.locator('.apply-report[role="alert"]');
      const saving = members.getByRole('button', { name: 'Saving…' });
      const saveMembers = members.getByRole('button', { name: 'Save members' });
      let saved = false;
      for (let round = 0; round < ROUNDS && !saved; round += 1) {
        // A failed read of the group after a failed save replaces the section until its Retry;
        // what was staged stays staged.
        await untilShown(page, saveMembers);
        await staged.getByText('1 added').waitFor();
        await saveMembers.click();
        await saving.waitFor({ timeout: 2_000 }).catch(() => {});
        await saving.waitFor({ state: 'detached', timeout: STEP_MS });
        saved = !(await staged.isVisible());
        if (!saved) {
          assert.ok((await refused.textContent()).trim().length > 0, 'the refusal says something');
        }
      }
      assert.ok(saved, `saved within ${ROUNDS} tries`);
      await untilShown(page, members.locator('table.members').getByText(serial));
      assert.deepEqual((await held(id)).members.map((m) => m.serial), [serial]);
    },
    { expectedErrors: FAULTS },
  ));

test('reads retried after network failures show the banner, which clears once an answer comes', () =>
  flaky.withPage(
    async (page) => {
      const banner = page.locator('.connectivity[role="status"]');
      // The first two tries of the groups list find no network; the console's retries get through.
      let refusals = 0;
      await page.route(`**${API_PREFIX}/groups`, (route) => {
        if (refusals < 2) {
          refusals += 1;
          return route.abort('failed');
        }
        return route.continue();
      });
      await page.goto(`${flaky.url}/groups`);
      await banner.getByText('Cannot reach the controller. Retrying…').waitFor();
      await untilShown(page, page.locator('table a[href^="/groups/"]'));
      assert.ok(refusals === 2);
      await banner.waitFor({ state: 'hidden', timeout: STEP_MS });

      // No network at all: the retries give up, the page says so with Retry, the banner stays and
      // the console keeps probing the controller.
      await page.route(`**${API_PREFIX}/**`, (route) => route.abort('failed'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
      const failure = page.locator('.failure');
      await failure.getByText('Cannot reach the controller').waitFor({ timeout: STEP_MS });
      await banner.getByText('Cannot reach the controller. Checking again until it answers…').waitFor();
      let probed = 0;
      page.on('request', (request) => {
        if (request.url().endsWith(`${API_PREFIX}/configuration`)) probed += 1;
      });
      await page.waitForTimeout(4_000);
      assert.ok(probed >= 1, 'the unreachable controller is probed');

      // The browser says its network is back: a probe goes at once (refused again here).
      const beforeOnline = probed;
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      for (let i = 0; i < 10 && probed === beforeOnline; i += 1) await page.waitForTimeout(100);
      assert.ok(probed > beforeOnline, 'the online event sends a probe at once');

      // The network is back: without any click, the banner clears and the list appears.
      await page.unroute(`**${API_PREFIX}/**`);
      await page.unroute(`**${API_PREFIX}/groups`);
      await page.locator('table a[href^="/appliances/"]').first().waitFor({ timeout: STEP_MS });
      await banner.waitFor({ state: 'hidden', timeout: STEP_MS });
      assert.equal(await failure.count(), 0, 'no failure is left on the page');
      // Probing stops once the controller answers.
      const answered = probed;
      await page.waitForTimeout(4_000);
      assert.equal(probed, answered, 'no probe after the controller answered');
    },
    { expectedErrors: FAULTS },
  ));

test('after the token expires, signing in again keeps the page the user went to', () =>
  expiring.withPage(
    async (page) => {
      const code = page.getByLabel('Access code');
      const signInButton = page.getByRole('button', { name: 'Sign in' });
      await page.goto(`${expiring.url}/groups`);
      await code.fill(accessCode);
      await signInButton.click();
      await page.locator('table a[href="/groups/1"]').waitFor();

      // The token the console holds expires; the next page asks for a sign-in.
      await page.waitForTimeout(7_000);
      await page.locator('table a[href="/groups/1"]').click();
      await page.waitForURL(/\/groups\/1$/);
      await code.waitFor({ timeout: STEP_MS });
      await code.fill(accessCode);
      await signInButton.click();
      await code.waitFor({ state: 'detached' });
      assert.match(page.url(), /\/groups\/1$/);
      const token = await signIn(expiring.url, accessCode);
      const response = await fetch(`${expiring.url}${API_PREFIX}/groups/items/1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const group = await response.json();
      await page.locator('h1', { hasText: group.name }).waitFor();
      await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor({ timeout: STEP_MS });
      // The link that led here is gone: focus went to the page's heading, and stays there.
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus is on the heading');
    },
    { expectedErrors: EXPIRY },
  ));

test('a token expiring mid-edit: the save asks for a sign-in, the draft stays, and the controller holds what was typed', () =>
  expiring.withPage(
    async (page) => {
      const token = await signIn(expiring.url, accessCode);
      const created = await fetch(`${expiring.url}${API_PREFIX}/groups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'e2e-expiry', keepalive_interval: 30, key_auto_expiry: 3600 }),
      });
      assert.equal(created.status, 201);
      const { id } = await created.json();

      const code = page.getByLabel('Access code');
      await page.goto(`${expiring.url}/groups/${id}/edit`);
      await code.fill(accessCode);
      await page.keyboard.press('Enter');
      await code.waitFor({ state: 'detached' });
      const typed = [
        ['Keepalive interval', '90'],
        ['Key lifetime', '2h'],
        ['Headless timeout', '45m'],
      ];
      for (const [label, text] of typed) await page.getByLabel(label).fill(text);

      // The token expires while the person types; Save is refused and the sign-in comes.
      await page.waitForTimeout(7_000);
      const save = page.getByRole('button', { name: 'Save', exact: true });
      await save.focus();
      await page.keyboard.press('Enter');
      await code.waitFor({ timeout: STEP_MS });
      await page.locator('.save-failure', { hasText: 'Sign in, then save again' }).waitFor();
      for (const [label, text] of typed) {
        assert.equal(await page.getByLabel(label).inputValue(), text, `${label} kept while signing in`);
      }
      await code.fill(accessCode);
      await page.keyboard.press('Enter');
      await code.waitFor({ state: 'detached' });
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent?.trim()),
        'Save',
        'focus is back on Save',
      );
      for (const [label, text] of typed) {
        assert.equal(await page.getByLabel(label).inputValue(), text, `${label} kept after the sign-in`);
      }

      // Nothing was saved behind the person's back; their Retry saves what they typed.
      const before = await held(id);
      assert.equal(before.keepalive_interval, 30);
      await page.locator('.save-failure').getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(new RegExp(`/groups/${id}$`), { timeout: STEP_MS });
      const after = await held(id);
      assert.equal(after.keepalive_interval, 90);
      assert.equal(after.key_auto_expiry, 7200);
      assert.equal(after.headless_timeout, 2700);
      assert.equal(after.name, 'e2e-expiry');

      async function held(group) {
        const fresh = await signIn(expiring.url, accessCode);
        const response = await fetch(`${expiring.url}${API_PREFIX}/groups/items/${group}`, {
          headers: { authorization: `Bearer ${fresh}` },
        });
        return response.json();
      }
    },
    { expectedErrors: EXPIRY },
  ));

test('a token expiring with membership changes staged: they survive the sign-in and are applied after it', () =>
  expiring.withPage(
    async (page) => {
      const token = await signIn(expiring.url, accessCode);
      const get = async (path) => {
        const response = await fetch(`${expiring.url}${API_PREFIX}${path}`, {
          headers: { authorization: `Bearer ${await signIn(expiring.url, accessCode)}` },
        });
        return response.json();
      };
      const group = await get('/groups/items/1');
      const { items: appliances } = await get('/appliances');
      const members = (group.members ?? []).map((m) => m.serial);
      const outsider = appliances.find((a) => !members.includes(a.serial));
      assert.ok(outsider && token);

      const code = page.getByLabel('Access code');
      await page.goto(`${expiring.url}/membership`);
      await code.fill(accessCode);
      await page.keyboard.press('Enter');
      await code.waitFor({ state: 'detached' });
      await page.getByLabel('Filter appliances').fill(outsider.serial);
      await page.getByRole('checkbox', { name: `${outsider.name ?? outsider.serial} in ${group.name}` }).check();
      const pending = page.locator('section.pending');
      await pending.locator('section[data-group="1"]').getByText('1 added').waitFor();

      await page.waitForTimeout(7_000);
      await pending.getByRole('button', { name: 'Apply' }).click();
      await code.waitFor({ timeout: STEP_MS });
      await page.locator('.apply-report li[data-group="1"]', { hasText: 'Not saved' }).waitFor();
      await code.fill(accessCode);
      await page.keyboard.press('Enter');
      await code.waitFor({ state: 'detached' });

      await pending.locator('section[data-group="1"]').getByText('1 added').waitFor();
      assert.deepEqual(((await get('/groups/items/1')).members ?? []).map((m) => m.serial), members);
      await pending.getByRole('button', { name: 'Apply' }).click();
      await page.locator('.apply-report').getByText('Saved 1 of 1 groups.').waitFor({ timeout: STEP_MS });
      const after = ((await get('/groups/items/1')).members ?? []).map((m) => m.serial).sort();
      assert.deepEqual(after, [...members, outsider.serial].sort());
    },
    { expectedErrors: EXPIRY },
  ));
