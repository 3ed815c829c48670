// A MicroNote of its own for one e2e run: the Jest globalSetup / globalTeardown of apps/gateway-e2e
// and apps/web-e2e (`npx nx e2e <project>`, which builds the apps first through `dependsOn`).
// Unless `urlVariable` (GATEWAY_URL, WEB_URL) is already set, the setup makes sure MySQL and Redis
// answer, starts the built apps on free ports with databases of their own (`<db>_t<hex>`) and a
// Redis key prefix of its own (`mnt<hex>:`), and tells the tests where everything is through
// process.env: `urlVariable`, GATEWAY_URL, <KEY>_HTTP_URL, GRPC_<KEY>_URL, MYSQL_URL, REDIS_URL,
// REDIS_KEY_PREFIX and DB_SUFFIX. The teardown (also run on Ctrl-C) stops the apps, drops the
// databases, deletes the keys, and fails unless every app exited 0 on SIGTERM.
//
// Nx stops a task by killing its whole process tree, teardown or not. So the setup also leaves a
// watcher outside that tree (`node test-system.mjs watch <state file>`, orphaned through `sh -c
// '… &'`): once the Jest process is gone without the teardown having finished, it kills the apps
// and removes the data. The state file holds the Jest pid, the apps' pids and `done`.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { databaseNames, freeAppPorts } from './apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from './infra.mjs';
import { describeError, Fail, info, warn } from './log.mjs';
import { describeExit, installSignalHandlers, onShutdown } from './processes.mjs';
import { startSystem } from './system.mjs';

// High limits: the tests register and log in far more often than a person does.
const TEST_ENV = {
  HOST: '127.0.0.1',
  NODE_ENV: 'test',
  AUTH_RATE_LIMIT: '100000',
  API_RATE_LIMIT: '100000',
  WS_HANDSHAKE_RATE_LIMIT: '100000',
  PUBLIC_NOTE_RATE_LIMIT: '100000',
};

/**
 * Web Push in tests: the specs' local push receiver (libs/server/testing push-receiver.ts) listens on
 * https://127.0.0.1 with this self-signed certificate, which the apps trust (NODE_EXTRA_CA_CERTS), and
 * PUSH_ALLOW_PRIVATE_ENDPOINTS lets its loopback endpoint through. The specs find the certificate in
 * PUSH_RECEIVER_TLS_CERT / PUSH_RECEIVER_TLS_KEY. Without openssl, push specs have no receiver.
 */
function pushReceiverEnv() {
  const dir = mkdtempSync(join(tmpdir(), 'micronote-push-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=push receiver',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: 'pipe' },
    );
  } catch (err) {
    warn(`no push receiver certificate (openssl: ${describeError(err)}): Web Push e2e specs will fail`);
    return { apps: { PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }, tests: {} };
  }
  return {
    apps: { PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', NODE_EXTRA_CA_CERTS: cert },
    tests: { PUSH_RECEIVER_TLS_CERT: cert, PUSH_RECEIVER_TLS_KEY: key },
  };
}

// Jest loads the setup and the teardown modules separately: the running system is kept here.
const RUNNING = Symbol.for('micronote.testSystem');

export async function setupTestSystem({ urlVariable }) {
  if (process.env[urlVariable]) {
    info(`${urlVariable}=${process.env[urlVariable]}: testing that system`);
    return;
  }
  installSignalHandlers();
  await ensureInfra();
  const id = randomBytes(3).toString('hex');
  const data = { dbSuffix: `_t${id}`, redisPrefix: `mnt${id}:` };
  info(`test system: databases *${data.dbSuffix}, Redis key prefix ${data.redisPrefix}`);
  const stateFile = join(tmpdir(), `micronote-test-system-${id}.json`);
  const writeState = (state) => writeFileSync(stateFile, JSON.stringify({ parent: process.pid, ...data, pids: [], ...state }));
  writeState({});
  spawn('/bin/sh', ['-c', '"$0" "$@" &', process.execPath, fileURLToPath(import.meta.url), 'watch', stateFile], {
    detached: true,
    stdio: 'ignore',
  }).unref();

  let system;
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      const statuses = (await system?.stop()) ?? [];
      await removeData(data);
      writeState({ done: true });
      // Every process must close cleanly on SIGTERM (exit 0 within the grace period).
      const unclean = statuses.filter((status) => status.code !== 0);
      if (unclean.length > 0) {
        throw new Fail(`not a clean shutdown on SIGTERM: ${unclean.map((s) => `${s.name} (${describeExit(s)})`).join(', ')}`);
      }
      info(`all ${statuses.length} apps exited 0 on SIGTERM`);
    })());
  const unregister = onShutdown(cleanup);
  const push = pushReceiverEnv();
  try {
    system = await startSystem({
      ports: await freeAppPorts(),
      ...data,
      logLevel: 'warn',
      env: { ...TEST_ENV, ...push.apps },
      build: false,
    });
  } catch (err) {
    unregister();
    // The databases the migrations created; the start-up failure is the error to report.
    await cleanup().catch((cleanupError) => warn(describeError(cleanupError)));
    throw err;
  }
  writeState({ pids: system.pids });
  Object.assign(process.env, system.env, push.tests, { [urlVariable]: system.gatewayUrl });
  globalThis[RUNNING] = { cleanup, unregister };
}

export async function teardownTestSystem() {
  const running = globalThis[RUNNING];
  if (!running) return;
  delete globalThis[RUNNING];
  running.unregister();
  await running.cleanup();
}

/** Drops the databases `*<dbSuffix>` and deletes the Redis keys `<redisPrefix>*`. */
async function removeData({ dbSuffix, redisPrefix }) {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(dbSuffix));
  const keys = await deleteRedisKeys(redisUrl, redisPrefix);
  info(`dropped the databases *${dbSuffix}, deleted ${keys} Redis keys ${redisPrefix}*`);
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/** The watcher: waits for the teardown (`done`) or for the Jest process to be gone, then cleans up. */
async function watch(stateFile) {
  const read = () => JSON.parse(readFileSync(stateFile, 'utf8'));
  try {
    while (!read().done && alive(read().parent)) await sleep(500);
    const state = read();
    if (state.done) return;
    for (const pid of state.pids) {
      try {
        process.kill(-pid, 'SIGKILL'); // each app leads a process group of its own
      } catch {
        // already gone
      }
    }
    await removeData(state);
  } finally {
    if (existsSync(stateFile)) rmSync(stateFile);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'watch') await watch(process.argv[3]);
