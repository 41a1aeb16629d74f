// A group's page, with sign-in off: reached by clicking through and by a deep link, with its
// members and the charts of its traffic and rekeys: markers where the API's rekeys are, the
// legend, the range picker and the address, the hover tooltip, the table and the CSV export; and
// an appliance's chart within each of its groups.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { consoleUnderTest, downloaded, nowSeconds } from './lib/harness.mjs';

const env = consoleUnderTest();

const DAY = 24 * 60 * 60;
const MARKER_RGB = [0xd9, 0x48, 0x0f];
const COLOUR_TOLERANCE = 48;

/** The demo group with the most rekeys over the last day, with its members and rekey times. */
async function busiestGroup() {
  const { items } = await env.api('/groups');
  const end = nowSeconds();
  const withRekeys = await Promise.all(
    items.map(async (group) => {
      const stats = await env.api(`/groups/items/${group.id}/group_stats?start_time=${end - DAY}&end_time=${end}`);
      return { group, rekeys: stats.rekey_times ?? [] };
    }),
  );
  withRekeys.sort((a, b) => b.rekeys.length - a.rekeys.length);
  const busiest = withRekeys[0];
  assert.ok(busiest.rekeys.length > 0, 'some demo group rekeyed in the last 24 hours');
  const group = await env.api(`/groups/items/${busiest.group.id}`);
  return { group, rekeys: busiest.rekeys };
}

async function headingOf(page) {
  await page.locator('h1').waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has exactly one h1');
  return (await page.locator('h1').textContent()).trim();
}

