// Runs one load job (see load-worker.mjs) in a child process of its own, pinned to the last CPU
// core with `taskset -c` where taskset exists, so that the load generator neither shares an event
// loop with the harness nor wanders between cores.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = resolve(fileURLToPath(new URL('load-worker.mjs', import.meta.url)));
const TASKSET = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'taskset'))
  .find((path) => existsSync(path));

/** The core the load generator runs on, or null when it cannot be pinned. */
export const LOAD_CORE = TASKSET ? cpus().length - 1 : null;

const workers = new Set();
process.on('exit', () => workers.forEach((child) => child.kill('SIGKILL')));

/** Runs `job` in a (pinned) worker; resolves to its result, rejects with its error. */
export function runLoad(job) {
  const [command, args] = TASKSET ? [TASKSET, ['-c', String(LOAD_CORE), process.execPath, WORKER]] : [process.execPath, [WORKER]];
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  workers.add(child);
  return new Promise((resolvePromise, reject) => {
    child.once('message', (answer) => (answer.ok ? resolvePromise(answer.result) : reject(new Error(answer.error))));
    child.once('exit', (code, signal) => {
      workers.delete(child);
      reject(new Error(`load worker exited (${code ?? signal}) without an answer`));
    });
    child.send(job);
  });
}
