// The environment of one test file: a controller of its own and a browser, started before the
// first test and stopped after the last, and the helpers tests use to talk to both.
//
//   const env = consoleUnderTest();               // sign-in off
//   const env = consoleUnderTest({ accessCode }); // sign-in on
//   const env = consoleUnderTest({ state });      // the data of a state file instead of the demo
//   const env = consoleUnderTest({ extraArgs: ['--faults', 'error=0.3'] }); // more controller options
//
//   test('...', () => env.withPage(async (page) => { ... }));
//
// `withPage` gives each test a fresh browser context (no cache, no storage) and fails the test if
// the page threw an uncaught error or logged a console error, unless the test says it expects it.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { startBrowser } from './browser.mjs';
import { startController } from './controller.mjs';

export const API_PREFIX = '/api/cmc.sectransport/2.0';
export const TOKEN_PATH = '/api/common/1.0/oauth/token';
const PAGE_TIMEOUT_MS = 15_000;

/**
 * @param {{ accessCode?: string, state?: object, extraArgs?: string[] }} options `state`: a state
 *   file's content (`{appliances, groups, peer_stats}`), written to a temporary file for the
 *   controller to load. `extraArgs`: more arguments for the controller's command line.
 */
export function consoleUnderTest(options = {}) {
  let controller;
  let browser;
  let token;

  before(async () => {
    const load = options.state === undefined ? undefined : await writeState(options.state);
    controller = await startController({ accessCode: options.accessCode, load, extraArgs: options.extraArgs });
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.stop();
    await controller?.stop();
  });

  return {
    /** The controller's base URL, `http://127.0.0.1:PORT`. */
    get url() {
      return controller.url;
    },

    /** The access code the controller printed on stdout, if sign-in is on. */
    get printedCode() {
      return controller.printedCode;
    },

    /** GETs an API resource (a path below the API prefix) as JSON, signing in first if needed. */
    async api(path) {
      if (options.accessCode !== undefined && token === undefined) {
        token = await signIn(controller.url, options.accessCode);
      }
      const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
      const response = await fetch(`${controller.url}${API_PREFIX}${path}`, { headers });
      assert.equal(response.status, 200, `GET ${API_PREFIX}${path}: ${await response.clone().text()}`);
      return response.json();
    },

    /**
     * Runs `body` with a new page and checks that nothing went wrong in it.
     *
     * @param {(page: import('playwright-core').Page) => Promise<void>} body
     * @param {{ expectedErrors?: RegExp[], deviceScaleFactor?: number, hasTouch?: boolean, timezoneId?: string }} pageOptions
     *   `expectedErrors`: console errors the test provokes on purpose (a refused sign-in).
     *   `hasTouch`: the page has a touch screen. `timezoneId`: the browser's time zone (else the machine's).
     */
    async withPage(body, { expectedErrors = [], deviceScaleFactor = 1, hasTouch = false, timezoneId } = {}) {
      const context = await browser.browser.newContext({
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor,
        hasTouch,
        timezoneId,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      const problems = watchForProblems(page, expectedErrors);
      try {
        await body(page);
      } catch (error) {
        error.message += details(problems, controller);
        throw error;
      } finally {
        await context.close();
      }
      assert.deepEqual(problems, [], `the page reported errors${details(problems, controller)}`);
    },
  };
}

/** Writes a state file into a new temporary directory and returns its path. */
async function writeState(state) {
  const dir = await mkdtemp(join(tmpdir(), 'st-e2e-'));
  const path = join(dir, 'state.json');
  await writeFile(path, JSON.stringify(state));
  return path;
}

/** Collects uncaught errors and console errors, leaving out the expected ones. */
function watchForProblems(page, expectedErrors) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('crash', () => problems.push('the page crashed'));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location().url;
    // The browser asks for an icon the console does not have; that is not the console's error.
    if (where.endsWith('/favicon.ico')) return;
    if (expectedErrors.some((pattern) => pattern.test(text))) return;
    problems.push(`console error: ${text}${where ? ` (${where})` : ''}`);
  });
  return problems;
}

function details(problems, controller) {
  const parts = [];
  if (problems.length > 0) parts.push(`\nbrowser:\n  ${problems.join('\n  ')}`);
  const log = controller?.log().split('\n').slice(-20).join('\n  ');
  if (log) parts.push(`\ncontroller log (last lines):\n  ${log}`);
  return parts.join('');
}

/** Signs in with an access code as the console does, and returns the bearer token. */
export async function signIn(baseUrl, accessCode) {
  const response = await fetch(`${baseUrl}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(accessCode),
  });
  const body = await response.text();
  assert.equal(response.status, 200, `POST ${TOKEN_PATH}: ${body}`);
  return JSON.parse(body).access_token;
}

/** `grant_type=access_code&assertion=<base64url {"alg":"none"}>.<code>.&state=...` */
export function tokenRequestBody(accessCode) {
  const header = Buffer.from('{"alg":"none"}').toString('base64url');
  return new URLSearchParams({
    grant_type: 'access_code',
    assertion: `${header}.${accessCode}.`,
    state: 'e2e',
  }).toString();
}

/**
 * The console's address of an appliance's page: the serial encoded twice, because the router
 * decodes a path once before it decodes its parameters (see `paths::appliance`).
 */
export function appliancePath(serial) {
  return `/appliances/${encodeURI(encodeURIComponent(serial))}`;
}

/** Seconds since the epoch, as the API counts time. */
export function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** The bytes of a download (the browser runs apart from this process, so they are streamed). */
export async function downloaded(download) {
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks);
}
