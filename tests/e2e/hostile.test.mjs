// Hostile data: names, serials and extra properties that carry markup or script are shown as
// text on every page, with the controller's Content-Security-Policy on, and nothing in them runs.
// Also the shapes the spec allows that a careless client trips on: absent optional fields,
// unknown fields, empty lists, very long names, integral floats in integer fields, counters
// beyond 2^53.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { appliancePath, consoleUnderTest, downloaded, nowSeconds } from './lib/harness.mjs';

// Each payload sets window.__pwned (or reports through a CSP violation) if it ever runs.
const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload="window.__pwned=1">',
  '</script><script>window.__pwned=1</script>',
  "'><img src=x onerror='window.__pwned=1'>",
  'javascript:window.__pwned=1',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<a href="javascript:window.__pwned=1">click</a>',
  '<style>body{display:none}</style>',
  '<b onmouseover="window.__pwned=1">hover me</b>',
  '&lt;img src=x onerror=window.__pwned=1&gt;',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '<details open ontoggle="window.__pwned=1">',
  '<body onload="window.__pwned=1">',
  '<input autofocus onfocus="window.__pwned=1">',
  '<video><source onerror="window.__pwned=1"></video>',
  '<object data="javascript:window.__pwned=1"></object>',
  '<embed src="javascript:window.__pwned=1">',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '%3Cscript%3Ewindow.__pwned=1%3C/script%3E',
  '<svg><animate onbegin="window.__pwned=1" attributeName="x" dur="1s">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '\u202egnp.exe<img src=x onerror=window.__pwned=1>',
];

// Serials are path segments of the console's links and of API requests.
const SERIALS = ['EC-<b>1</b>', 'EC-a/b?c#d', 'EC-"quoted"', 'EC-%2e%2e', 'EC-<img src=x onerror=window.__pwned=1>'];

// Names a spreadsheet would run as formulas if an export gave them to it as they are.
const FORMULAS = ['=HYPERLINK("https://example.invalid/","open")', "@SUM(1+1)*cmd|' /C calc'!A0", '+1+1', '-2+3'];

const LONG_NAME = `edge-${'very-long-name-'.repeat(30)}end`;
const BIG = 2 ** 60; // far beyond 2^53, exactly representable in JSON as written by node

function stateFile() {
  const end = nowSeconds() - (nowSeconds() % 300);
  const appliances = PAYLOADS.map((name, i) => ({ serial: `EC-H${String(i).padStart(3, '0')}`, name }));
  appliances.push(...SERIALS.map((serial) => ({ serial, name: `named ${serial}` })));
  appliances.push(...FORMULAS.map((name, i) => ({ serial: `EC-F${i}`, name })));
  appliances.push({ serial: 'EC-BARE' }); // no name, no id, no membership
  appliances.push({ serial: 'EC-LONG', name: LONG_NAME, unknown_field: { nested: [1, 2] } });

  const members = (serials) => serials.map((serial) => ({ serial }));
  const groups = PAYLOADS.slice(0, 6).map((name, i) => ({
    name: `${name} #${i}`,
    key_auto_expiry: 3600,
    members: members([`EC-H${String(i).padStart(3, '0')}`, SERIALS[i % SERIALS.length]]),
    note: PAYLOADS[(i + 6) % PAYLOADS.length],
    [`<img src=x onerror=window.__pwned=${i}>`]: { html: '</script><script>window.__pwned=1</script>' },
  }));
  groups.push({ name: '=exports()', members: members(FORMULAS.map((_, i) => `EC-F${i}`)) });
  groups.push({ name: 'bare' }); // every optional field absent
  groups.push({
    name: LONG_NAME,
    key_auto_expiry: 86400.0,
    keepalive_interval: 30.0,
    rekey_pktcnt: 4294967296.0,
    members: members(['EC-LONG', 'EC-BARE']),
  });

  const stats = (n) =>
    Array.from({ length: 24 }, (_, k) => ({
      timestamp: end - (23 - k) * 300,
      data: { bytes_in: k === 5 ? BIG : 1_000_000 * n + k, bytes_out: 2_000_000, packets_in: 1000.0 },
    }));
  const peer_stats = groups.slice(0, 6).map((group, i) => ({
    group_index: i,
    serial: group.members[0].serial,
    stats: stats(i + 1),
    rekey_times: [end - 3600],
  }));
  peer_stats.push(...FORMULAS.map((_, i) => ({ group_index: 6, serial: `EC-F${i}`, stats: stats(i + 7), rekey_times: [] })));
  return { appliances, groups, peer_stats };
}

// The controller gives groups their ids in file order, from 1.
const state = stateFile();
state.groups.forEach((group, i) => (group.id = i + 1));
state.peer_stats = state.peer_stats.map(({ group_index, ...rest }) => ({ group_id: group_index + 1, ...rest }));

const env = consoleUnderTest({ state });

/** Watches the page for anything a payload would do if it ran. */
async function armTraps(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
    );
  });
}

