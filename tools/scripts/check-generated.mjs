#!/usr/bin/env node
// Checks the protobuf contracts: `buf lint`, then regenerates libs/proto/src/generated with
// `buf generate` and fails if that changed anything, i.e. if the committed generated code does
// not match proto/. In a git checkout (with commits) "changed" means `git status` shows changes
// there (so uncommitted generated code fails too); otherwise the files before and after
// generating are compared.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

import { describeError, error, Fail, info, note } from './lib/log.mjs';
import { runOrFail } from './lib/processes.mjs';
import { bin, ROOT } from './lib/workspace.mjs';

const GENERATED = 'libs/proto/src/generated';

const git = (...args) => promisify(execFile)('git', args, { cwd: ROOT });

/** Whether git can tell us what changed: a work tree with at least one commit. */
async function gitUsable() {
  try {
    await git('rev-parse', '--verify', '--quiet', 'HEAD');
    return true;
  } catch {
    return false;
  }
}

/** `git status` lines for the generated code (untracked files listed one by one). */
async function gitChanges() {
  const { stdout } = await git('status', '--porcelain', '--untracked-files=all', '--', GENERATED);
  return stdout.split('\n').filter(Boolean);
}

/** path → content of every file under `dir` (relative to the workspace root). */
function snapshot(dir) {
  const files = new Map();
  if (!existsSync(join(ROOT, dir))) return files;
  for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    files.set(relative(ROOT, path), readFileSync(path, 'utf8'));
  }
  return files;
}

/** Lines in the style of `git status --porcelain` for the differences between two snapshots. */
function snapshotChanges(before, after) {
  const changes = [];
  for (const [path, content] of after) {
    if (!before.has(path)) changes.push(`A  ${path}`);
    else if (before.get(path) !== content) changes.push(`M  ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`D  ${path}`);
  return changes;
}

try {
  await runOrFail(bin('buf'), ['lint', 'proto'], { label: 'buf lint proto' });
  const useGit = await gitUsable();
  if (!useGit) note('not a git checkout with commits: comparing the generated files before and after generating');
  const before = useGit ? null : snapshot(GENERATED);
  await runOrFail(bin('buf'), ['generate', 'proto', '--template', 'proto/buf.gen.yaml'], { label: 'buf generate' });
  const changes = useGit ? await gitChanges() : snapshotChanges(before, snapshot(GENERATED));
  if (changes.length > 0) {
    throw new Fail(`generated code is stale: run \`nx run proto:generate\` and commit\n  ${changes.join('\n  ')}`);
  }
  info(`${GENERATED} is up to date`);
} catch (err) {
  error(describeError(err));
  process.exit(1);
}
