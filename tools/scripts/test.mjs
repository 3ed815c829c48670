#!/usr/bin/env node
// `npm test`: every check CI runs, as named, timed steps:
//   deps → infra → proto → lint → unit → integration → build → e2e (+ cleanup) → bench
// - deps: `npm install` if node_modules is out of date; infra: MySQL and Redis answer (started on a
//   dev box if need be);
// - proto: buf lint + generated code up to date (check-generated.mjs);
// - lint (eslint + typecheck), unit (`test`), integration (`test:integration`, one project at a time), build: Nx targets;
// - e2e: a fresh system on free ports, with its own databases (`<db>_t<hex>`) and Redis prefix
//   (`mnt<hex>:`), then `nx run gateway-e2e:e2e` with GATEWAY_URL, <KEY>_HTTP_URL, GRPC_<KEY>_URL,
//   MYSQL_URL, REDIS_URL, REDIS_KEY_PREFIX and DB_SUFFIX set, then (web-e2e) the SPA in Debian's
//   Chromium (installed when missing) with WEB_URL; the system, its databases and its Redis keys
//   are removed afterwards, also on failure or Ctrl-C;
// - bench: the benchmark harness in smoke mode, `node bench/run.mjs --quick` (< 2 min; with
//   --no-build when the build step ran): it checks that every measurement still runs and produces
//   numbers, not the performance targets.
// A failed step does not stop the independent ones after it (deps and infra failures do; e2e and
// bench are skipped when the build failed). At the end: a summary, the wall time, and, last, the
// sum of jest's results as one line `Tests: <P> passed, <F> failed[, <S> skipped]`. Exit code 1 if
// any step failed.
//
// Flags (`npm test -- <flags>`):
//   --only <steps>   run only these steps (comma list; deps always, infra when needed), e.g. --only e2e
//   --skip <steps>   skip these steps, e.g. --skip lint,integration
//   --skip-lint      same as --skip lint
//   --e2e <pattern>  in the e2e step, only the gateway-e2e specs whose path matches <pattern>
//                    (jest --testPathPatterns), and no web-e2e; e.g. --only e2e --e2e security
//   --help           print this
// Step names: proto, lint, unit, integration, build, e2e, bench.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { databaseNames, freeAppPorts } from './lib/apps.mjs';
import { ensureDeps } from './lib/deps.mjs';
import { deleteRedisKeys, dropDatabases, ensureChromium, ensureDeployTools, ensureInfra, ensureNginx, infraUrls } from './lib/infra.mjs';
import { describeError, error, Fail, formatDuration, info } from './lib/log.mjs';
import { describeExit, installSignalHandlers, onShutdown, runOrFail } from './lib/processes.mjs';
import { createSteps, StepFailed } from './lib/steps.mjs';
import { startSystem } from './lib/system.mjs';
import { createTestTally } from './lib/test-tally.mjs';
import { nxCommand, nxProjects, nxRunMany } from './lib/workspace.mjs';

const STEP_NAMES = ['proto', 'lint', 'unit', 'integration', 'build', 'e2e', 'bench'];
const NEEDS_INFRA = new Set(['integration', 'e2e', 'bench']);

const started = performance.now();
const steps = createSteps();
const tally = createTestTally();

/** The steps to run, from the command line. */
function selectedSteps() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      'skip-lint': { type: 'boolean' },
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
  const skip = [...names(values.skip), ...(values['skip-lint'] ? ['lint'] : [])];
  const unknown = [...only, ...skip].filter((name) => !STEP_NAMES.includes(name));
  if (unknown.length > 0) throw new Fail(`unknown step(s) ${unknown.join(', ')}; steps are ${STEP_NAMES.join(', ')}`);
  e2eFilter = values.e2e;
  return STEP_NAMES.filter((name) => (only.length === 0 || only.includes(name)) && !skip.includes(name));
}

/** `--e2e <pattern>`: only these gateway-e2e specs, and no browser tests. */
let e2eFilter;