/** Reads the first chart on the page once drawn: its data attributes and what its pixels show. */
async function readChart(page) {
  const canvas = page.locator('figure.chart canvas').first();
  await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
  const caption = (await page.locator('figure.chart figcaption').first().textContent()).trim();
  const chart = await canvas.evaluate((element, [markerRgb, tolerance]) => {
    const ratio = window.devicePixelRatio;
    const { width, height } = element;
    const pixels = element.getContext('2d').getImageData(0, 0, width, height).data;
    const at = (x, y) => Array.from(pixels.slice((y * width + x) * 4, (y * width + x) * 4 + 4));

    // The background is the most common colour; count what differs from it.
    const counts = new Map();
    for (let i = 0; i < pixels.length; i += 4) {
      const key = pixels.slice(i, i + 4).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const drawn = width * height - background[1];

    const isMarker = ([r, g, b, a]) =>
      a > 200 && [r, g, b].every((channel, i) => Math.abs(channel - markerRgb[i]) <= tolerance);
    const split = (name) => (element.dataset[name] ? element.dataset[name].split(',').map(Number) : []);
    const xs = split('rekeyX');
    // The middle row of the plot, and two rows near it: a series line may cross a marker in one.
    const rows = [0.45, 0.5, 0.55].map((f) => Math.round(height * f));
    const markers = xs.map((x) => {
      const px = Math.round(x * ratio);
      const samples = rows.map((y) => at(px, y));
      return { x, px, samples, hits: samples.filter(isMarker).length };
    });

    return {
      ratio,
      width,
      height,
      cssWidth: element.clientWidth,
      cssHeight: element.clientHeight,
      drawn,
      count: Number(element.dataset.rekeyCount),
      times: split('rekeyTimes'),
      markers,
      frame: {
        left: Number(element.dataset.plotLeft),
        right: Number(element.dataset.plotRight),
        start: Number(element.dataset.rangeStart),
        end: Number(element.dataset.rangeEnd),
      },
      isMarkerAt: (() => {
        const hits = {};
        for (const t of split('rekeyTimes')) {
          const x = Number(element.dataset.plotLeft)
            + ((t - Number(element.dataset.rangeStart)) / (Number(element.dataset.rangeEnd) - Number(element.dataset.rangeStart)))
            * (Number(element.dataset.plotRight) - Number(element.dataset.plotLeft));
          // Within a device pixel either side of where the time falls on the axis.
          const px = Math.round(x * ratio);
          hits[t] = [px - 1, px, px + 1].some((p) => rows.some((y) => isMarker(at(p, y))));
        }
        return hits;
      })(),
    };
  }, [MARKER_RGB, COLOUR_TOLERANCE]);
  return { ...chart, caption };
}

test('opening a group by its link shows its name, its members and a drawn chart of its rekeys', () =>
  env.withPage(
    async (page) => {
      const { group, rekeys } = await busiestGroup();

      await page.goto(`${env.url}/groups`);
      await page.locator(`table a[href="/groups/${group.id}"]`).click();
      await page.waitForURL(new RegExp(`/groups/${group.id}$`));
      assert.equal(await headingOf(page), group.name);

      const members = (group.members ?? []).map((m) => m.name ?? m.serial);
      assert.ok(members.length > 0, `group ${group.name} has members`);
      await page
        .waitForFunction((names) => names.every((n) => document.body.innerText.includes(n)), members)
        .catch(async () => {
          const text = await page.locator('body').innerText();
          const missing = members.filter((n) => !text.includes(n));
          assert.fail(`members not listed on the page: ${missing.join(', ')}`);
        });

      const chart = await readChart(page);
      assert.equal(chart.ratio, 2, 'the page runs at the device pixel ratio the test asked for');
      assert.ok(Math.abs(chart.width - chart.cssWidth * chart.ratio) <= 1, `backing store ${chart.width} px wide for ${chart.cssWidth} CSS px`);
      assert.ok(Math.abs(chart.height - chart.cssHeight * chart.ratio) <= 1, `backing store ${chart.height} px high for ${chart.cssHeight} CSS px`);
      assert.ok(chart.drawn >= chart.width, `the chart is not blank (${chart.drawn} pixels drawn)`);

      // The chart shows the last 24 hours; its edge and the one of the request above may differ
      // by a moment, so one rekey more or less is fine.
      assert.ok(Math.abs(chart.count - rekeys.length) <= 1, `the chart counts ${chart.count} rekeys, the API ${rekeys.length}`);
      assert.equal(chart.times.length, chart.count, 'data-rekey-times has data-rekey-count entries');
      assert.equal(chart.markers.length, chart.count, 'data-rekey-x has data-rekey-count entries');
      const end = nowSeconds();
      const { rekey_times: around } = await env.api(`/groups/items/${group.id}/group_stats?start_time=${end - DAY - 600}&end_time=${end + 600}`);
      for (const time of chart.times) {
        assert.ok(around.includes(time), `the chart's rekey at ${time} is one of the API's`);
      }
      assert.match(chart.caption, new RegExp(`\\b${chart.count} rekeys?\\b`));

      for (const marker of chart.markers) {
        assert.ok(marker.hits >= 2, `the rekey marker at x=${marker.x} (${marker.px} px) is #d9480f: ${JSON.stringify(marker.samples)}`);
      }

      // Every rekey the API reports within the chart's range is drawn where its time falls on
      // the time axis, worked out here from the plot's edges and the range.
      const { rekey_times: exact } = await env.api(`/groups/items/${group.id}/group_stats?start_time=${chart.frame.start}&end_time=${chart.frame.end}`);
      assert.deepEqual(chart.times, [...exact].sort((a, b) => a - b), 'the chart marks exactly the API\'s rekeys in its range');
      for (const time of exact) {
        assert.ok(chart.isMarkerAt[time], `a #d9480f marker is drawn at the x of the rekey at ${time}`);
      }

      // Hovering a marker names its time, on the browser's clock (this machine's).
      const [first] = exact;
      const overlay = page.locator('figure.chart canvas.chart-overlay').first();
      const x = chart.frame.left + ((first - chart.frame.start) / (chart.frame.end - chart.frame.start)) * (chart.frame.right - chart.frame.left);
      await overlay.hover({ position: { x, y: 60 } });
      const d = new Date(first * 1000);
      const two = (n) => String(n).padStart(2, '0');
      const local = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
      const named = (await page.locator('.chart-tooltip-rekey').first().textContent()).trim();
      assert.match(named, new RegExp(`^Rekey at ${local}( UTC)?$`));
    },
    { deviceScaleFactor: 2 },
  ));

test('a deep link to a group loads, and loads again on reload', () =>
  env.withPage(async (page) => {
    const { items } = await env.api('/groups');
    const group = items[items.length - 1];

    await page.goto(`${env.url}/groups/${group.id}`);
    assert.equal(await headingOf(page), group.name);
    await page.reload();
    assert.equal(await headingOf(page), group.name);
  }));

/** Opens a group's page at `query` and waits for its charts. */
async function openGroup(page, id, query = '') {
  await page.goto(`${env.url}/groups/${id}${query}`);
  await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
}

/** The first chart's figure, canvas and visible series names. */
function firstChart(page) {
  const figure = page.locator('figure.chart').first();
  const canvas = figure.locator('canvas.chart-canvas');
  return {
    figure,
    canvas,
    series: async () => (await canvas.getAttribute('data-series')).split(',').filter(Boolean),
    range: async () => ({
      start: Number(await canvas.getAttribute('data-range-start')),
      end: Number(await canvas.getAttribute('data-range-end')),
    }),
  };
}

/** How many pixels of the canvas are within a few levels of `rgb`. */
function pixelsOfColour(canvas, rgb) {
  return canvas.evaluate((element, colour) => {
    const { width, height } = element;
    const data = element.getContext('2d').getImageData(0, 0, width, height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if ([0, 1, 2].every((c) => Math.abs(data[i + c] - colour[c]) <= 6)) n += 1;
    }
    return n;
  }, rgb);
}

function rgbOf(css) {
  return css.match(/\d+/g).slice(0, 3).map(Number);
}

/** The group with the most members, with its peers' stats over the last day. */
async function groupWithPeers() {
  const { items } = await env.api('/groups');
  const group = [...items].sort((a, b) => (b.members ?? []).length - (a.members ?? []).length)[0];
  return env.api(`/groups/items/${group.id}`);
}

test('the legend names each peer and hides one from the chart, the table and the export', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id);
    const chart = firstChart(page);
    const names = group.members.map((m) => m.name ?? m.serial);
    const legend = chart.figure.locator('.chart-legend button');
    assert.deepEqual((await legend.allTextContents()).map((t) => t.trim()).sort(), [...names].sort());

    const button = legend.filter({ hasText: names[0] });
    const colour = rgbOf(await button.locator('.swatch').evaluate((e) => getComputedStyle(e).backgroundColor));
    const before = await pixelsOfColour(chart.canvas, colour);
    assert.ok(before > 50, `${names[0]}'s lines are drawn in its legend colour (${before} pixels)`);
    assert.equal(await button.getAttribute('aria-pressed'), 'true');

    await button.click();
    await page.waitForFunction((name) => !document.querySelector('figure.chart canvas.chart-canvas').dataset.series.includes(`${name} in`), names[0]);
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    const after = await pixelsOfColour(chart.canvas, colour);
    assert.ok(after < before / 20, `hidden, ${names[0]} leaves ${after} of ${before} pixels of its colour`);
    assert.ok(!(await chart.series()).some((s) => s.startsWith(`${names[0]} `)));
    assert.equal((await chart.series()).length, 2 * (names.length - 1), 'the others stay, in and out');

    // Another range keeps what the legend hides.
    const before6h = (await chart.range()).end - (await chart.range()).start;
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h' }).click();
    await page.waitForFunction(
      (span) => {
        const c = document.querySelector('figure.chart canvas.chart-canvas');
        return c.dataset.state === 'drawn' && Number(c.dataset.rangeEnd) - Number(c.dataset.rangeStart) !== span;
      },
      before6h,
    );
    assert.equal(await button.getAttribute('aria-pressed'), 'false', 'still hidden after the range changed');
    assert.ok(!(await chart.series()).some((s) => s.startsWith(`${names[0]} `)));

    await button.click();
    await page.waitForFunction((name) => document.querySelector('figure.chart canvas.chart-canvas').dataset.series.includes(`${name} in`), names[0]);
  }));

