// The workspace root, its local binaries, and how Nx is run from the scripts.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Path of a binary installed in the workspace's node_modules (no `npx`: faster and no npm warnings). */
export const bin = (name) => resolve(ROOT, 'node_modules/.bin', name);

/** Nx without daemon, cloud, terminal UI or prompts (see RECIPE "Nx offline hygiene"). */
export const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_INTERACTIVE: 'false' };

/**
 * Environment of a child whose output we pipe: it no longer sees a TTY, so colors are forced when
 * our own stdout is one (jest, nx and webpack honour FORCE_COLOR).
 */
export function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  if (process.stdout.isTTY && !env.NO_COLOR && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return env;
}

/** `nx <args>` as [command, args, options] for `run`/`runOrFail` from processes.mjs. */
export function nxCommand(args, { env = {}, ...options } = {}) {
  return [bin('nx'), args, { label: `nx ${args.join(' ')}`, env: childEnv({ ...NX_ENV, ...env }), ...options }];
}

/**
 * `nx run-many -t <target> ...` as for `nxCommand`. `--output-style=static` prints every task's
 * output (Nx otherwise hides that of successful tasks, and we want e.g. jest's summaries).
 */
export const nxRunMany = (target, args = [], options) => nxCommand(['run-many', '-t', target, '--output-style=static', ...args], options);