/** The e2e tests against a system of their own, which is always removed afterwards. */
async function e2e({ built }) {
  if (!(await nxProjects()).includes('gateway-e2e')) {
    steps.skip('e2e', 'there is no gateway-e2e project yet');
    return;
  }
  const id = randomBytes(3).toString('hex');
  const dbSuffix = `_t${id}`;
  const redisPrefix = `mnt${id}:`;
  const { mysqlUrl, redisUrl } = infraUrls();
  let system;
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      const statuses = (await system?.stop()) ?? [];
      await dropDatabases(mysqlUrl, databaseNames(dbSuffix));
      const keys = await deleteRedisKeys(redisUrl, redisPrefix);
      info(`dropped the databases *${dbSuffix}, deleted ${keys} Redis keys ${redisPrefix}*`);
      // Every process must close cleanly on SIGTERM (exit 0 within the grace period).
      const unclean = statuses.filter((status) => status.code !== 0);
      if (unclean.length > 0) throw new Fail(`not a clean shutdown on SIGTERM: ${unclean.map((s) => `${s.name} (${describeExit(s)})`).join(', ')}`);
      info(`all ${statuses.length} apps exited 0 on SIGTERM`);
    })());
  const unregister = onShutdown(cleanup);
  try {
    await steps.run('e2e', async () => {
      // The nginx smoke test (apps/gateway-e2e/src/nginx.e2e-spec.ts) runs deploy/nginx/nginx.conf with Debian's nginx.
      await ensureNginx();
      info(`test system: databases *${dbSuffix}, Redis key prefix ${redisPrefix}`);
      system = await startSystem({
        ports: await freeAppPorts(),
        dbSuffix,
        redisPrefix,
        logLevel: 'warn',
        env: { HOST: '127.0.0.1', NODE_ENV: 'test', AUTH_RATE_LIMIT: '100000', API_RATE_LIMIT: '100000', WS_HANDSHAKE_RATE_LIMIT: '100000' },
        build: !built,
        steps,
      });
      const filter = e2eFilter ? [`--testPathPatterns=${e2eFilter}`] : [];
      await runOrFail(...nxCommand(['run', 'gateway-e2e:e2e', ...filter], { env: system.env, onLine: tally.onLine }));
    });
    // The SPA in real Chromium, against the same system (the gateway serves it at /).
    if (system && !e2eFilter && (await nxProjects()).includes('web-e2e')) {
      await steps.run('web-e2e', async () => {
        await ensureChromium();
        const env = { ...system.env, WEB_URL: system.gatewayUrl };
        await runOrFail(...nxCommand(['run', 'web-e2e:e2e'], { env, onLine: tally.onLine }));
      });
    }
  } finally {
    await steps.run('cleanup', cleanup);
    unregister();
  }
}

async function main(selected) {
  installSignalHandlers();
  await steps.must('deps', ensureDeps);
  if (selected.some((name) => NEEDS_INFRA.has(name))) await steps.must('infra', () => ensureInfra());

  const jest = { onLine: tally.onLine };
  const run = {
    proto: () => steps.run('proto', () => runOrFail(process.execPath, ['tools/scripts/check-generated.mjs'], { label: 'check-generated' })),
    lint: () => steps.run('lint', () => runOrFail(...nxRunMany('lint,typecheck'))),
    unit: () =>
      steps.run('unit', async () => {
        await ensureDeployTools();
        await runOrFail(...nxRunMany('test', [], jest));
      }),
    // Integration tests share MySQL/Redis: one project at a time.
    integration: () => steps.run('integration', () => runOrFail(...nxRunMany('test:integration', ['--parallel=1'], jest))),
    build: () => steps.run('build', () => runOrFail(...nxRunMany('build', ['--configuration=production']))),
    e2e: () =>
      selected.includes('build') && !steps.passed('build')
        ? steps.skip('e2e', 'the build failed')
        : e2e({ built: selected.includes('build') }),
    bench: () =>
      selected.includes('build') && !steps.passed('build')
        ? steps.skip('bench', 'the build failed')
        : steps.run('bench', () =>
            runOrFail(process.execPath, ['bench/run.mjs', '--quick', ...(selected.includes('build') ? ['--no-build'] : [])], {
              label: 'bench --quick',
            }),
          ),
  };
  for (const name of selected) await run[name]();
}

let selected;
try {
  selected = selectedSteps();
} catch (err) {
  error(`${err.message} (see --help)`);
  process.exit(2);
}
let crashed = false;
try {
  await main(selected);
} catch (err) {
  crashed = true;
  if (!(err instanceof StepFailed)) error(describeError(err));
}
steps.printSummary();
console.log(`\ntotal wall time: ${formatDuration(performance.now() - started)}`);
console.log(tally.summaryLine());
process.exit(crashed || steps.failed() ? 1 : 0);