test('the range picker changes the request and the address, and a reload keeps it', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id);
    const chart = firstChart(page);
    const day = await chart.range();
    assert.equal(day.end - day.start, DAY, 'the last 24 hours by default');

    const asked = page.waitForRequest((r) => r.url().includes('/all_peer_group_stats?'));
    await page.getByRole('button', { name: 'Last 6 hours' }).click();
    const request = new URL((await asked).url());
    const span = Number(request.searchParams.get('end_time')) - Number(request.searchParams.get('start_time'));
    assert.equal(span, 6 * 3600, 'the controller is asked for 6 hours');
    await page.waitForURL(/[?&]range=6h\b/);
    await page.waitForFunction(() => {
      const c = document.querySelector('figure.chart canvas.chart-canvas');
      return c.dataset.rangeEnd - c.dataset.rangeStart === 6 * 3600;
    });

    await page.reload();
    await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
    const again = await chart.range();
    assert.equal(again.end - again.start, 6 * 3600, 'the reloaded page shows 6 hours');
    assert.equal(await page.getByRole('button', { name: 'Last 6 hours' }).getAttribute('aria-pressed'), 'true');

    // A custom range, typed in UTC, is two fixed ends in the address.
    await page.getByLabel('Time zone').selectOption('utc');
    await page.waitForURL(/[?&]tz=utc\b/);
    const end = nowSeconds() - 3 * 3600;
    const iso = (t) => new Date(t * 1000).toISOString().slice(0, 16);
    const endMinute = Math.floor(end / 60) * 60;
    await page.getByLabel('From', { exact: true }).fill(iso(endMinute - 2 * 3600));
    await page.getByLabel('To', { exact: true }).fill(iso(endMinute));
    const custom = page.waitForRequest((r) => r.url().includes('/all_peer_group_stats?'));
    await page.getByRole('button', { name: 'Apply' }).click();
    const customUrl = new URL((await custom).url());
    assert.equal(Number(customUrl.searchParams.get('start_time')), endMinute - 2 * 3600);
    assert.equal(Number(customUrl.searchParams.get('end_time')), endMinute);
    await page.waitForURL(new RegExp(`from=${endMinute - 2 * 3600}&to=${endMinute}&tz=utc`));
    await page.reload();
    await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor();
    assert.deepEqual(await chart.range(), { start: endMinute - 2 * 3600, end: endMinute });
  }));

