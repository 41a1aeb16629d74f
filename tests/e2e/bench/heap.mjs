// Measures what 200 trips between two chart pages leave behind: JS heap after garbage
// collection, DOM nodes and event listeners, before and after. Run by `cargo xtask bench`, which
// builds everything and sets ST_CONTROLLER and ST_UI_DIR (BENCH_TRIPS overrides the 200). Prints
// one JSON object on stdout; messages go to stderr.
//
// The trips are in-app: the page clicks between the two groups' links in the groups list, then
// goes back and forth through the history, so every chart page is set up and torn down by the
// router as a user would cause it. Counters come from the DevTools protocol after a forced
// garbage collection (HeapProfiler.collectGarbage, Memory.getDOMCounters).

import { startBrowser } from '../lib/browser.mjs';
import { startController } from '../lib/controller.mjs';

const trips = Number(process.env.BENCH_TRIPS ?? 200);
const WARM_UP = 10;

async function counters(cdp) {
  for (let i = 0; i < 3; i += 1) await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { heap_bytes: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents };
}

async function chartDrawn(page, id) {
  await page.waitForURL(new RegExp(`/groups/${id}$`));
  await page.locator('figure.chart canvas[data-state="drawn"]').first().waitFor({ timeout: 30_000 });
}

async function trip(page, [a, b]) {
  await page.goBack();
  await page.locator('table a[href^="/groups/"]').first().waitFor();
  await page.locator(`table a[href="/groups/${b}"]`).click();
  await chartDrawn(page, b);
  await page.goBack();
  await page.locator('table a[href^="/groups/"]').first().waitFor();
  await page.locator(`table a[href="/groups/${a}"]`).click();
  await chartDrawn(page, a);
}

const controller = await startController();
const browser = await startBrowser();
try {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');

  await page.goto(`${controller.url}/groups`);
  await page.locator('table a[href^="/groups/"]').first().waitFor();
  const ids = await page
    .locator('table a[href^="/groups/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href').split('/').pop()));
  const pair = [ids[0], ids[1]];
  await page.locator(`table a[href="/groups/${pair[0]}"]`).click();
  await chartDrawn(page, pair[0]);

  for (let i = 0; i < WARM_UP; i += 1) await trip(page, pair);
  const before = await counters(cdp);
  const started = Date.now();
  for (let i = 0; i < trips; i += 1) {
    await trip(page, pair);
    if ((i + 1) % 50 === 0) console.error(`trip ${i + 1}/${trips}`);
  }
  const seconds = (Date.now() - started) / 1000;
  const after = await counters(cdp);
  process.stdout.write(`${JSON.stringify({ trips, pages_per_trip: 4, seconds, before, after })}\n`);
  await context.close();
} finally {
  await browser.stop();
  await controller.stop();
}
