// Builds, migrates and starts the whole MicroNote system (the apps of apps.mjs) on given ports.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { APPS, buildNames, defaultPorts, mainJs, presentApps } from './apps.mjs';
import { infraUrls } from './infra.mjs';
import { describeError, Fail, formatDuration } from './log.mjs';
import { assertPortsFree } from './ports.mjs';
import { describeExit, formatTail, runOrFail, start } from './processes.mjs';
import { createSteps } from './steps.mjs';
import { devVapidEnv } from './vapid.mjs';
import { nxRunMany, ROOT } from './workspace.mjs';

const READY_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

/** `GRPC_<KEY>_URL` of every service in `ports`, present or not (so that none falls back to a default port). */
export function grpcUrls(ports) {
  return Object.fromEntries(
    APPS.filter((app) => ports[app.name]?.grpc).map((app) => [`GRPC_${app.key}_URL`, `127.0.0.1:${ports[app.name].grpc}`]),
  );
}

/** How a client reaches each app: the gRPC URLs, `<KEY>_HTTP_URL` of each present service, and GATEWAY_URL. */
export function endpointEnv(ports) {
  const env = grpcUrls(ports);
  for (const app of presentApps().filter((a) => ports[a.name])) {
    env[app.edge ? `${app.key}_URL` : `${app.key}_HTTP_URL`] = `http://127.0.0.1:${ports[app.name].http}`;
  }
  return env;
}

/**
 * Builds (unless `build: false`), migrates and starts every app present, all at once, each
 * on its `ports` entry (default: the apps' default ports).
 * - `dbSuffix` is appended to every DB_NAME; `redisPrefix` becomes REDIS_KEY_PREFIX;
 * - `logLevel` becomes LOG_LEVEL; `env` is added to every app's environment (e.g. HOST, NODE_ENV);
 *   MYSQL_URL/REDIS_URL come from the environment or the defaults.
 * Each phase is a step of `steps`. Resolves once every app answers 200 on /health/ready, to
 * `{ gatewayUrl, env, stop(), exited, pids }`: `env` tells clients (e2e tests) where everything is;
 * `exited` resolves when an app exits without being asked to, with `{ name, code, signal, lastLines }`.
 * A failure stops whatever was started and throws.
 */
export async function startSystem({
  ports = defaultPorts(),
  dbSuffix = '',
  redisPrefix,
  logLevel,
  env = {},
  build = true,
  steps = createSteps(),
} = {}) {
  const apps = presentApps();
  if (apps.length === 0) throw new Fail('no apps to start: none of the apps of tools/scripts/lib/apps.mjs has an apps/<name>/project.json');
  const { mysqlUrl, redisUrl } = infraUrls();
  const shared = {
    // Web Push keys of local runs (.vapid.local.json), unless the environment brings its own.
    ...(await devVapidEnv({ ...process.env, ...env })),
    ...process.env,
    MYSQL_URL: mysqlUrl,
    REDIS_URL: redisUrl,
    ...(redisPrefix !== undefined && { REDIS_KEY_PREFIX: redisPrefix }),
    ...(logLevel && { LOG_LEVEL: logLevel }),
    ...env,
    ...grpcUrls(ports),
  };
  const appEnv = (app) => ({
    ...shared,
    HTTP_PORT: String(ports[app.name].http),
    ...(app.grpcPort && { GRPC_PORT: String(ports[app.name].grpc) }),
    ...(app.dbName && { DB_NAME: app.dbName + dbSuffix }),
  });

  await steps.must('ports', () =>
    assertPortsFree(
      apps.flatMap((app) => [
        { port: ports[app.name].http, owner: `${app.name} HTTP_PORT` },
        ...(app.grpcPort ? [{ port: ports[app.name].grpc, owner: `${app.name} GRPC_PORT` }] : []),
      ]),
      shared.HOST || '0.0.0.0',
    ),
  );

  if (build) {
    // The inferred webpack build already bundles for production (NODE_ENV=production); the flag
    // selects a `production` configuration should a project define one, and is ignored otherwise.
    const names = buildNames().join(',');
    await steps.must('build', () => runOrFail(...nxRunMany('build', ['-p', names, '--configuration=production'])));
  }
  const missing = apps.filter((app) => !existsSync(mainJs(app)));
  if (missing.length > 0) {
    throw new Fail(`not built: ${missing.map((app) => relative(ROOT, mainJs(app))).join(', ')} (run \`npx nx run-many -t build\`)`);
  }

  const dbApps = apps.filter((app) => app.dbName);
  if (dbApps.length > 0) {
    await steps.must('migrate', async () => {
      await allOrFail(
        dbApps.map((app) =>
          runOrFail(process.execPath, [mainJs(app), 'migrate'], { label: `${app.name} migrate`, output: 'prefix', env: appEnv(app) }),
        ),
      );
    });
  }

  const handles = [];
  /** Stops every app; resolves to their exit statuses `{ name, code, signal }`. */
  const stop = () => Promise.all(handles.map(async (handle) => ({ name: handle.name, ...(await handle.stop()) })));
  try {
    await steps.must('start', async () => {
      const started = performance.now();
      // Every app at once: the gateway reaches its services lazily (gRPC connects on first use) and
      // reports ready only once they answer, so nothing waits for a previous tier.
      handles.push(...apps.map((app) => start(app.name, process.execPath, [mainJs(app)], { env: appEnv(app) })));
      await allOrFail(apps.map((app, i) => waitReady(handles[i], ports[app.name].http)));
      console.log(`all ${apps.length} apps ready in ${formatDuration(performance.now() - started)}`);
    });
  } catch (err) {
    await stop();
    throw err;
  }

  // The first app to exit without being asked to (pending forever if none does).
  const exited = new Promise((resolve) => {
    for (const handle of handles) {
      handle.exited.then((status) => handle.stopping || resolve({ name: handle.name, ...status, lastLines: handle.lastLines() }));
    }
  });
  return {
    gatewayUrl: `http://127.0.0.1:${ports[APPS.find((app) => app.edge).name].http}`,
    env: {
      ...endpointEnv(ports),
      MYSQL_URL: mysqlUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: shared.REDIS_KEY_PREFIX ?? 'mn:', // the apps' default
      DB_SUFFIX: dbSuffix,
    },
    stop,
    exited,
    pids: handles.map((handle) => handle.pid),
  };
}

/** Waits for every promise; throws one `Fail` with the messages of all that failed. */
async function allOrFail(promises) {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r) => r.status === 'rejected').map((r) => describeError(r.reason));
  if (failures.length > 0) throw new Fail(failures.join('\n'));
}

/** Polls GET /health/ready until it answers 200; fails if the app exits or READY_TIMEOUT_MS passes. */
async function waitReady(handle, httpPort) {
  const url = `http://127.0.0.1:${httpPort}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  for (;;) {
    if (handle.exitStatus) {
      throw new Fail(`${handle.name} exited during start-up (${describeExit(handle.exitStatus)})${formatTail(handle.lastLines())}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    if (Date.now() > deadline) {
      throw new Fail(
        `${handle.name} did not get ready within ${READY_TIMEOUT_MS / 1000} s: GET ${url} → ${last}${formatTail(handle.lastLines())}`,
      );
    }
    await sleep(POLL_MS);
  }
}