async function assertNothingRan(page, where) {
  const { pwned, violations, dialogs } = await page.evaluate(() => ({
    pwned: window.__pwned,
    violations: window.__violations,
    dialogs: document.querySelectorAll('iframe, object, embed, script:not([src]):not([type="module"])').length,
  }));
  assert.equal(pwned, undefined, `a payload ran on ${where}`);
  assert.deepEqual(violations, [], `CSP violations on ${where}`);
  // trunk's loader is the page's one inline script; no payload may add an element of its own.
  assert.ok(dialogs <= 1, `${dialogs} script/iframe/object/embed elements on ${where}`);
}

async function settle(page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
}

test('payloads in names, serials and properties are shown as text on the lists', () =>
  env.withPage(async (page) => {
    await armTraps(page);

    await page.goto(`${env.url}/groups`);
    await settle(page);
    let text = await page.locator('main').innerText();
    for (const group of state.groups) {
      assert.ok(text.includes(group.name), `the groups list shows ${JSON.stringify(group.name)} as text`);
    }
    await assertNothingRan(page, '/groups');

    await page.goto(`${env.url}/appliances`);
    await settle(page);
    text = await page.locator('main').innerText();
    for (const appliance of state.appliances) {
      assert.ok(text.includes(appliance.serial), `the appliances list shows serial ${JSON.stringify(appliance.serial)}`);
      if (appliance.name) {
        assert.ok(text.includes(appliance.name), `the appliances list shows ${JSON.stringify(appliance.name)}`);
      }
    }
    await assertNothingRan(page, '/appliances');
  }));

test('every group page shows its hostile name, members and chart without running anything', () =>
  env.withPage(async (page) => {
    await armTraps(page);
    for (const group of state.groups) {
      await page.goto(`${env.url}/groups/${group.id}`);
      await settle(page);
      assert.equal((await page.locator('h1').innerText()).trim(), group.name.trim());
      assert.ok((await page.title()).includes(group.name.trim()), `the title names group ${group.id} as text`);
      const text = await page.locator('main').innerText();
      for (const member of group.members ?? []) {
        assert.ok(text.includes(member.serial), `group ${group.id} lists member ${JSON.stringify(member.serial)}`);
      }
      if ((group.members ?? []).length > 0) {
        await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
      }
      await assertNothingRan(page, `/groups/${group.id}`);
    }
  }));

/** The rows of an RFC 4180 CSV text, each a list of its fields unquoted. */
function csvRows(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rows.at(-1).push(field), (field = '');
    else if (c === '\n') rows.at(-1).push(field), (field = ''), rows.push([]);
    else field += c;
  }
  if (field !== '' || rows.at(-1).length > 0) rows.at(-1).push(field);
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

test('legends, read-outs and exports show hostile names as text, and an export never holds a formula', () =>
  env.withPage(async (page) => {
    await armTraps(page);
    for (const group of state.groups.filter((g) => state.peer_stats.some((p) => p.group_id === g.id))) {
      const peers = state.peer_stats.filter((p) => p.group_id === group.id);
      const nameOf = (serial) => state.appliances.find((a) => a.serial === serial).name ?? serial;
      // The legend lists every member; the read-out and the export, those with datapoints.
      const members = group.members.map((m) => nameOf(m.serial));
      const names = peers.map((p) => nameOf(p.serial));
      await page.goto(`${env.url}/groups/${group.id}?range=6h`);
      await settle(page);
      const figure = page.locator('figure.chart').first();
      await figure.locator('canvas[data-state="drawn"]').waitFor();
      const legend = (await figure.locator('.chart-legend button').allTextContents()).map((t) => t.trim());
      assert.deepEqual(legend.sort(), members.map((n) => n.trim()).sort(), `the legend of group ${group.id} names its peers as text`);

      const overlay = figure.locator('.chart-overlay');
      const box = await overlay.boundingBox();
      await overlay.hover({ position: { x: box.width * 0.6, y: box.height / 2 } });
      const readout = await figure.locator('.chart-tooltip').innerText();
      for (const name of names) assert.ok(readout.includes(name.trim()), `the read-out names ${JSON.stringify(name)} as text`);

      const csv = page.waitForEvent('download');
      await figure.getByRole('button', { name: 'Export CSV' }).click();
      const rows = csvRows((await downloaded(await csv)).toString('utf8'));
      assert.equal(rows[0][0], 'source');
      const sources = new Set(rows.slice(1).map((r) => r[0]));
      for (const name of names) {
        // A name a spreadsheet would run is led by an apostrophe; any other comes as it is.
        const want = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
        assert.ok(sources.has(want), `the CSV of group ${group.id} holds ${JSON.stringify(want)}: ${[...sources]}`);
      }
      for (const row of rows) {
        for (const cell of row) assert.doesNotMatch(cell, /^[=+@\t\r]|^-(?!\d+(\.\d+)?(e[+-]?\d+)?$)/, `a CSV cell a spreadsheet would run: ${cell}`);
      }
      const png = page.waitForEvent('download');
      await figure.getByRole('button', { name: 'Export PNG' }).click();
      assert.match((await png).suggestedFilename(), /\.png$/);
      assert.equal(await figure.locator('.field-error').count(), 0, 'the PNG export did not fail');
      await assertNothingRan(page, `the chart of group ${group.id}`);
    }
  }));

