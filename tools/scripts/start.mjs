#!/usr/bin/env node
// `npm start`: runs MicroNote locally on its default ports (apps listed in lib/apps.mjs).
// Installs dependencies if needed, makes sure MySQL and Redis answer (starting them on a dev box),
// builds, migrates and starts every app, then runs until Ctrl-C, which stops everything.
// The environment passes through to the apps (LOG_LEVEL, MYSQL_URL, REDIS_URL, JWT_SECRET, ...).
import { defaultPorts } from './lib/apps.mjs';
import { ensureDeps } from './lib/deps.mjs';
import { ensureInfra } from './lib/infra.mjs';
import { color, describeError, error, formatDuration } from './lib/log.mjs';
import { describeExit, installSignalHandlers, stopAll } from './lib/processes.mjs';
import { createSteps, StepFailed } from './lib/steps.mjs';
import { startSystem } from './lib/system.mjs';

const started = performance.now();
// Ctrl-C is how this command normally ends: exit 0 once everything has stopped.
installSignalHandlers({ exitCode: () => 0 });
const steps = createSteps();

try {
  await steps.must('deps', ensureDeps);
  await steps.must('infra', () => ensureInfra());
  const system = await startSystem({ steps });

  console.log(`\n${color.green(`MicroNote is up: http://localhost:${defaultPorts().gateway.http}/  (Ctrl-C to stop)`)}`);
  console.log(`ready in ${formatDuration(performance.now() - started)}`);

  const { name, ...status } = await system.exited;
  error(`${name} exited unexpectedly (${describeExit(status)}): stopping MicroNote`);
} catch (err) {
  if (!(err instanceof StepFailed)) error(describeError(err));
}
await stopAll();
process.exit(1);