/** A peer's datapoints sorted, and the rate of bytes in (bits/s) over the interval ending at each. */
function bitRatesIn(points) {
  const sorted = [...points].sort((a, b) => a.timestamp - b.timestamp);
  return new Map(sorted.slice(1).map((p, i) => [p.timestamp, (p.data.bytes_in * 8) / (p.timestamp - sorted[i].timestamp)]));
}

/** "379 Mb/s" → 379e6. */
function parseBitRate(text) {
  const [, number, prefix] = text.match(/([\d.]+)\s*([kMGT]?)b\/s/);
  return Number(number) * { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[prefix];
}

test('while a new range loads, the charts of the old one are marked as such, and go once it comes', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id, '?range=7d&tz=utc');
    let release;
    const released = new Promise((resolve) => (release = resolve));
    let held = 0;
    await page.route('**/all_peer_group_stats*', async (route) => {
      held += 1;
      await released;
      await route.continue();
    });
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Loading the new range' });
    await notice.waitFor();
    assert.equal(await page.locator('.charts').getAttribute('aria-busy'), 'true');
    // The old range's charts are still there, but marked as the previous range's.
    assert.equal(await page.locator('.charts.stale figure.chart').count(), 2);
    while (held === 0) await page.waitForTimeout(50);
    release();
    await notice.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.charts').getAttribute('aria-busy'), 'false');
    const { start, end } = await firstChart(page).range();
    assert.ok(Math.abs(end - start - 3600) <= 1, 'the charts now show the last hour');
  }));