test('the member picker, the editor and the membership matrix show hostile names as text', () =>
  env.withPage(async (page) => {
    await armTraps(page);
    const bare = state.groups.find((g) => g.name === 'bare');
    await page.goto(`${env.url}/groups/${bare.id}`);
    await settle(page);
    const members = page.locator('section[aria-labelledby="members"]');
    await members.getByLabel('Find appliances').fill('pwned');
    const picked = members.locator('.picker-name');
    await picked.first().waitFor();
    const names = new Set(state.appliances.map((a) => (a.name ?? '').trim()));
    for (const text of await picked.allTextContents()) {
      assert.ok(names.has(text.trim()), `the picker shows ${JSON.stringify(text)} as an appliance's name`);
    }
    assert.ok((await picked.count()) >= 5, 'the picker lists the hostile names that match');
    await assertNothingRan(page, 'the member picker');

    for (const group of state.groups.slice(0, 6)) {
      await page.goto(`${env.url}/groups/${group.id}/edit`);
      await settle(page);
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), group.name, `the editor of group ${group.id} holds its name`);
      const others = await page.locator('.other-properties').innerText();
      assert.ok(others.includes(`<img src=x onerror=window.__pwned=${group.id - 1}>`), 'an unknown property is named as text');
      assert.ok(others.includes(JSON.stringify(group.note)), 'its value is shown as text');
      await assertNothingRan(page, `the editor of group ${group.id}`);
    }

    await page.goto(`${env.url}/membership`);
    await settle(page);
    const titles = await page.locator('th.group-col').evaluateAll((cells) => cells.map((c) => c.getAttribute('title')));
    assert.deepEqual(titles.sort(), state.groups.map((g) => g.name).sort(), 'every column is titled with its group\'s name');
    const text = await page.locator('main').innerText();
    for (const appliance of state.appliances.slice(0, 10)) {
      assert.ok(text.includes(appliance.serial), `the matrix lists ${JSON.stringify(appliance.serial)}`);
    }
    await assertNothingRan(page, '/membership');
  }));

async function assertAppliancePage(page, serial) {
  await settle(page);
  const heading = (await page.locator('h1').innerText()).trim();
  const appliance = state.appliances.find((a) => a.serial === serial);
  assert.equal(heading, (appliance.name ?? serial).trim(), `the page of ${JSON.stringify(serial)}`);
  assert.ok((await page.locator('main').innerText()).includes(serial));
  await assertNothingRan(page, `the page of ${serial}`);
}

test('appliance pages open by hostile serials, through the console\'s own links', () =>
  env.withPage(async (page) => {
    await armTraps(page);
    for (const serial of [...SERIALS, 'EC-BARE', 'EC-LONG', 'EC-H000']) {
      await page.goto(`${env.url}/appliances`);
      await settle(page);
      await page.locator(`table a[href="${appliancePath(serial)}"]`).click();
      await assertAppliancePage(page, serial);
    }
  }));

test('appliance pages open by deep links to hostile serials', () =>
  env.withPage(async (page) => {
    await armTraps(page);
    for (const serial of SERIALS) {
      await page.goto(`${env.url}${appliancePath(serial)}`);
      await assertAppliancePage(page, serial);
    }
  }));

test('integral floats, absent fields and counters beyond 2^53 read as numbers', () =>
  env.withPage(async (page) => {
    const long = state.groups.find((g) => g.name === LONG_NAME);
    await page.goto(`${env.url}/groups/${long.id}`);
    await settle(page);
    const settings = await page.locator('main').innerText();
    assert.match(settings, /1 d\b/, 'key_auto_expiry 86400.0 reads as a day');
    assert.match(settings, /30 s\b/, 'keepalive_interval 30.0 reads as 30 s');
    assert.doesNotMatch(settings, /NaN|undefined|null/);

    await page.goto(`${env.url}/groups/${state.groups.find((g) => g.name === 'bare').id}`);
    await settle(page);
    const bare = await page.locator('main').innerText();
    assert.match(bare, /Not set/, 'absent settings say so');
    assert.match(bare, /no members/i);
    assert.equal(await page.getByRole('alert').count(), 0, 'an all-absent group is not an error');
  }));

const empty = consoleUnderTest({ state: { appliances: [], groups: [], peer_stats: [] } });

test('a controller with no groups and no appliances gets pages that say so', () =>
  empty.withPage(async (page) => {
    const pages = [
      ['/groups', 'No groups are configured.'],
      ['/appliances', 'No appliances are registered.'],
      ['/membership', 'No appliances are registered, so there is no membership to change.'],
    ];
    for (const [path, words] of pages) {
      await page.goto(`${empty.url}${path}`);
      await settle(page);
      await page.getByText(words).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0, `an empty list is not an error on ${path}`);
    }
  }));
