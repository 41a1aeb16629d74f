// Debian's Chromium driven by playwright-core: headless, with the flags it needs on these machines
// (shared with the wasm tests through chromium-flags.json). Never downloads a browser.

import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const FLAGS = JSON.parse(readFileSync(new URL('./chromium-flags.json', import.meta.url), 'utf8'));
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Launches Chromium as a server process of its own, so that it can be ended by its pid, and
 * connects to it.
 *
 * @returns {Promise<{ browser: import('playwright-core').Browser, stop: () => Promise<void> }>}
 */
export async function startBrowser() {
  const server = await chromium.launchServer({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: FLAGS,
    headless: true,
  });
  const pid = server.process().pid;
  let browser;
  try {
    browser = await chromium.connect(server.wsEndpoint());
  } catch (error) {
    await server.kill();
    throw error;
  }

  const stop = async () => {
    await withTimeout(browser.close(), CLOSE_TIMEOUT_MS).catch(() => {});
    await withTimeout(server.close(), CLOSE_TIMEOUT_MS).catch(() => {});
    killIfAlive(pid);
  };
  return { browser, stop };
}

function killIfAlive(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone, as it should be after close().
  }
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
