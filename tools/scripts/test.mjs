#!/usr/bin/env node
// `npm test`: what CI checks, as Nx targets, plus the machine set-up they need; named, timed steps:
//   deps → infra → proto → unit → integration → build → e2e → bench → cpd
// - deps: `npm install` if node_modules is out of date; infra: MySQL and Redis answer (started on a
//   dev box if need be), and the Debian tools `nx test deploy` uses (docker-compose, promtool);
// - proto: `nx run proto:check` (buf lint, generated code up to date);
// - unit: `nx run-many -t lint typecheck test`;
// - integration: `-t test:integration --parallel=1` (the projects share MySQL and Redis);
// - build: `-t build`;
// - e2e: `-t e2e --parallel=1`: gateway-e2e and web-e2e, one at a time, each against a fresh system
//   of its own (apps/<project>/src/support/global-setup.mjs);
// - bench: `node bench/run.mjs --quick` (--no-build after the build step): every benchmark still
//   runs and produces numbers (< 2 min); not the performance targets;
// - cpd: `npm run cpd` (copy/paste check), once tools/scripts/check-twins.mjs exists.
// A failed step does not stop the ones after it (deps and infra do; e2e and bench are skipped when
// the build failed). At the end: a summary, the wall time and, last, the sum of Jest's results as
// one line `Tests: <P> passed, <F> failed[, <S> skipped]`. Exit code 1 if any step failed.
//
// Flags (`npm test -- <flags>`):
//   --affected       `nx affected` instead of `nx run-many`: only the projects a change touches
//   --base <rev>     with --affected: what to compare with (default: nx.json defaultBase, main)
//   --head <rev>     with --affected: the change's last commit (default: the work tree)
//   --only <steps>   run only these steps (comma list; deps always, infra when needed), e.g. --only e2e
//   --skip <steps>   skip these steps, e.g. --skip integration,bench
//   --e2e <pattern>  in the e2e step, only the gateway-e2e specs whose path matches <pattern>
//                    (jest --testPathPatterns), and no web-e2e; e.g. --only e2e --e2e security
//   --help           print this
// Step names: proto, unit, integration, build, e2e, bench, cpd.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ensureDeps } from './lib/deps.mjs';
import { ensureDeployTools, ensureInfra } from './lib/infra.mjs';
import { describeError, error, Fail, formatDuration } from './lib/log.mjs';
import { installSignalHandlers, runOrFail } from './lib/processes.mjs';
import { createSteps, StepFailed } from './lib/steps.mjs';
import { createTestTally } from './lib/test-tally.mjs';
import { nxCommand, ROOT } from './lib/workspace.mjs';

const STEP_NAMES = ['proto', 'unit', 'integration', 'build', 'e2e', 'bench', 'cpd'];
const NEEDS_INFRA = new Set(['unit', 'integration', 'e2e', 'bench']);
const CPD_SCRIPT = 'tools/scripts/check-twins.mjs';

const started = performance.now();
const steps = createSteps();
const tally = createTestTally();

function parseFlags() {
  const { values } = parseArgs({
    options: {
      affected: { type: 'boolean' },
      base: { type: 'string' },
      head: { type: 'string' },
      only: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      e2e: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    // The comment block at the top of this file is the help text.
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    console.log(source.match(/^(\/\/.*\n)+/m)[0].replace(/^\/\/ ?/gm, ''));
    process.exit(0);
  }
  const names = (lists = []) =>
    lists
      .flatMap((list) => list.split(','))
      .map((name) => name.trim())
      .filter(Boolean);
  const only = names(values.only);
  const skip = names(values.skip);
  const unknown = [...only, ...skip].filter((name) => !STEP_NAMES.includes(name));
  if (unknown.length > 0) throw new Fail(`unknown step(s) ${unknown.join(', ')}; steps are ${STEP_NAMES.join(', ')}`);
  if ((values.base || values.head) && !values.affected) throw new Fail('--base and --head go with --affected');
  const selected = STEP_NAMES.filter((name) => (only.length === 0 || only.includes(name)) && !skip.includes(name));
  return { ...values, selected };
}

async function main({ selected, affected, base, head, e2e: e2eFilter }) {
  installSignalHandlers();
  await steps.must('deps', ensureDeps);
  if (selected.some((name) => NEEDS_INFRA.has(name))) {
    await steps.must('infra', async () => {
      await ensureInfra();
      if (selected.includes('unit')) await ensureDeployTools();
    });
  }

  /** `nx run-many` (or `nx affected`) of `targets`, every task's output shown (and Jest's results counted). */
  const nx = (targets, args = []) => {
    const mode = affected ? ['affected', ...(base ? [`--base=${base}`] : []), ...(head ? [`--head=${head}`] : [])] : ['run-many'];
    return runOrFail(...nxCommand([...mode, '-t', ...targets, '--output-style=static', ...args], { onLine: tally.onLine }));
  };
  const buildFailed = () => selected.includes('build') && !steps.passed('build');
  const run = {
    proto: () => runOrFail(...nxCommand(['run', 'proto:check'])),
    unit: () => nx(['lint', 'typecheck', 'test']),
    integration: () => nx(['test:integration'], ['--parallel=1']),
    build: () => nx(['build']),
    // The apps' builds are dependencies of the e2e targets (cached when the build step ran).
    e2e: () =>
      e2eFilter
        ? runOrFail(...nxCommand(['run', 'gateway-e2e:e2e', `--testPathPatterns=${e2eFilter}`], { onLine: tally.onLine }))
        : nx(['e2e'], ['--parallel=1']),
    // bench/run.mjs builds every app itself unless the build step just did.
    bench: () =>
      runOrFail(process.execPath, ['bench/run.mjs', '--quick', ...(selected.includes('build') && !affected ? ['--no-build'] : [])], {
        label: 'bench --quick',
      }),
    cpd: () => runOrFail('npm', ['run', 'cpd'], { label: 'npm run cpd' }),
  };
  for (const name of selected) {
    if ((name === 'e2e' || name === 'bench') && buildFailed()) steps.skip(name, 'the build failed');
    else if (name === 'cpd' && !existsSync(resolve(ROOT, CPD_SCRIPT))) steps.skip(name, `there is no ${CPD_SCRIPT} yet`);
    else await steps.run(name, run[name]);
  }
}

let flags;
try {
  flags = parseFlags();
} catch (err) {
  error(`${err.message} (see --help)`);
  process.exit(2);
}
let crashed = false;
try {
  await main(flags);
} catch (err) {
  crashed = true;
  if (!(err instanceof StepFailed)) error(describeError(err));
}
steps.printSummary();
console.log(`\ntotal wall time: ${formatDuration(performance.now() - started)}`);
console.log(tally.summaryLine());
process.exit(crashed || steps.failed() ? 1 : 0);
