#!/usr/bin/env node
// P8's subject (bench/run.mjs): what `npm start` (tools/scripts/start.mjs) does before MicroNote is
// up, from the bundles already built: the node_modules check, the MySQL/Redis check, migrate and
// start every app until each answers /health/ready. Unlike `npm start` it runs on free ports with
// databases `*<db-suffix>` and Redis prefix `<redis-prefix>`, so it clashes with nothing; the caller
// drops those afterwards. Prints `ready in <ms> ms`, then runs until SIGTERM.
//
//   node bench/lib/start-ready.mjs --db-suffix _benchstart --redis-prefix mnbenchstart:
import { parseArgs } from 'node:util';

import { freeAppPorts } from '../../tools/scripts/lib/apps.mjs';
import { ensureDeps } from '../../tools/scripts/lib/deps.mjs';
import { ensureInfra } from '../../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, stopAll } from '../../tools/scripts/lib/processes.mjs';
import { createSteps } from '../../tools/scripts/lib/steps.mjs';
import { startSystem } from '../../tools/scripts/lib/system.mjs';

const started = performance.now();
const { values: opts } = parseArgs({ options: { 'db-suffix': { type: 'string' }, 'redis-prefix': { type: 'string' } } });
installSignalHandlers({ exitCode: () => 0 });
const steps = createSteps();

try {
  await steps.must('deps', ensureDeps);
  await steps.must('infra', () => ensureInfra());
  const ports = await freeAppPorts();
  const system = await startSystem({ ports, dbSuffix: opts['db-suffix'], redisPrefix: opts['redis-prefix'], build: false, steps });
  console.log(`ready in ${Math.round(performance.now() - started)} ms`);
  await system.exited;
} catch (err) {
  console.error(err.message);
}
await stopAll();
process.exit(1);
