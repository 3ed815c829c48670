// Child processes: every child runs in its own process group (`detached: true`) so that stopping
// it also stops whatever it started (nx workers, webpack, jest). Children are tracked until they
// exit; `stopAll()` and the SIGINT/SIGTERM handlers stop them, and an `exit` hook SIGKILLs any
// survivors so that no detached process outlives the script.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

import { color, describeError, error, Fail, PREFIX_COLORS, stripAnsi, warn } from './log.mjs';
import { ROOT } from './workspace.mjs';

const TAIL_LINES = 40;
const PREFIX_WIDTH = 14;
export const STOP_TIMEOUT_MS = 10_000;

/** Children that have not exited yet. */
const live = new Set();
const shutdownHooks = new Set();
const prefixColors = new Map();
let shuttingDown = false;

/**
 * Starts `command args` in a new process group and returns a handle:
 * `{ name, pid, exited: Promise<{code, signal}>, exitStatus (set once exited), lastLines(), stop() }`.
 *
 * `output` decides where the child's stdout/stderr go:
 *  - 'prefix' (long-running apps): line by line, each prefixed with `name` (colored on a TTY);
 *  - 'tee' (commands such as nx): passed through unchanged, as it streams;
 *  - 'quiet': not shown (still kept for `lastLines()`).
 * `onLine(line)` additionally receives every output line, ANSI codes removed.
 */
export function start(name, command, args = [], { cwd = ROOT, env = process.env, output = 'prefix', onLine } = {}) {
  if (shuttingDown) throw new Fail(`not starting ${name}: shutting down`);
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const handle = {
    name,
    pid: child.pid,
    stopping: false,
    lastLines: () => tail.slice(),
    stop: (timeoutMs) => stop(handle, timeoutMs),
  };

  const paint = prefixColor(name);
  const prefix = `${paint(name.padEnd(PREFIX_WIDTH))} ${color.dim('│')} `;
  for (const [stream, target] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    if (output === 'tee') stream.on('data', (chunk) => target.write(chunk));
    forEachLine(stream, (raw) => {
      const line = stripAnsi(raw);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      // Both streams go to stdout: this is a log view, and one stream keeps the lines in order.
      if (output === 'prefix') process.stdout.write(prefix + raw + '\n');
      onLine?.(line);
    });
  }

  handle.exited = new Promise((resolve) => {
    child.once('error', (err) => {
      // spawn failed (e.g. ENOENT): there is no process and 'exit' will not follow.
      tail.push(err.message);
      live.delete(handle);
      handle.exitStatus = { code: null, signal: null, error: err };
      resolve(handle.exitStatus);
    });
    child.once('exit', async (code, signal) => {
      live.delete(handle);
      // Let the last output drain, but do not wait for pipes a daemonised grandchild may keep open.
      await Promise.race([
        Promise.all([child.stdout, child.stderr].map((s) => new Promise((r) => (s.readableEnded ? r() : s.once('end', r))))),
        sleep(1000),
      ]);
      handle.exitStatus = { code, signal };
      resolve(handle.exitStatus);
    });
  });
  if (child.pid) live.add(handle);
  return handle;
}

/** Runs a command to completion (output teed by default); resolves to `{ ok, code, signal, lastLines }`. */
export async function run(command, args = [], { label = command, output = 'tee', ...options } = {}) {
  const handle = start(label, command, args, { output, ...options });
  const result = await handle.exited;
  return { ...result, ok: result.code === 0, lastLines: handle.lastLines() };
}

/** Like `run`, but throws a `Fail` naming `label` unless the command succeeds. */
export async function runOrFail(command, args = [], options = {}) {
  const label = options.label ?? [command, ...args].join(' ');
  const result = await run(command, args, { ...options, label });
  if (!result.ok) {
    // Output that was not shown as it streamed is shown now; teed output is already on screen.
    const shown = (options.output ?? 'tee') === 'tee';
    throw new Fail(`${label} failed (${describeExit(result)})${shown ? '' : formatTail(result.lastLines)}`);
  }
  return result;
}

export function describeExit({ code, signal, error: spawnError }) {
  if (spawnError) return spawnError.message;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** The last output lines of a child, indented, for an error message. */
export function formatTail(lines, count = 20) {
  if (lines.length === 0) return '\n  (no output)';
  const shown = lines.slice(-count).map((line) => `    ${line}`);
  return `\n  last output:\n${shown.join('\n')}`;
}

/** SIGTERM to the child's process group; SIGKILL after `timeoutMs`. Resolves once it has exited. */
export async function stop(handle, timeoutMs = STOP_TIMEOUT_MS) {
  handle.stopping = true;
  if (!live.has(handle)) return handle.exited;
  signalGroup(handle.pid, 'SIGTERM');
  const timer = new AbortController();
  const exitedInTime = await Promise.race([
    handle.exited.then(() => true),
    sleep(timeoutMs, false, { signal: timer.signal }).catch(() => true),
  ]);
  timer.abort();
  if (!exitedInTime) warn(`${handle.name} did not stop within ${timeoutMs / 1000} s: killing it`);
  // Also sweeps up anything left in the group after its leader exited.
  signalGroup(handle.pid, 'SIGKILL');
  return handle.exited;
}

/** Stops every child still running, all at once. */
export async function stopAll(timeoutMs = STOP_TIMEOUT_MS) {
  await Promise.all([...live].map((handle) => stop(handle, timeoutMs)));
}

/** Registers `hook` (async) to run on SIGINT/SIGTERM after all children stopped; returns an unregister function. */
export function onShutdown(hook) {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}

/**
 * Ctrl-C / SIGTERM: stop all children, run the shutdown hooks, then exit with `exitCode(signal)`
 * (default 130/143). Another signal a second or more later kills everything at once; one sooner is
 * ignored, because `npm run` forwards the terminal's SIGINT, which we also get directly.
 * On any exit, children still alive are killed.
 */
export function installSignalHandlers({ exitCode = (signal) => (signal === 'SIGINT' ? 130 : 143) } = {}) {
  let firstSignalAt = 0;
  const onSignal = async (signal) => {
    if (shuttingDown) {
      if (Date.now() - firstSignalAt < 1000) return;
      killAll();
      process.exit(exitCode(signal));
    }
    shuttingDown = true;
    firstSignalAt = Date.now();
    console.error(color.yellow(`\n${signal}: stopping (again to kill at once)…`));
    await stopAll();
    for (const hook of shutdownHooks) {
      try {
        await hook();
      } catch (err) {
        error(describeError(err));
      }
    }
    process.exit(exitCode(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAll);
}

function killAll() {
  for (const handle of live) signalGroup(handle.pid, 'SIGKILL');
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err; // ESRCH: the group is already gone
  }
}

function prefixColor(name) {
  if (!prefixColors.has(name)) prefixColors.set(name, PREFIX_COLORS[prefixColors.size % PREFIX_COLORS.length]);
  return prefixColors.get(name);
}

/** Calls `onLine` for every complete line of `stream`, and for a last unterminated one. */
function forEachLine(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split(/\r?\n/);
    pending = lines.pop();
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => pending && onLine(pending));
}
