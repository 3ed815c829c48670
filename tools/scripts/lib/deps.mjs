// Makes sure node_modules matches package.json / package-lock.json, running `npm install` if not.
// `npm ci` is not used: the registry mirror lacks optional platform packages it insists on
// (RECIPE pitfall 2); `npm install` with the committed lock file is equivalent here.
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, utimesSync } from 'node:fs';
import { resolve } from 'node:path';

import { Fail, info, note } from './log.mjs';
import { runOrFail } from './processes.mjs';
import { childEnv, ROOT } from './workspace.mjs';

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[\w.]+)?$/;

/** Why an install is needed, or null when node_modules is current. */
export function installReason() {
  const installedLock = resolve(ROOT, 'node_modules/.package-lock.json');
  if (!existsSync(resolve(ROOT, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(installedLock)) return 'node_modules/.package-lock.json is missing';
  // A linked node_modules (a git worktree sharing another checkout's install) is judged by its
  // contents only: a fresh checkout's lock file is always newer.
  const linked = lstatSync(resolve(ROOT, 'node_modules')).isSymbolicLink();
  if (!linked && statSync(resolve(ROOT, 'package-lock.json')).mtimeMs > statSync(installedLock).mtimeMs) {
    return 'package-lock.json is newer than node_modules';
  }
  // package.json may name a package (or pin a version) that was never installed.
  const installed = JSON.parse(readFileSync(installedLock, 'utf8')).packages ?? {};
  const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
  for (const [name, wanted] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const entry = installed[`node_modules/${name}`];
    if (!entry) return `${name} is not installed`;
    // Linked packages (file:, workspaces) carry no version of their own.
    if (!entry.link && EXACT_VERSION.test(wanted) && entry.version !== wanted) {
      return `${name} is ${entry.version}, package.json wants ${wanted}`;
    }
  }
  return null;
}

export async function ensureDeps() {
  const reason = installReason();
  if (!reason) {
    note('node_modules is up to date');
    return;
  }
  // `npm install` here would replace the link with an install of its own.
  const modules = resolve(ROOT, 'node_modules');
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new Fail(`${reason}, but node_modules links to ${readlinkSync(modules)} (a shared install): run npm install there`);
  }
  info(`${reason}: running npm install --no-audit --no-fund`);
  await runOrFail('npm', ['install', '--no-audit', '--no-fund'], { env: childEnv(), label: 'npm install' });
  // npm leaves the file alone when nothing changed; touch it so the same lock file does not
  // trigger another (no-op) install next time.
  const now = new Date();
  utimesSync(resolve(ROOT, 'node_modules/.package-lock.json'), now, now);
}
