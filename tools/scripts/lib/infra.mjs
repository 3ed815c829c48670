// MySQL (MariaDB) and Redis: check that they answer, start or install them on a developer/CI box
// when that is safe, and clean up what a test run left in them.
//
// Starting/installing is only attempted for the default local servers (127.0.0.1:3306 and :6379)
// as root on Debian; anything else is the user's to run, and we stop with one clear message.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { Fail, info, note } from './log.mjs';
import { runOrFail } from './processes.mjs';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const CHECK_TIMEOUT_MS = 2000;
const START_TIMEOUT_MS = 30_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** MYSQL_URL and REDIS_URL from the environment, with the apps' defaults. */
export const infraUrls = () => ({
  mysqlUrl: process.env.MYSQL_URL || DEFAULT_MYSQL_URL,
  redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
});

/** A URL fit for messages: the password, if any, is masked. */
export function displayUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

const errorText = (err) => err?.message || err?.code || String(err);

// The drivers are imported when first needed: the scripts load this module before `ensureDeps()`
// may have installed node_modules (fresh checkout).
export async function mysqlConnection(url) {
  const { default: mysql } = await import('mysql2/promise');
  return mysql.createConnection({ uri: url, connectTimeout: CHECK_TIMEOUT_MS });
}

/** A Redis client that fails fast instead of retrying or queueing commands. */
export async function redisClient(url) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Errors surface through rejected commands; keep the last one, which says more than
  // "Connection is closed." when connecting fails.
  let lastError;
  client.on('error', (err) => (lastError = err));
  try {
    await client.connect();
  } catch (err) {
    throw lastError ?? err;
  }
  return client;
}

/** Whether something accepts TCP connections at host:port (a server that is up, whatever it then says). */
function tcpAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: CHECK_TIMEOUT_MS });
    const done = (answers) => {
      socket.destroy();
      resolve(answers);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** null when MySQL answers `SELECT 1`, else why not. */
async function checkMysql(url) {
  try {
    const connection = await mysqlConnection(url);
    try {
      await connection.query('SELECT 1');
    } finally {
      await connection.end();
    }
    return null;
  } catch (err) {
    return errorText(err);
  }
}

/** null when Redis answers PING, else why not. */
async function checkRedis(url) {
  try {
    const client = await redisClient(url);
    try {
      await client.ping();
    } finally {
      client.disconnect();
    }
    return null;
  } catch (err) {
    return errorText(err);
  }
}

const MYSQL = {
  label: 'MySQL/MariaDB',
  variable: 'MYSQL_URL',
  defaultPort: 3306,
  aptPackage: 'mariadb-server',
  binary: '/usr/sbin/mariadbd',
  check: checkMysql,
  async start() {
    // The init script prepares /run/mysqld and waits until the server is up.
    if (existsSync('/etc/init.d/mariadb')) {
      await runOrFail('/etc/init.d/mariadb', ['start'], { label: 'mariadb', output: 'prefix' });
      return;
    }
    await runOrFail('install', ['-d', '-o', 'mysql', '-g', 'mysql', '/run/mysqld'], { label: 'mkdir /run/mysqld' });
    await runOrFail('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', this.binary, '--', '--user=mysql'], {
      label: 'mariadb',
      output: 'prefix',
    });
  },
  // A fresh Debian install lets root in only over the unix socket; the apps connect over TCP
  // with an empty password (RECIPE pitfall 6). Only done for a server we just installed.
  async afterInstall() {
    const sql = "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')";
    await retry(() => runOrFail('mariadb', ['-uroot', '-e', sql], { label: 'mariadb: allow root over TCP', output: 'quiet' }));
  },
};

const REDIS = {
  label: 'Redis',
  variable: 'REDIS_URL',
  defaultPort: 6379,
  aptPackage: 'redis-server',
  binary: '/usr/bin/redis-server',
  check: checkRedis,
  async start() {
    const args = ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'];
    await runOrFail(this.binary, args, { label: 'redis-server', output: 'prefix' });
  },
};

/** We may start/install `server` only for its default local address, as root, on Debian. */
function mayManage(server, url) {
  const { hostname, port } = new URL(url);
  return (
    LOOPBACK.has(hostname) &&
    Number(port || server.defaultPort) === server.defaultPort &&
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/apt-get')
  );
}

let aptUpdated = false;

