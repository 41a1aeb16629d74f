// Starts the reference controller for one test file: on a free port, in memory, with demo data,
// serving the built console. Sign-in is on when an access code is given, off otherwise.
//
// The binary and the console come from the environment, as `cargo xtask test e2e` sets them:
// ST_CONTROLLER (the st-controller binary) and ST_UI_DIR (trunk's dist/ directory).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const KEPT_LOG_LINES = 200;

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite with \`cargo xtask test e2e\`, which sets it`);
  }
  return value;
}

/**
 * Starts `st-controller` and resolves once it listens.
 *
 * @param {{ accessCode?: string, load?: string, extraArgs?: string[] }} options with `accessCode`,
 *   sign-in is on with that code; without, the controller runs with `--no-auth`. With `load` (a
 *   state file's path) the controller holds that file's data instead of the demo data. `extraArgs`
 *   go on the command line after the others (such as `['--faults', 'error=0.2']`).
 * @returns {Promise<{ url: string, printedCode: string | undefined, log: () => string,
 *   stop: () => Promise<void> }>}
 */
export async function startController({ accessCode, load, extraArgs = [] } = {}) {
  const binary = requiredEnv('ST_CONTROLLER');
  const data = load === undefined ? ['--demo'] : ['--load', load];
  const args = ['--listen', '127.0.0.1:0', '--db', ':memory:', ...data, '--ui', requiredEnv('ST_UI_DIR')];
  args.push(...(accessCode === undefined ? ['--no-auth'] : ['--access-code', accessCode]));
  args.push(...extraArgs);

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logLines = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    logLines.push(line);
    if (logLines.length > KEPT_LOG_LINES) logLines.shift();
  });
  const log = () => logLines.join('\n');

  const stop = () => stopProcess(child);
  try {
    const { url, printedCode } = await readStartLines(child);
    return { url, printedCode, log, stop };
  } catch (error) {
    await stop();
    throw new Error(`${binary} ${args.join(' ')}: ${error.message}\ncontroller log:\n${log()}`);
  }
}

/** Reads `access code: CODE` (when sign-in is on) and `listening on http://HOST:PORT` from stdout. */
function readStartLines(child) {
  return new Promise((resolve, reject) => {
    let printedCode;
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const done = (settle, value) => {
      clearTimeout(timer);
      settle(value);
    };
    child.once('error', (error) => done(reject, error));
    child.once('exit', (code, signal) => done(reject, new Error(`exited (${signal ?? code}) before listening`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const code = line.match(/^access code: (.+)$/);
      if (code) printedCode = code[1];
      const listening = line.match(/^listening on (http:\/\/\S+)$/);
      if (listening) done(resolve, { url: listening[1], printedCode });
    });
  });
}

/** Ends a child process by its own pid: SIGTERM, then SIGKILL if it lingers. */
export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