test('hovering the chart shows the time and every line\'s rate there', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id, '?range=6h&tz=utc');
    const chart = firstChart(page);
    const { start, end } = await chart.range();
    const left = Number(await chart.canvas.getAttribute('data-plot-left'));
    const right = Number(await chart.canvas.getAttribute('data-plot-right'));
    const stats = await env.api(`/groups/items/${group.id}/all_peer_group_stats?start_time=${start}&end_time=${end}`);
    const peer = stats.peer_stats.find((p) => (p.stats ?? []).length > 10);
    const rates = bitRatesIn(peer.stats);
    const t = [...rates.keys()][Math.floor(rates.size / 2)];

    const overlay = chart.figure.locator('canvas.chart-overlay');
    const x = left + ((t - start) / (end - start)) * (right - left);
    await overlay.hover({ position: { x, y: 100 } });
    const tooltip = chart.figure.locator('.chart-tooltip');
    await tooltip.waitFor();
    const when = new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
    assert.equal((await tooltip.locator('.chart-tooltip-time').textContent()).trim(), `${when} UTC`);

    const rows = await tooltip.locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()]));
    const series = await chart.series();
    assert.deepEqual(rows.map(([name]) => name).sort(), [...series].sort(), 'one row per visible line');
    const name = group.members.find((m) => m.serial === peer.serial).name ?? peer.serial;
    const shown = parseBitRate(rows.find(([n]) => n === `${name} in`)[1]);
    const want = rates.get(t);
    assert.ok(Math.abs(shown - want) <= want * 0.006, `${name} in at ${t}: shown ${shown}, the API's datapoints give ${want}`);

    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'detached' });
  }));

