// Measures the console's throughput chart against uPlot on the same data, side by side in one
// page of one browser: the time to draw 50 peers × 10,000 points (in and out: 100 lines of
// 10,000 rates) and the cost of one hover. Run by `cargo xtask bench`, which builds everything and
// sets ST_CONTROLLER, ST_UI_DIR and BENCH_RUNS. Prints one JSON object on stdout; messages go to
// stderr.
//
// The console's side is its own wasm, as the controller serves it: trunk's loader puts the
// wasm's exports on `window.wasmBindings`, and `ChartBench` (src/bench.rs) wraps the chart's
// `draw` and `draw_hover`. uPlot comes from tests/e2e/node_modules and is added to the same page
// (the context bypasses the page's Content-Security-Policy for that one script).
//
// Both get the same rates, generated here, on canvases of the same CSS size and pixel ratio.
// A draw is timed until the canvas has been rasterised (a one-pixel getImageData forces it), after
// uPlot's deferred commit has run. Each draw after the first is timed BENCH_RUNS times; each hover
// is the mean over 100 pointer positions across the plot.

import { createRequire } from 'node:module';

import { startBrowser } from '../lib/browser.mjs';
import { startController } from '../lib/controller.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const PEERS = 50;
const POINTS = 10_000;
const WIDTH = 1200;
const HEIGHT = 400;
const RATIO = 2;

const require = createRequire(import.meta.url);

async function measure(page) {
  return page.evaluate(
    async ({ peers, points, width, height, runs }) => {
      const flush = (canvas) => canvas.getContext('2d').getImageData(0, 0, 1, 1);
      const tick = () => new Promise((resolve) => queueMicrotask(resolve));
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

      // The data: one shared time axis every 60 s, and a wandering rate per line.
      const step = 60;
      const t0 = 1_700_000_000;
      const times = Float64Array.from({ length: points }, (_, i) => t0 + i * step);
      const lines = peers * 2;
      const values = new Float64Array(lines * points);
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      for (let l = 0; l < lines; l += 1) {
        let v = 1e8 * (1 + random());
        for (let i = 0; i < points; i += 1) {
          v = Math.max(0, v + (random() - 0.5) * 1e7);
          values[l * points + i] = v;
        }
      }

      const stage = document.createElement('div');
      stage.style.cssText = `position:fixed;left:0;top:0;z-index:10;background:#fff;width:${width}px`;
      document.body.append(stage);
      const box = (tag) => {
        const element = document.createElement(tag);
        element.style.cssText = `display:block;position:relative;width:${width}px;height:${height}px`;
        stage.append(element);
        return element;
      };

      // The console.
      const plot = box('div');
      const canvas = document.createElement('canvas');
      const overlay = document.createElement('canvas');
      for (const c of [canvas, overlay]) {
        c.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px`;
        plot.append(c);
      }
      const bench = new window.wasmBindings.ChartBench(times, values, step);
      let start = performance.now();
      bench.draw(canvas);
      flush(canvas);
      const consoleFirst = performance.now() - start;
      const consoleDraws = [];
      for (let r = 0; r < runs; r += 1) {
        start = performance.now();
        bench.draw(canvas);
        flush(canvas);
        consoleDraws.push(performance.now() - start);
      }
      const left = 90;
      const right = width - 20;
      const positions = Array.from({ length: 100 }, (_, i) => left + ((right - left) * (i + 0.5)) / 100);
      const consoleHovers = [];
      for (let r = 0; r < runs; r += 1) {
        start = performance.now();
        let read = 0;
        for (const x of positions) {
          read += bench.hover(overlay, x);
          flush(overlay);
        }
        consoleHovers.push((performance.now() - start) / positions.length);
        if (read === 0) throw new Error('the console read no value while hovering');
      }

      // uPlot, on the same rates.
      const target = box('div');
      const data = [times];
      for (let l = 0; l < lines; l += 1) data.push(values.subarray(l * points, (l + 1) * points));
      const palette = ['#1c6ec6', '#2b8a3e', '#7048e8', '#0b7285', '#c2255c'];
      const options = {
        width,
        height,
        pxRatio: window.devicePixelRatio,
        legend: { show: true, live: true },
        series: [
          {},
          ...Array.from({ length: lines }, (_, l) => ({
            label: `peer ${Math.floor(l / 2)} ${l % 2 ? 'out' : 'in'}`,
            stroke: palette[Math.floor(l / 2) % palette.length],
            width: 1.5,
            dash: l % 2 ? [5, 3] : undefined,
            points: { show: false },
          })),
        ],
      };
      start = performance.now();
      const u = new window.uPlot(options, data, target);
      await tick();
      flush(u.ctx.canvas);
      const uplotFirst = performance.now() - start;
      const uplotDraws = [];
      for (let r = 0; r < runs; r += 1) {
        start = performance.now();
        u.setData(data);
        await tick();
        flush(u.ctx.canvas);
        uplotDraws.push(performance.now() - start);
      }
      const uplotHovers = [];
      for (let r = 0; r < runs; r += 1) {
        start = performance.now();
        for (const x of positions) {
          u.setCursor({ left: x - u.bbox.left / window.devicePixelRatio, top: height / 3 });
          await tick();
        }
        uplotHovers.push((performance.now() - start) / positions.length);
      }
      u.destroy();
      stage.remove();

      return {
        console: { first_draw_ms: consoleFirst, draw_ms: median(consoleDraws), hover_ms: median(consoleHovers), draws: consoleDraws, hovers: consoleHovers },
        uplot: { first_draw_ms: uplotFirst, draw_ms: median(uplotDraws), hover_ms: median(uplotHovers), draws: uplotDraws, hovers: uplotHovers },
      };
    },
    { peers: PEERS, points: POINTS, width: WIDTH, height: HEIGHT, runs },
  );
}

const controller = await startController();
const browser = await startBrowser();
try {
  const context = await browser.browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: RATIO,
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  // Any address serves the console; this one shows its "not found" page under the bench's stage.
  await page.goto(`${controller.url}/chart-bench`);
  await page.waitForFunction(() => window.wasmBindings?.ChartBench !== undefined, null, { timeout: 30_000 });
  await page.addScriptTag({ path: require.resolve('uplot/dist/uPlot.iife.min.js') });
  await page.addStyleTag({ path: require.resolve('uplot/dist/uPlot.min.css') });
  const version = require('uplot/package.json').version;

  const result = await measure(page);
  console.error(`console: ${JSON.stringify(result.console.draws.map(Math.round))} ms per draw`);
  console.error(`uPlot ${version}: ${JSON.stringify(result.uplot.draws.map(Math.round))} ms per draw`);
  process.stdout.write(`${JSON.stringify({
    runs,
    peers: PEERS,
    points: POINTS,
    css_size: [WIDTH, HEIGHT],
    pixel_ratio: RATIO,
    uplot_version: version,
    ...result,
  })}\n`);
  await context.close();
} finally {
  await browser.stop();
  await controller.stop();
}
