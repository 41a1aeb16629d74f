// The console against a controller that fails on purpose (`--faults`): a share of API answers are
// 500/502/503 (half of them a proxy's HTML page) and every answer comes late. The main flows still
// end where the user wanted, through the console's own retries of reads and the Retry buttons of
// what failed anyway; every failure shows in words; the controller ends up holding what the user
// last saved. A second controller lets tokens expire early: signing in again keeps the page.
// A third part steers the network from the browser to see the connectivity banner come and go,
// and the page load what failed by itself once the controller answers again. Tokens expiring
// mid-edit leave every draft and staged change in place for after the sign-in.
// A last part cuts short (or drops) the answer of a save that went through, on a controller without
// faults: the console reads back, says what it found, and never sends the write twice.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { API_PREFIX, consoleUnderTest, signIn } from './lib/harness.mjs';

const flaky = consoleUnderTest({ extraArgs: ['--faults', 'latency=40ms,error=0.2,html=0.5,truncate=0.15'] });
const steady = consoleUnderTest();
const accessCode = randomBytes(9).toString('base64url');
const expiring = consoleUnderTest({ accessCode, extraArgs: ['--faults', 'expire=6s'] });

// What the browser logs for the failures provoked here, and nothing else.
const FAULTS = [/status of 50[023] \(/, /net::ERR_FAILED/];
const EXPIRY = [/status of 401 \(/];

/** Bounds: how many failures a flow may meet, and how long one step may take. */
const ROUNDS = 15;
const STEP_MS = 60_000;
/** Long enough for one read with the console's own retries (0.5 s, 1 s, 2 s) and the latency. */
const READ_MS = 10_000;

/**
 * Calls the flaky controller's API from the test. A 5xx is injected before the request is handled,
 * so the request is repeated, even a write. An answer cut short came after the request was
 * handled: a read is repeated, but a write is not (it went through); its `body` is then `undefined`
 * and the caller reads back what it needs.
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
    const answer = { status: response.status, etag: response.headers.get('etag') };
    try {
      return { ...answer, body: text ? JSON.parse(text) : null };
    } catch {
      if (method === 'GET') continue;
      return { ...answer, body: undefined };
    }
  }
  assert.fail(`${method} ${path} failed 50 times in a row`);
}

/** Creates a group on the flaky controller, once, and returns it as the controller holds it. */
async function create(group) {
  const created = await call('POST', '/groups', group);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  if (created.body !== undefined) return created.body;
  const { body: groups } = await call('GET', '/groups');
  const found = groups.items.filter((g) => g.name === group.name);
  assert.equal(found.length, 1, `the group ${group.name} was created once`);
  return found[0];
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
    // A failure stays on screen while its read is made again, until the new answer replaces it;
    // when that answer fails too (an answer cut short is not retried by the console), the page
    // may update the failure in place, so after a read's worth of time, look again.
    const shown = await retry.first().elementHandle({ timeout: 5_000 }).catch(() => null);
    if (shown === null) continue;
    await shown.click({ timeout: 5_000 }).catch(() => {});
    await shown.waitForElementState('hidden', { timeout: READ_MS }).catch(() => {});
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
      const { id } = await create({ name: 'e2e-faults', keepalive_interval: 30 });

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
      const { id } = await create({ name: 'e2e-faults-members' });
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
        // The page reads the group again: a change it holds already (saved, though the answer was
        // lost and reading back failed) stops showing as staged.
        await untilShown(page, members.getByLabel('Find appliances'));
        saved = await staged.waitFor({ state: 'hidden', timeout: 5_000 }).then(
          () => true,
          () => false,
        );
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
  steady.withPage(
    async (page) => {
      // A controller without faults of its own: only the network fails here, so that what comes
      // back by itself once it returns is the console's doing.
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
      await page.goto(`${steady.url}/groups`);
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

/**
 * Lets the first `method` request to `path` through to the controller, then cuts its answer in
 * half (`cut`) or drops it as if the network had failed (`drop`); later requests pass untouched.
 * Returns the methods and statuses of every request to `path`, as the controller answered them.
 * A test that uses it ends with `page.unrouteAll`, so no handler outlives its page.
 */
async function loseFirstAnswer(page, path, method, how) {
  const seen = [];
  let lost = false;
  await page.route(`**${API_PREFIX}${path}`, async (route) => {
    const response = await route.fetch();
    seen.push(`${route.request().method()} ${response.status()}`);
    if (lost || route.request().method() !== method) return route.fulfill({ response });
    lost = true;
    if (how === 'drop') return route.abort('failed');
    const body = await response.body();
    const headers = { ...response.headers() };
    delete headers['content-length'];
    return route.fulfill({ status: response.status(), headers, body: body.subarray(0, body.length >> 1) });
  });
  return seen;
}

async function steadyCreate(group) {
  const response = await fetch(`${steady.url}${API_PREFIX}/groups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(group),
  });
  assert.equal(response.status, 201);
  return response.json();
}

for (const [how, words] of [
  ['cut', "the controller's answer could not be read"],
  ['drop', "the controller's answer never came"],
]) {
  test(`an edit saved whose answer is ${how === 'cut' ? 'cut short' : 'lost'} is read back and reported saved`, () =>
    steady.withPage(
      async (page) => {
        const group = await steadyCreate({ name: `e2e-readback-${how}`, keepalive_interval: 30 });
        await page.goto(`${steady.url}/groups/${group.id}/edit`);
        await page.getByLabel('Keepalive interval').fill('75');
        const seen = await loseFirstAnswer(page, `/groups/items/${group.id}`, 'PUT', how);
        await page.getByRole('button', { name: 'Save', exact: true }).click();

        // Where a normal save lands, saying what reading back found; no conflict with itself.
        await page.waitForURL(new RegExp(`/groups/${group.id}$`));
        const toast = page.locator('.toast', { hasText: `Saved the group “${group.name}”` });
        await toast.waitFor();
        assert.match(await toast.textContent(), new RegExp(`${words}, but reading the group back shows your changes there`));
        assert.deepEqual(seen.slice(0, 2), ['PUT 200', 'GET 200'], 'sent once, then read back');
        assert.ok(!seen.some((s) => /^PUT (409|412)/.test(s)), seen.join(', '));
        assert.equal(seen.filter((s) => s.startsWith('PUT')).length, 1, 'the save is sent once');
        assert.equal((await steady.api(`/groups/items/${group.id}`)).keepalive_interval, 75);
        await page.unrouteAll({ behavior: 'ignoreErrors' });
      },
      { expectedErrors: how === 'drop' ? [/net::ERR_FAILED/] : [] },
    ));
}

test('a create whose answer is cut short lands on the new group, created once', () =>
  steady.withPage(async (page) => {
    await page.goto(`${steady.url}/groups/new`);
    await page.getByLabel('Name').fill('e2e-readback-new');
    await page.getByLabel('Keepalive interval').fill('45');
    const seen = await loseFirstAnswer(page, '/groups', 'POST', 'cut');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await page.waitForURL(/\/groups\/\d+$/);
    const toast = page.locator('.toast', { hasText: 'Created the group “e2e-readback-new”' });
    await toast.waitFor();
    assert.match(await toast.textContent(), /could not be read, but reading the groups list back shows it was created/);
    assert.deepEqual(seen.slice(0, 2), ['POST 201', 'GET 200']);
    assert.ok(!seen.includes('POST 409'), seen.join(', '));
    const { items } = await steady.api('/groups');
    const made = items.filter((g) => g.name === 'e2e-readback-new');
    assert.equal(made.length, 1, 'created once');
    assert.equal(made[0].keepalive_interval, 45);
    assert.match(page.url(), new RegExp(`/groups/${made[0].id}$`));
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  }));

test('when reading back fails too, the editor says the save may have gone through and Retry only reads', () =>
  steady.withPage(
    async (page) => {
      const group = await steadyCreate({ name: 'e2e-readback-unknown', keepalive_interval: 30 });
      const path = `**${API_PREFIX}/groups/items/${group.id}`;
      await page.goto(`${steady.url}/groups/${group.id}/edit`);
      await page.getByLabel('Keepalive interval').fill('80');
      // The save's answer is cut short, and every read of the group finds no network.
      const writes = [];
      let offline = true;
      await page.route(path, async (route) => {
        if (route.request().method() === 'GET') {
          return offline ? route.abort('failed') : route.continue();
        }
        const response = await route.fetch();
        writes.push(`${route.request().method()} ${response.status()}`);
        const body = await response.body();
        return route.fulfill({ status: response.status(), contentType: 'application/json', body: body.subarray(0, 20) });
      });
      await page.getByRole('button', { name: 'Save', exact: true }).click();

      const failure = page.locator('.save-failure');
      await failure.getByText("The controller's answer to this save could not be read").waitFor({ timeout: STEP_MS });
      assert.match(await failure.textContent(), /may have gone through/);
      assert.match(await failure.textContent(), /Retry reads it back again; nothing is sent until the console knows/);
      assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '80', 'the draft is kept');
      // Nothing can be typed over what may have been saved, so the read-back cannot lose an edit.
      assert.equal(await page.getByLabel('Keepalive interval').isEditable(), false, 'the fields are locked');
      await page.getByLabel('Keepalive interval').press('1').catch(() => {});
      assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '80');

      // The network is back: Retry reads the group, finds the save, and goes where a save goes.
      offline = false;
      await failure.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(new RegExp(`/groups/${group.id}$`));
      await page.locator('.toast', { hasText: 'reading the group back shows your changes there' }).waitFor();
      assert.deepEqual(writes, ['PUT 200'], 'Retry sent nothing');
      assert.equal((await steady.api(`/groups/items/${group.id}`)).keepalive_interval, 80);
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    },
    { expectedErrors: [/net::ERR_FAILED/] },
  ));

test('a member added whose write answer is cut short is reported saved, and held', () =>
  steady.withPage(async (page) => {
    const group = await steadyCreate({ name: 'e2e-readback-members' });
    const { items } = await steady.api('/appliances');
    const serial = items[0].serial;
    await page.goto(`${steady.url}/groups/${group.id}`);
    const members = page.locator('section[aria-labelledby="members"]');
    await members.getByLabel('Find appliances').fill(serial);
    await members.getByRole('checkbox', { name: new RegExp(serial) }).check();
    await members.getByRole('button', { name: 'Add selected (1)' }).click();
    await members.locator('.staged').getByText('1 added').waitFor();

    const seen = await loseFirstAnswer(page, `/groups/items/${group.id}`, 'PUT', 'cut');
    await members.getByRole('button', { name: 'Save members' }).click();
    const toast = page.locator('.toast', { hasText: 'Members saved' });
    await toast.waitFor();
    assert.match(
      await toast.textContent(),
      /the controller's answer was lost, and reading the group back shows the change there/,
    );
    assert.equal(await members.locator('.apply-report[role="alert"]').count(), 0, 'no failure is reported');
    await members.locator('table.members').getByText(serial).waitFor();
    assert.equal(await members.locator('.staged').count(), 0, 'nothing is left staged');
    assert.equal(seen.filter((s) => s.startsWith('PUT')).length, 1, 'the write is sent once');
    assert.deepEqual((await steady.api(`/groups/items/${group.id}`)).members.map((m) => m.serial), [serial]);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  }));

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