test('the chart is read with the keyboard too: arrows step through the datapoints, words for a screen reader', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id, '?range=6h&tz=utc');
    const chart = firstChart(page);
    const { start, end } = await chart.range();
    const stats = await env.api(`/groups/items/${group.id}/all_peer_group_stats?start_time=${start}&end_time=${end}`);
    const times = [...new Set(stats.peer_stats.flatMap((p) => (p.stats ?? []).map((d) => d.timestamp)))]
      .filter((t) => t >= start && t <= end)
      .sort((a, b) => a - b);
    const utc = (t) => `${new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

    const slider = chart.figure.getByRole('slider', { name: `Read-out of Throughput by peer in ${group.name}` });
    const tooltip = chart.figure.locator('.chart-tooltip');
    const shownTime = async () => (await tooltip.locator('.chart-tooltip-time').textContent()).trim();
    // Reach it by Tab from the range presets, as a keyboard user does.
    await chart.figure.locator('.chart-legend button').last().focus();
    await page.keyboard.press('Tab');
    assert.equal(await slider.evaluate((e) => e === document.activeElement), true, 'Tab reaches the plot after the legend');
    assert.equal(await tooltip.count(), 0);

    await page.keyboard.press('Home');
    assert.equal(await shownTime(), utc(times[0]));
    await page.keyboard.press('ArrowRight');
    assert.equal(await shownTime(), utc(times[1]), 'an arrow steps to the next datapoint');
    assert.equal(Number(await slider.getAttribute('aria-valuenow')), times[1]);
    const words = await slider.getAttribute('aria-valuetext');
    assert.ok(words.startsWith(utc(times[1])), words);
    for (const line of await chart.series()) assert.ok(words.includes(line), `the words name ${line}: ${words}`);

    await page.keyboard.press('End');
    assert.equal(await shownTime(), utc(times.at(-1)));
    await page.keyboard.press('PageDown');
    const paged = times.findLast((t) => t <= times.at(-1) - Math.floor((end - start) / 10));
    assert.equal(await shownTime(), utc(paged), 'Page Down goes back a tenth of the range');

    await page.keyboard.press('Escape');
    await tooltip.waitFor({ state: 'detached' });
    assert.match(await slider.getAttribute('aria-valuetext'), /arrow keys/);
  }));

test('on a touch screen a finger dragged sideways moves the read-out, which stays when it lifts', () =>
  env.withPage(
    async (page) => {
      const group = await groupWithPeers();
      await openGroup(page, group.id, '?range=6h&tz=utc');
      const chart = firstChart(page);
      const { start, end } = await chart.range();
      const left = Number(await chart.canvas.getAttribute('data-plot-left'));
      const right = Number(await chart.canvas.getAttribute('data-plot-right'));
      const box = await chart.figure.locator('canvas.chart-overlay').boundingBox();
      const y = box.y + box.height / 2;
      const xAt = (share) => box.x + left + share * (right - left);
      const touch = await page.context().newCDPSession(page);
      const finger = (type, x) =>
        touch.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
      await finger('touchStart', xAt(0.2));
      for (let step = 5; step <= 16; step += 1) await finger('touchMove', xAt(step / 20));
      const tooltip = chart.figure.locator('.chart-tooltip');
      await tooltip.waitFor();
      await finger('touchEnd');
      await page.waitForTimeout(300);
      assert.equal(await tooltip.count(), 1, 'the read-out stays after the finger lifts');
      const shown = (await tooltip.locator('.chart-tooltip-time').textContent()).trim();
      const at = Date.parse(`${shown.replace(' UTC', '').replace(' ', 'T')}:00Z`) / 1000;
      const wanted = start + 0.8 * (end - start);
      assert.ok(Math.abs(at - wanted) <= 600, `the read-out is where the finger stopped: ${shown}`);
    },
    { hasTouch: true },
  ));

test('the table shows the chart\'s numbers and the CSV export holds the API\'s datapoints', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id, '?range=1h&tz=utc');
    const chart = firstChart(page);
    const { start, end } = await chart.range();
    const stats = await env.api(`/groups/items/${group.id}/all_peer_group_stats?start_time=${start}&end_time=${end}`);

    const toggle = chart.figure.getByRole('button', { name: 'Show table' });
    await toggle.click();
    const table = chart.figure.locator('.chart-table table');
    await table.waitFor();
    const header = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
    assert.deepEqual(header.slice(1), await chart.series());
    const times = new Set(stats.peer_stats.flatMap((p) => (p.stats ?? []).map((d) => d.timestamp)));
    const rowCount = await table.locator('tbody tr').count();
    assert.ok(rowCount >= times.size - 1 && rowCount <= times.size, `${rowCount} rows for ${times.size} datapoint times`);
    assert.equal(await chart.figure.getByRole('button', { name: 'Hide table' }).getAttribute('aria-expanded'), 'true');
    await chart.figure.getByRole('button', { name: 'Hide table' }).click();
    await table.waitFor({ state: 'detached' });

    const download = page.waitForEvent('download');
    await chart.figure.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    // The file is named after the group and the range in UTC, so exports of several ranges never collide.
    const compact = (t) => new Date(t * 1000).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
    const stem = `throughput-by-peer-in-${group.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    assert.equal(file.suggestedFilename(), `${stem}-${compact(start)}-${compact(end)}.csv`);
    const lines = (await downloaded(file)).toString('utf8').trim().split('\n');
    const columns = lines[0].split(',');
    assert.ok(columns.includes('in_bits_per_s'), `the header names the rates' unit: ${lines[0]}`);
    const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
    for (const peer of stats.peer_stats) {
      const ours = rows.filter((r) => r.key === peer.serial);
      const theirs = [...(peer.stats ?? [])].sort((a, b) => a.timestamp - b.timestamp);
      assert.deepEqual(ours.map((r) => Number(r.timestamp)), theirs.map((d) => d.timestamp), `${peer.serial}: a row per datapoint`);
      assert.deepEqual(ours.map((r) => r.bytes_in), theirs.map((d) => String(d.data.bytes_in)), `${peer.serial}: bytes in as sent`);
      assert.deepEqual(ours.map((r) => r.packets_out), theirs.map((d) => String(d.data.packets_out ?? '')), `${peer.serial}: packets out as sent`);
      const rates = bitRatesIn(peer.stats);
      for (const r of ours.filter((row) => rates.has(Number(row.timestamp)))) {
        assert.ok(Math.abs(Number(r.in_bits_per_s) - rates.get(Number(r.timestamp))) < 1e-6, `${peer.serial} rate at ${r.timestamp}`);
      }
    }

    const png = page.waitForEvent('download');
    await chart.figure.getByRole('button', { name: 'Export PNG' }).click();
    const picture = await png;
    assert.equal(picture.suggestedFilename(), `${stem}-${compact(start)}-${compact(end)}.png`);
    const image = await downloaded(picture);
    assert.deepEqual([...image.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    // The picture carries a heading and the legend above the chart: it is taller than the canvas.
    const canvasHeight = await chart.figure.locator('canvas.chart-canvas').evaluate((c) => c.height);
    assert.ok(image.readUInt32BE(20) > canvasHeight, `the PNG (${image.readUInt32BE(20)} px) is taller than the chart (${canvasHeight} px)`);
  }));