async function aptInstall(aptPackage) {
  // policy-rc.d keeps apt from starting the service; we start it ourselves afterwards.
  const options = { label: 'apt-get', output: 'prefix', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  if (!aptUpdated) await runOrFail('apt-get', ['update'], options);
  aptUpdated = true;
  await runOrFail('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], options);
}

/** Calls `fn` until it succeeds or START_TIMEOUT_MS passed (then rethrows its last error). */
async function retry(fn) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** Brings `server` up if it is down and we may; resolves to null when it answers, else to the problem. */
async function ensureServer(server, url, problem) {
  const where = `${server.variable}=${displayUrl(url)}`;
  if (!problem) return null;
  if (!mayManage(server, url)) return `${server.label} does not answer at ${where}: ${problem}`;
  // Up but refusing us (e.g. a wrong password): starting it again would not help.
  const { hostname, port } = new URL(url);
  if (await tcpAnswers(hostname.replace(/^\[|\]$/g, ''), Number(port || server.defaultPort))) {
    return `${server.label} at ${where} is running but does not let us in: ${problem}`;
  }
  try {
    info(`${server.label} does not answer at ${displayUrl(url)} (${problem}): starting it`);
    const install = !existsSync(server.binary);
    if (install) {
      info(`${server.aptPackage} is not installed: installing it with apt-get`);
      await aptInstall(server.aptPackage);
    }
    await server.start();
    if (install) await server.afterInstall?.();
    await retry(async () => {
      const stillFailing = await server.check(url);
      if (stillFailing) throw new Error(stillFailing);
    });
    info(`${server.label} is up at ${displayUrl(url)}`);
    return null;
  } catch (err) {
    return `${server.label} does not answer at ${where} and could not be started: ${errorText(err)}`;
  }
}

/**
 * Makes sure MySQL and Redis answer at the given URLs (default: MYSQL_URL/REDIS_URL or the local
 * defaults); throws one `Fail` describing every server that does not.
 */
export async function ensureInfra({ mysqlUrl, redisUrl } = infraUrls()) {
  const servers = [
    [MYSQL, mysqlUrl],
    [REDIS, redisUrl],
  ];
  const problems = await Promise.all(servers.map(([server, url]) => server.check(url)));
  const remaining = [];
  // One at a time: two apt-get runs would fight over the dpkg lock.
  for (const [i, [server, url]] of servers.entries()) {
    const problem = await ensureServer(server, url, problems[i]);
    if (problem) remaining.push(problem);
    else if (!problems[i]) note(`${server.label} answers at ${displayUrl(url)}`);
  }
  if (remaining.length > 0) {
    throw new Fail(
      `${remaining.join('\n')}\n` + 'Check MYSQL_URL / REDIS_URL, or start local servers with `docker compose up -d mysql redis`.',
    );
  }
}

/** DROP DATABASE IF EXISTS for each name. */
export async function dropDatabases(mysqlUrl, names) {
  const connection = await mysqlConnection(mysqlUrl);
  try {
    for (const name of names) {
      if (!/^\w{1,64}$/.test(name)) throw new Error(`refusing to drop database with odd name ${JSON.stringify(name)}`);
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await connection.end();
  }
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK, never KEYS); resolves to the number deleted. */
export async function deleteRedisKeys(redisUrl, prefix) {
  if (!prefix) throw new Error('refusing to delete Redis keys without a prefix');
  const pattern = prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
  const client = await redisClient(redisUrl);
  let deleted = 0;
  try {
    for await (const keys of client.scanStream({ match: pattern, count: 1000 })) {
      if (keys.length > 0) deleted += await client.unlink(...keys);
    }
  } finally {
    client.disconnect();
  }
  return deleted;
}

/**
 * A Debian tool the tests need (`binary`), installed with apt-get (`aptPackage`) when missing and we
 * are root on Debian; otherwise one clear `Fail`.
 */
export async function ensureTool({ binary, aptPackage, why }) {
  if (existsSync(binary)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Fail(`${why} need ${binary}: install Debian's \`${aptPackage}\` package (apt-get install ${aptPackage})`);
  }
  info(`${binary} is not installed: installing ${aptPackage} with apt-get`);
  await aptInstall(aptPackage);
}

export const NGINX = '/usr/sbin/nginx';

/** Debian's nginx for the reverse-proxy smoke test (deploy/nginx/nginx.conf, apps/gateway-e2e/src/nginx.e2e-spec.ts). */
export const ensureNginx = () => ensureTool({ binary: NGINX, aptPackage: 'nginx', why: 'the nginx e2e test' });

/**
 * The checkers `nx test deploy` runs (no Docker engine or cluster needed): Debian's docker-compose 1.29
 * (`config -q`) and promtool (package prometheus; apt does not start the server here, policy-rc.d).
 */
export async function ensureDeployTools() {
  await ensureTool({ binary: '/usr/bin/docker-compose', aptPackage: 'docker-compose', why: 'the compose validation (nx test deploy)' });
  await ensureTool({ binary: '/usr/bin/promtool', aptPackage: 'prometheus', why: 'the alert rules check (nx test deploy)' });
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium for the browser tests (playwright-core drives it; it never downloads a
 * browser of its own): installed with apt-get when missing and we are root on Debian.
 */
export async function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Fail(`the browser tests need Chromium at ${CHROMIUM}: install Debian's \`chromium\` package (apt-get install chromium)`);
  }
  info('chromium is not installed: installing it with apt-get');
  await aptInstall('chromium');
}
