#!/usr/bin/env node
// `npm run cpd`: the twins check (issue 15). notes-service and todos-service share one way of
// doing each common thing through @micronote/server-data; this runs jscpd 4.3.0 over both
// services' sources with the settings of .jscpd.json (--min-lines 4 --min-tokens 30, what is left
// out and why is in its $comment) and fails when a clone pairs a notes-service file with a
// todos-service file, or repeats code within one file of them. Other clones (none today) are
// listed but do not fail the check.
//
//   npm run cpd                  → exit 0 when the twins share no copied code, 1 otherwise
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

import { color, describeError, error, Fail } from './lib/log.mjs';
import { ROOT } from './lib/workspace.mjs';

const SOURCES = ['apps/notes-service/src', 'apps/todos-service/src'];
const OUTPUT = 'tmp/jscpd-twins';
const SERVICE = /^apps\/(notes|todos)-service\//;

function runJscpd() {
  rmSync(resolve(ROOT, OUTPUT), { recursive: true, force: true });
  const result = spawnSync(
    'npx',
    ['--no-install', 'jscpd', '--config', '.jscpd.json', '--reporters', 'json,console', '--output', OUTPUT, '--silent', ...SOURCES],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Fail(`jscpd exited with ${result.status}`);
  return JSON.parse(readFileSync(resolve(ROOT, OUTPUT, 'jscpd-report.json'), 'utf8'));
}

const serviceOf = (file) => SERVICE.exec(file.replaceAll('\\', '/'))?.[1];

/** A clone the check fails on: notes ↔ todos, or twice within one file of either service. */
export function isTwinClone(clone) {
  const [a, b] = [clone.firstFile.name, clone.secondFile.name];
  const [sa, sb] = [serviceOf(a), serviceOf(b)];
  if (!sa || !sb) return false;
  return sa !== sb || a === b;
}

const where = (file) => `${file.name} [${file.startLoc?.line ?? file.start}-${file.endLoc?.line ?? file.end}]`;

function main() {
  const report = runJscpd();
  const clones = report.duplicates ?? [];
  const twins = clones.filter(isTwinClone);
  const { sources, clones: total } = report.statistics.total;
  for (const clone of clones) {
    const mark = isTwinClone(clone) ? color.red('twin clone') : color.yellow('clone');
    console.log(`${mark} (${clone.lines} lines, ${clone.tokens} tokens): ${where(clone.firstFile)} = ${where(clone.secondFile)}`);
  }
  if (twins.length > 0) {
    throw new Fail(
      `${twins.length} clone(s) between or within notes-service and todos-service: move the shared code into @micronote/server-data`,
    );
  }
  console.log(color.green(`twins check: ${sources} files, ${total} clones, none between or within notes-service and todos-service`));
}

try {
  main();
} catch (err) {
  error(describeError(err));
  process.exitCode = 1;
}
