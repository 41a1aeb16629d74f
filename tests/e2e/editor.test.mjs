// The group editor, with sign-in off: creating a group with typed units, bounds that block a save
// without a request, an edit conflict shown as a diff with both ways out, unknown properties kept,
// a failed save retried, deleting behind a confirmation, and leaving with unsaved changes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { API_PREFIX, consoleUnderTest } from './lib/harness.mjs';

const env = consoleUnderTest();

/** A spare demo appliance that is in no group. */
const SPARE = 'EC-XS-E1A004';

/** Calls the API as another administrator would, behind the console's back. */
async function call(method, path, body, headers = {}) {
  const response = await fetch(`${env.url}${API_PREFIX}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : null };
}

/** Creates a group through the API and returns it as the controller holds it. */
async function createGroup(group) {
  const answer = await call('POST', '/groups', group);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** Changes a group through the API, against the current revision. */
async function changeBehindTheBack(id, change) {
  const current = await call('GET', `/groups/items/${id}`);
  const answer = await call('PUT', `/groups/items/${id}`, { ...current.body, ...change }, { 'if-match': current.etag });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
}

/** The writes (POST, PUT, DELETE) the page sends to the API. */
function recordWrites(page) {
  const writes = [];
  page.on('request', (request) => {
    if (request.url().includes(API_PREFIX) && request.method() !== 'GET') {
      writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    }
  });
  return writes;
}

async function openEditor(page, id) {
  await page.goto(`${env.url}/groups/${id}/edit`);
  await page.getByLabel('Keepalive interval').waitFor();
}

const save = (page) => page.getByRole('button', { name: 'Save', exact: true });

test('a group created with typed units holds what the previews said, and the list shows it', () =>
  env.withPage(async (page) => {
    await page.goto(`${env.url}/groups`);
    await page.getByRole('link', { name: 'New group' }).click();
    await page.waitForURL(/\/groups\/new$/);
    await page.getByLabel('Name').waitFor();

    // A name another group has is refused before anything is sent.
    await page.getByLabel('Name').fill('core-mesh');
    await page.locator('#group-name-error', { hasText: 'Another group is already named "core-mesh"' }).waitFor();
    assert.ok(await save(page).isDisabled());

    await page.getByLabel('Name').fill('e2e-typed');
    const typed = [
      ['Key lifetime', '1h 30m', '= 5400 s (1 h 30 min)'],
      ['Rekey after volume', '4 TB', '= 4000000000000 bytes (3.64 TiB)'],
      ['Rekey at packet share', '90 %', '= 90 %'],
      ['Rekey after packets', '0', '= 0 packets'],
      ['Keepalive interval', '30s', '= 30 s'],
    ];
    for (const [label, text, preview] of typed) {
      await page.getByLabel(label).fill(text);
      const output = page.locator(`output[for="${await page.getByLabel(label).getAttribute('id')}"]`);
      assert.equal((await output.textContent()).trim(), preview, label);
    }
    const headless = page.locator('output[for="field-headless_timeout"]');
    assert.match(await headless.textContent(), /Not set/);

    await save(page).click();
    await page.waitForURL(/\/groups\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('.toast', { hasText: 'Created the group “e2e-typed”' }).waitFor();
    assert.equal((await page.locator('h1').textContent()).trim(), 'e2e-typed');

    const held = await env.api(`/groups/items/${id}`);
    assert.equal(held.key_auto_expiry, 5400);
    assert.equal(held.data_rekey_volume, 4_000_000_000_000);
    assert.equal(held.rekey_pktprcnt, 90);
    assert.equal(held.rekey_pktcnt, 0);
    assert.equal(held.keepalive_interval, 30);
    assert.equal('headless_timeout' in held, false, 'an empty field is left out, not sent as 0');
    // The page shows what the controller holds.
    await page.locator('dl.settings dd', { hasText: '1 h 30 min' }).waitFor();

    await page.locator('nav').getByRole('link', { name: 'Groups', exact: true }).click();
    await page.locator(`table a[href="/groups/${id}"]`, { hasText: 'e2e-typed' }).waitFor();
  }));

test('an out-of-range value blocks Save with its message and sends nothing', () =>
  env.withPage(async (page) => {
    const group = await createGroup({ name: 'e2e-bounds', keepalive_interval: 30, headless_timeout: 600 });
    const before = await env.api(`/groups/items/${group.id}`);
    const writes = recordWrites(page);
    await openEditor(page, group.id);

    const field = page.getByLabel('Keepalive interval');
    // Text on its way to a value stays as typed; only the message changes.
    for (const text of ['-', '3', '1.', '']) {
      await field.fill(text);
      assert.equal(await field.inputValue(), text);
    }
    await field.fill('5');
    const error = page.locator('#field-keepalive_interval-error');
    await error.filter({ hasText: 'Must be from 10 to 3600 seconds' }).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby'), /field-keepalive_interval-error/);
    assert.ok(await save(page).isDisabled());
    await page.locator('#save-summary', { hasText: 'Keepalive interval: Must be from 10 to 3600 seconds' }).waitFor();

    await page.getByLabel('Rekey after packets').fill('1.5');
    await page.locator('#field-rekey_pktcnt-error', { hasText: 'Must be a whole number, 0 packets or more' }).waitFor();
    await page.locator('#save-summary', { hasText: '2 problems to fix before saving' }).waitFor();

    // Enter in a field submits the form: still nothing is sent.
    await field.press('Enter');
    await page.waitForTimeout(300);
    assert.deepEqual(writes, []);
    assert.deepEqual(await env.api(`/groups/items/${group.id}`), before);

    // A fix clears the mark; an advisory warning does not block saving.
    await field.fill('600');
    await page.getByLabel('Rekey after packets').fill('');
    assert.equal(await field.getAttribute('aria-invalid'), 'false');
    await page.locator('.field-warning', { hasText: 'not shorter than the headless timeout' }).first().waitFor();
    assert.ok(await save(page).isEnabled());
  }));

test('a new group\'s empty name is not an error before the person has been in the field', () =>
  env.withPage(async (page) => {
    await page.goto(`${env.url}/groups/new`);
    const name = page.getByLabel('Name', { exact: true });
    await name.waitFor();
    const error = page.locator('#group-name-error');
    assert.equal((await error.textContent()).trim(), '');
    assert.equal(await name.getAttribute('aria-invalid'), 'false');
    await name.focus();
    await page.keyboard.press('Tab');
    await error.filter({ hasText: 'A group needs a name' }).waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
  }));

test('an edit conflict shows the diff, and both discarding and applying on top work', () =>
  env.withPage(
    async (page) => {
      const group = await createGroup({ name: 'e2e-conflict', keepalive_interval: 30, headless_timeout: 600 });
      await openEditor(page, group.id);
      await page.getByLabel('Keepalive interval').fill('60');
      await changeBehindTheBack(group.id, { headless_timeout: 900 });
      await save(page).click();

      const conflict = page.locator('section.conflict');
      await conflict.waitFor();
      const row = (name) => conflict.locator('tbody tr', { has: page.locator('th', { hasText: name }) });
      assert.match(await row('Keepalive interval').textContent(), /30 s.*60 s \(1 min\).*30 s.*You changed/);
      assert.match(await row('Headless timeout').textContent(), /600 s \(10 min\).*600 s \(10 min\).*900 s \(15 min\).*Changed on the controller/);
      assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '60', 'the draft stays on screen');
      assert.equal((await call('GET', `/groups/items/${group.id}`)).body.keepalive_interval, 30, 'nothing overwritten');

      await page.getByRole('button', { name: 'Discard my changes' }).click();
      await conflict.waitFor({ state: 'detached' });
      assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '30');
      assert.equal(await page.getByLabel('Headless timeout').inputValue(), '900');

      await page.getByLabel('Keepalive interval').fill('45');
      await changeBehindTheBack(group.id, { rekey_pktprcnt: 50 });
      await save(page).click();
      await conflict.waitFor();
      await page.getByRole('button', { name: 'Apply my changes on top' }).click();
      await page.waitForURL(new RegExp(`/groups/${group.id}$`));
      await page.locator('.toast', { hasText: 'Saved the group “e2e-conflict”' }).waitFor();

      const held = await env.api(`/groups/items/${group.id}`);
      assert.equal(held.keepalive_interval, 45, 'my change');
      assert.equal(held.headless_timeout, 900, 'their first change');
      assert.equal(held.rekey_pktprcnt, 50, 'their second change');
    },
    { expectedErrors: [/status of 412/] },
  ));

test('unknown properties and members survive a save, and a double click sends one request', () =>
  env.withPage(async (page) => {
    const group = await createGroup({
      name: 'e2e-extra',
      key_auto_expiry: 3600,
      colour: 'teal',
      owner: { team: 'noc', tags: [1, 2] },
      members: [{ serial: SPARE }],
    });
    const writes = recordWrites(page);
    await openEditor(page, group.id);

    const others = page.locator('section.other-properties');
    await others.locator('dt', { hasText: 'colour' }).waitFor();
    assert.match(await others.textContent(), /"teal"/);
    assert.match(await others.textContent(), /\{"tags":\[1,2\],"team":"noc"\}|\{"team":"noc","tags":\[1,2\]\}/);
    assert.equal(await page.getByLabel('Name').getAttribute('readonly'), '');
    assert.equal(await page.getByLabel('ID').inputValue(), String(group.id));

    await page.getByLabel('Key lifetime').fill('2h');
    await save(page).dblclick();
    await page.waitForURL(new RegExp(`/groups/${group.id}$`));
    assert.deepEqual(writes, [`PUT ${API_PREFIX}/groups/items/${group.id}`]);

    const held = await env.api(`/groups/items/${group.id}`);
    assert.equal(held.key_auto_expiry, 7200);
    assert.equal(held.colour, 'teal');
    assert.deepEqual(held.owner, { team: 'noc', tags: [1, 2] });
    assert.deepEqual(held.members.map((m) => m.serial), [SPARE]);
  }));

test('a failed save keeps the draft, says why, and a retry saves it', () =>
  env.withPage(
    async (page) => {
      const group = await createGroup({ name: 'e2e-retry', keepalive_interval: 30 });
      await openEditor(page, group.id);
      await page.route(`**${API_PREFIX}/groups/items/${group.id}`, (route) =>
        route.request().method() === 'PUT'
          ? route.fulfill({ status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' })
          : route.continue(),
      );
      await page.getByLabel('Keepalive interval').fill('90');
      await save(page).click();
      const failure = page.locator('.save-failure');
      await failure.getByText('The controller answered 502 with a non-JSON page').waitFor();
      assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '90');

      await page.unroute(`**${API_PREFIX}/groups/items/${group.id}`);
      await failure.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(new RegExp(`/groups/${group.id}$`));
      assert.equal((await env.api(`/groups/items/${group.id}`)).keepalive_interval, 90);
    },
    { expectedErrors: [/status of 502/] },
  ));

test('a group is deleted only behind a confirmation naming it and its members', () =>
  env.withPage(async (page) => {
    const group = await createGroup({ name: 'e2e-delete', members: [{ serial: SPARE }, { serial: 'EC-L-0B7D62' }] });
    await page.goto(`${env.url}/groups/${group.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();

    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Delete the group “e2e-delete”? It has 2 members').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await call('GET', `/groups/items/${group.id}`)).status, 200, 'Cancel deletes nothing');

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete “e2e-delete”' }).click();
    await page.waitForURL(/\/groups$/);
    await page.locator('.toast', { hasText: 'Deleted the group “e2e-delete”' }).waitFor();
    assert.equal((await call('GET', `/groups/items/${group.id}`)).status, 404);
    await page.locator('table a[href^="/groups/"]').first().waitFor();
    assert.equal(await page.locator(`table a[href="/groups/${group.id}"]`).count(), 0);
  }));

