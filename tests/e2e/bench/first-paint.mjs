// Measures how long the console takes, on a first visit, to paint the groups list on demo data.
// Run by `cargo xtask bench`, which builds everything and sets ST_CONTROLLER, ST_UI_DIR and
// BENCH_RUNS. Prints one JSON object on stdout; messages go to stderr.
//
// Each run opens a new browser context (empty cache) and navigates to /groups. In the page, a
// mutation observer notes when the first group link appears in the table; the moment after the
// next frame is the one the list was painted. Times are milliseconds from navigation start
// (performance.now()), next to the browser's own first-contentful-paint entry.

import { startBrowser } from '../lib/browser.mjs';
import { startController } from '../lib/controller.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const FIRST_GROUP = 'table a[href^="/groups/"]';

// Runs in the page before any of its scripts.
function recordGroupsPainted(selector) {
  window.__groupsPainted = new Promise((resolve) => {
    const painted = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
    const observer = new MutationObserver(() => {
      if (document.querySelector(selector)) {
        observer.disconnect();
        painted();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

async function measure(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(recordGroupsPainted, FIRST_GROUP);
    await page.goto(`${url}/groups`);
    await page.locator(FIRST_GROUP).first().waitFor({ timeout: 30_000 });
    const groupsPainted = await page.evaluate(() => window.__groupsPainted);
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    );
    return { first_contentful_paint_ms: round(fcp), groups_painted_ms: round(groupsPainted) };
  } finally {
    await context.close();
  }
}

function round(ms) {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

const controller = await startController();
const browser = await startBrowser();
try {
  const results = [];
  // One run first to warm the controller and the disk cache, not counted.
  await measure(browser.browser, controller.url);
  for (let i = 0; i < runs; i += 1) {
    const result = await measure(browser.browser, controller.url);
    console.error(`run ${i + 1}/${runs}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  process.stdout.write(`${JSON.stringify({ runs: results })}\n`);
} finally {
  await browser.stop();
  await controller.stop();
}
