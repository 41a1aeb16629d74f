// Measures the per-keystroke cost of filtering 10,000 appliances: the time from an input event
// in the filter box to the next painted frame, on the appliances list and on the membership
// matrix (50 groups). Run by `cargo xtask bench`, which sets ST_CONTROLLER, ST_UI_DIR and
// BENCH_RUNS. Prints one JSON object on stdout; messages go to stderr.
//
// The controller loads a generated state file (`--load`): appliances SN-00000…SN-09999, and 50
// groups of 200 members each (appliance i is in group i mod 60 when that is below 50, so a sixth
// of them are in no group). Each run types the same text one character at a time, then clears it.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startBrowser } from '../lib/browser.mjs';
import { startController } from '../lib/controller.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const APPLIANCES = 10_000;
const GROUPS = 50;
const TYPED = 'sn-012';

function stateFile() {
  const appliances = [];
  const groups = Array.from({ length: GROUPS }, (_, g) => ({ name: `group-${String(g).padStart(2, '0')}`, members: [] }));
  for (let i = 0; i < APPLIANCES; i += 1) {
    const serial = `SN-${String(i).padStart(5, '0')}`;
    appliances.push({ serial, name: `site-${i}` });
    if (i % 60 < GROUPS) groups[i % 60].members.push({ serial });
  }
  return { appliances, groups };
}

// Runs in the page: sets the filter box to `text` as typing does and resolves with the
// milliseconds until the frame after the update was painted.
function typeAndTime([selector, text]) {
  const input = document.querySelector(selector);
  return new Promise((resolve) => {
    const start = performance.now();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
  });
}

async function keystrokes(page, selector) {
  const times = [];
  const texts = [...TYPED].map((_, i) => TYPED.slice(0, i + 1)).concat(['']);
  for (const text of texts) {
    times.push(await page.evaluate(typeAndTime, [selector, text]));
  }
  return times;
}

async function measure(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/appliances`);
    await page.locator('table.appliances tbody tr').first().waitFor({ timeout: 60_000 });
    const list = await keystrokes(page, '.list-tools input[type="search"]');

    await page.goto(`${url}/membership`);
    await page.locator('table.matrix tbody tr').first().waitFor({ timeout: 60_000 });
    const matrix = await keystrokes(page, '.matrix-tools input[type="search"]');
    return { list_keystroke_ms: list.map(round), matrix_keystroke_ms: matrix.map(round) };
  } finally {
    await context.close();
  }
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}

const dir = await mkdtemp(join(tmpdir(), 'st-bench-'));
const file = join(dir, 'state.json');
await writeFile(file, JSON.stringify(stateFile()));
const controller = await startController({ load: file });
const browser = await startBrowser();
try {
  const results = [];
  await measure(browser.browser, controller.url);
  for (let i = 0; i < runs; i += 1) {
    const result = await measure(browser.browser, controller.url);
    console.error(`run ${i + 1}/${runs}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  process.stdout.write(`${JSON.stringify({ appliances: APPLIANCES, groups: GROUPS, runs: results })}\n`);
} finally {
  await browser.stop();
  await controller.stop();
  await rm(dir, { recursive: true, force: true });
}