test('a delete whose answer was lost ends on the groups list when the group is found gone', () =>
  env.withPage(
    async (page) => {
      const group = await createGroup({ name: 'e2e-delete-lost' });
      await page.goto(`${env.url}/groups/${group.id}`);
      // The first delete reaches the controller, but its answer never comes back.
      let first = true;
      await page.route(`**/groups/items/${group.id}`, async (route) => {
        if (route.request().method() !== 'DELETE' || !first) return route.continue();
        first = false;
        await route.fetch();
        return route.abort('failed');
      });
      await page.getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByRole('button', { name: 'Delete “e2e-delete-lost”' }).click();
      await dialog.getByText('Cannot reach the controller').waitFor();
      assert.equal((await call('GET', `/groups/items/${group.id}`)).status, 404, 'the delete went through');
      // Trying again finds nothing to delete: that is what was asked.
      await dialog.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(/\/groups$/);
      await page.locator('.toast', { hasText: `The group ${group.id} is no longer on the controller` }).waitFor();
    },
    { expectedErrors: [/net::ERR_FAILED/, /status of 404/] },
  ));

test('leaving an editor with unsaved changes asks first', () =>
  env.withPage(async (page) => {
    const group = await createGroup({ name: 'e2e-leave', keepalive_interval: 30 });
    await openEditor(page, group.id);
    const editor = page.url();

    // Nothing changed: leaving does not ask.
    let asked = 0;
    page.on('dialog', () => asked++);
    await page.getByLabel('Keepalive interval').fill('30');
    await page.locator('nav').getByRole('link', { name: 'Appliances', exact: true }).click();
    await page.waitForURL(/\/appliances$/);
    assert.equal(asked, 0);
    await page.goBack();
    await page.getByLabel('Keepalive interval').waitFor();

    await page.getByLabel('Keepalive interval').fill('120');
    const answer = (accept) => page.once('dialog', (d) => (accept ? d.accept() : d.dismiss()));

    // A link in the app: "stay" keeps the page and the text.
    answer(false);
    await page.locator('nav').getByRole('link', { name: 'Appliances', exact: true }).click();
    await page.waitForTimeout(300);
    assert.equal(page.url(), editor);
    assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '120');

    // Reload: the browser asks through beforeunload.
    let kind;
    page.once('dialog', (d) => {
      kind = d.type();
      d.dismiss();
    });
    await page.reload({ timeout: 1500 }).catch(() => {});
    assert.equal(kind, 'beforeunload');
    assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '120');

    // A link in the app: "leave" goes.
    answer(true);
    await page.locator('nav').getByRole('link', { name: 'Appliances', exact: true }).click();
    await page.waitForURL(/\/appliances$/);
    assert.equal(asked, 3);
  }));

test('the back button asks too', () =>
  env.withPage(async (page) => {
    const group = await createGroup({ name: 'e2e-back', keepalive_interval: 30 });
    await page.goto(`${env.url}/groups/${group.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Keepalive interval').fill('300');
    const editor = page.url();

    page.once('dialog', (d) => d.dismiss());
    await page.goBack();
    await page.waitForTimeout(300);
    assert.equal(page.url(), editor);
    assert.equal(await page.getByLabel('Keepalive interval').inputValue(), '300');

    page.once('dialog', (d) => d.accept());
    await page.goBack();
    await page.waitForURL(new RegExp(`/groups/${group.id}$`));
    assert.equal((await env.api(`/groups/items/${group.id}`)).keepalive_interval, 30);
  }));