test('a range without data says so in words', () =>
  env.withPage(async (page) => {
    const group = await groupWithPeers();
    await openGroup(page, group.id, '?from=978307200&to=978393600&tz=utc');
    const caption = (await page.locator('figure.chart figcaption').first().textContent()).trim();
    assert.equal(caption, 'No throughput data, 0 rekeys');
    await page.getByRole('button', { name: 'Show table' }).first().click();
    await page.getByText('No rates to list in this range.').first().waitFor();
  }));

test('an appliance\'s page charts its traffic in each of its groups with that group\'s rekeys', () =>
  env.withPage(async (page) => {
    const { items } = await env.api('/groups');
    const group = await env.api(`/groups/items/${items[0].id}`);
    const serial = group.members[0].serial;
    await page.goto(`${env.url}/appliances/${encodeURIComponent(serial)}?range=7d`);
    const section = page.locator('section.group-traffic').filter({ hasText: group.name });
    const canvas = section.locator('canvas.chart-canvas[data-state="drawn"]');
    await canvas.waitFor();
    const start = Number(await canvas.getAttribute('data-range-start'));
    const end = Number(await canvas.getAttribute('data-range-end'));
    assert.equal(end - start, 7 * DAY);
    const stats = await env.api(`/appliances/items/${encodeURIComponent(serial)}/group_stats?group_id=${group.id}&start_time=${start}&end_time=${end}`);
    const times = (await canvas.getAttribute('data-rekey-times')).split(',').filter(Boolean).map(Number);
    assert.deepEqual(times, [...new Set(stats.rekey_times)].sort((a, b) => a - b));
    assert.ok(times.length > 0, 'the group rekeyed in a week');
  }));

// 2026-10-25 01:00 UTC: Berlin goes from UTC+2 to UTC+1. A peer reports every half hour around it.
const AUTUMN = 1_792_890_000;
const autumn = consoleUnderTest({
  state: {
    appliances: [{ serial: 'EC-DST', name: 'berlin-1' }],
    groups: [{ id: 1, name: 'night-of-the-change', members: [{ serial: 'EC-DST' }] }],
    peer_stats: [
      {
        group_id: 1,
        serial: 'EC-DST',
        stats: Array.from({ length: 13 }, (_, k) => ({
          timestamp: AUTUMN - 3 * 3600 + k * 1800,
          data: { bytes_in: 1_000_000 + k, bytes_out: 1_000 },
        })),
        rekey_times: [],
      },
    ],
  },
});

test('across a daylight-saving change local times read right on both sides', () =>
  autumn.withPage(
    async (page) => {
      await page.goto(`${autumn.url}/groups/1?from=${AUTUMN - 4 * 3600}&to=${AUTUMN + 4 * 3600}&tz=local`);
      const chart = firstChart(page);
      await chart.canvas.and(page.locator('[data-state="drawn"]')).waitFor();
      await chart.figure.getByRole('button', { name: 'Show table' }).click();
      const times = await chart.figure
        .locator('.chart-table tbody th')
        .evaluateAll((cells) => cells.map((c) => [Number(c.dataset.t), c.textContent.trim()]));
      const local = new Map(times);
      assert.equal(
        (await chart.figure.locator('.chart-table thead th').first().textContent()).trim(),
        'Interval ending (UTC+02:00, then UTC+01:00)',
      );
      // 22:00 UTC is midnight in summer time; 02:00 UTC is 03:00 in winter time; the hour from
      // 02:00 to 03:00 comes twice, each time with its offset.
      assert.equal(local.get(AUTUMN - 3 * 3600), '2026-10-25 00:00 (UTC+02:00)');
      assert.equal(local.get(AUTUMN - 1800), '2026-10-25 02:30 (UTC+02:00)');
      assert.equal(local.get(AUTUMN + 1800), '2026-10-25 02:30 (UTC+01:00)');
      assert.equal(local.get(AUTUMN + 3600), '2026-10-25 03:00 (UTC+01:00)');

      // The hover read-out agrees with the table before the change.
      await chart.figure.locator('.chart-legend button').last().focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Home');
      assert.equal((await chart.figure.locator('.chart-tooltip-time').textContent()).trim(), local.get(times[0][0]));
    },
    { timezoneId: 'Europe/Berlin' },
  ));
