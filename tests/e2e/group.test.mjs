// A group's page, with sign-in off: reached by clicking through and by a deep link, with its
// members and the chart of its traffic and rekeys over the last 24 hours.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { consoleUnderTest, nowSeconds } from './lib/harness.mjs';

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
