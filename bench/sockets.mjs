#!/usr/bin/env node
// Idle sockets: can ONE gateway process hold 20,000 authenticated socket.io connections, and what
// does each cost in memory? Target: ≥ 20,000 sockets, ≤ 25 KB of RSS per socket.
//
//   node bench/sockets.mjs [--sockets 20000] [--tabs 10] [--procs 4] [--batch 500] [--settle 30] [--quick] [--no-build] [--json FILE]
//
// Starts a MicroNote system on free ports (databases `micronote_*_benchsk`, Redis prefix
// `mnbenchsk:`, dropped/deleted before and after) and mints one bench session per user
// (sockets/tabs users, default 2,000 × 10 tabs; lib/users.mjs `mintTokens`: a session in Redis
// and a JWT signed with the dev secret; the handshake checks nothing else). The gateway's pid is
// found through its listening port (/proc/net/tcp → socket inode → /proc/<pid>/fd: startSystem
// does not expose pids) and its RSS read from /proc/<pid>/status (VmRSS).
//
// `procs` client processes (lib/socket-client.mjs, forked) each connect from their own local
// address 127.0.0.2, .3, … (each address has its own ephemeral ports), in batches of `batch`
// sockets spread over the processes; every socket must connect (any connect_error fails the run).
// RSS₀ is read after the idle system settled, RSSₙ after `settle` s of idle with all sockets
// up (the default 30 s spans one ping/pong round: pingInterval is 25 s), and the cost per socket
// is (RSSₙ − RSS₀)/n, next to the slope of RSS over the ramp and the V8 heap figures of /metrics.
// The script raises its open-file limit (and so the apps' and clients') first: it re-runs itself
// under `ulimit -n`. Each socket is one descriptor of the gateway: when the gateway's limit (less
// its idle descriptors and some slack) is below `--sockets`, the run measures as many as fit and
// says so. Writes bench/results/<date>-sockets.json (with `--json FILE`: FILE instead, e.g. for
// bench/run.mjs, which collects it as row P5). `--quick`: 2,000 sockets, 5 s settle.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import {
  canRaiseHardLimits,
  cmdline,
  cpuMs,
  ensureOpenFiles,
  establishedOn,
  fdCount,
  openFilesLimits,
  pidListeningOn,
  ppid,
  rssBytes,
} from './lib/proc.mjs';
import { mib, printTable, writeResult } from './lib/report.mjs';
import { mintTokens } from './lib/users.mjs';
import { startBenchSystem } from './lib/system.mjs';

const { values: opts } = parseArgs({
  options: {
    sockets: { type: 'string' },
    tabs: { type: 'string', default: '10' },
    procs: { type: 'string' },
    batch: { type: 'string', default: '500' },
    settle: { type: 'string' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const REQUESTED = Number(opts.sockets ?? (opts.quick ? 2000 : 20_000));
const TABS = Number(opts.tabs);
const PROCS = Number(opts.procs ?? Math.max(1, Math.ceil(REQUESTED / 5000)));
const BATCH = Number(opts.batch);
const SETTLE_SECONDS = Number(opts.settle ?? (opts.quick ? 5 : 30));
/** The quiet phases around the ramp (before RSS₀, sampling it, after closing): 5 s, or the settle time if shorter. */
const IDLE_SECONDS = Math.min(5, SETTLE_SECONDS);
if (!(REQUESTED >= 1 && REQUESTED <= 100_000 && PROCS >= 1 && PROCS <= 50 && BATCH >= PROCS && TABS >= 1)) {
  throw new Error('need --sockets in [1, 100000], --procs in [1, 50], --batch ≥ --procs');
}
if (REQUESTED / PROCS > 25_000) throw new Error(`${REQUESTED / PROCS} sockets per client process: more than one address's ephemeral ports`);

const DB_SUFFIX = '_benchsk';
const REDIS_PREFIX = 'mnbenchsk:';
const OPEN_FILES = Math.max(65_536, REQUESTED + 10_000);
/** Descriptors the gateway keeps free beyond its idle ones and the sockets (Redis/gRPC reconnects, /metrics). */
const FD_SLACK = 64;
const CLIENT = resolve(fileURLToPath(new URL('lib/socket-client.mjs', import.meta.url)));
/** How long a client process may take to answer (a batch of connections, stats, closing). */
const CLIENT_TIMEOUT_MS = 120_000;

/** A forked client process: `ask(message)` resolves to its next answer. */
function startClient(url, localAddress) {
  const child = fork(CLIENT, [url, localAddress], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.resolve(message));
  child.on('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`client ${localAddress} exited (${code ?? signal})`));
  });
  return {
    child,
    localAddress,
    ask: (message) =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`client ${localAddress} did not answer ${message.type}`)), CLIENT_TIMEOUT_MS);
        waiting.push({
          resolve: (answer) => (clearTimeout(timer), resolvePromise(answer)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        child.send(message);
      }),
  };
}

/** V8 heap figures from the gateway's /metrics (prom-client default metrics), in bytes. */
async function heapMetrics(gatewayUrl) {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heapUsed: value('nodejs_heap_size_used_bytes'),
    heapTotal: value('nodejs_heap_size_total_bytes'),
    external: value('nodejs_external_memory_bytes'),
  };
}

/** RSS of `pid` sampled every second for `seconds` s; resolves to the samples (bytes). */
async function sampleRss(pid, seconds) {
  const samples = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    samples.push(rssBytes(pid));
  }
  return samples;
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
  return deleteRedisKeys(redisUrl, REDIS_PREFIX);
}

const clients = [];
const killClients = () => clients.forEach((c) => c.child.exitCode === null && c.child.kill('SIGKILL'));

async function main() {
  const ourLimits = await ensureOpenFiles(OPEN_FILES);
  installSignalHandlers();
  onShutdown(async () => {
    killClients();
    await cleanInfra();
  });
  process.on('exit', killClients);
  await ensureInfra();
  await cleanInfra();
  const { system, ports } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'] });
  const { gatewayUrl } = system;
  const gatewayPort = ports.gateway.http;
  const pid = pidListeningOn(gatewayPort);
  if (ppid(pid) !== process.pid || !cmdline(pid).includes('dist/apps/gateway/main.js')) {
    throw new Error(`pid ${pid} on the gateway port is not our gateway: ${cmdline(pid)}`);
  }
  // One descriptor per socket: the gateway's open-files limit caps how many it can hold.
  const gatewayLimit = openFilesLimits(pid).soft;
  const fds0 = fdCount(pid);
  const feasible = Math.floor((gatewayLimit - fds0 - FD_SLACK) / 100) * 100;
  const SOCKETS = Math.min(REQUESTED, feasible);
  const limitedBy =
    SOCKETS < REQUESTED
      ? `the gateway's open-files limit (${gatewayLimit}; hard limit ${ourLimits.hard}, raised only with CAP_SYS_RESOURCE, which this ` +
        `process ${canRaiseHardLimits() ? 'has' : 'lacks (even as root)'}) minus its ${fds0} idle descriptors and ${FD_SLACK} spare: at most ${feasible} sockets`
      : undefined;
  if (limitedBy) console.log(`\n!! ${REQUESTED} sockets requested, but ${limitedBy}: measuring ${SOCKETS}\n`);
  const USERS = Math.ceil(SOCKETS / TABS);
  console.log(`gateway pid ${pid} (open files limit ${gatewayLimit}, ${fds0} fds idle); minting ${USERS} sessions…`);
  const userTokens = await mintTokens({
    redisUrl: infraUrls().redisUrl,
    redisPrefix: REDIS_PREFIX,
    userIds: Array.from({ length: USERS }, (_, i) => i + 1),
  });
  // Socket i belongs to user ⌊i / tabs⌋: the tabs of a user are consecutive.
  const tokens = Array.from({ length: SOCKETS }, (_, i) => userTokens[Math.floor(i / TABS)]);

  for (let i = 0; i < PROCS; i++) clients.push(startClient(gatewayUrl, `127.0.0.${2 + i}`));

  // Baseline: the idle system, settled.
  await sleep(IDLE_SECONDS * 1000);
  const rss0Samples = await sampleRss(pid, IDLE_SECONDS);
  const rss0 = Math.min(...rss0Samples);
  const heap0 = await heapMetrics(gatewayUrl);
  const cpu0 = cpuMs(pid);

  console.log(`connecting ${SOCKETS} sockets from ${PROCS} processes, ${BATCH} at a time…`);
  const ramp = [{ x: 0, y: rss0 }];
  const rampStarted = performance.now();
  let opened = 0;
  while (opened < SOCKETS) {
    const batch = tokens.slice(opened, opened + BATCH);
    const per = Math.ceil(batch.length / PROCS);
    const answers = await Promise.all(clients.map((c, i) => c.ask({ type: 'open', tokens: batch.slice(i * per, (i + 1) * per) })));
    const errors = answers.reduce((s, a) => s + a.errors, 0);
    if (errors > 0) {
      throw new Error(`${errors} connect_error(s) at ${opened} sockets: ${answers.find((a) => a.errors > 0).firstError}`);
    }
    opened += batch.length;
    ramp.push({ x: opened, y: rssBytes(pid) });
    if (opened % 5000 === 0 || opened === SOCKETS) {
      console.log(`  ${opened} connected, gateway RSS ${mib(ramp.at(-1).y)}, ${fdCount(pid)} fds`);
    }
  }
  const rampSeconds = (performance.now() - rampStarted) / 1000;
  const rampCpuMs = cpuMs(pid) - cpu0;

  console.log(`idle for ${SETTLE_SECONDS} s…`);
  const settleSamples = await sampleRss(pid, SETTLE_SECONDS);
  const rssN = settleSamples.at(-1);
  const heapN = await heapMetrics(gatewayUrl);
  const establishedN = establishedOn(gatewayPort);
  const fdsN = fdCount(pid);
  const stats = await Promise.all(clients.map((c) => c.ask({ type: 'stats' })));
  const stillOpen = stats.reduce((s, a) => s + a.open, 0);
  const disconnects = stats.reduce((s, a) => s + a.disconnects, 0);

  console.log('closing…');
  await Promise.all(clients.map((c) => c.ask({ type: 'close' })));
  await sleep(IDLE_SECONDS * 1000);
  const rssClosed = rssBytes(pid);
  const heapClosed = await heapMetrics(gatewayUrl);
  const stopped = await system.stop();
  const dirty = stopped.filter((s) => s.code !== 0);
  await cleanInfra();

  const perSocket = (rssN - rss0) / SOCKETS;
  const result = {
    config: {
      requested: REQUESTED,
      sockets: SOCKETS,
      users: USERS,
      tabsPerUser: TABS,
      clientProcesses: PROCS,
      batch: BATCH,
      settleSeconds: SETTLE_SECONDS,
    },
    connected: opened,
    connectErrors: 0,
    stillOpenAfterSettle: stillOpen,
    unexpectedDisconnects: disconnects,
    gatewayEstablishedConnections: establishedN,
    gatewayFds: fdsN,
    gatewayOpenFilesLimit: gatewayLimit,
    gatewayIdleFds: fds0,
    limitedBy,
    rampSeconds: Math.round(rampSeconds * 10) / 10,
    connectsPerSecond: Math.round(SOCKETS / rampSeconds),
    gatewayCpuMsPerConnect: Math.round((rampCpuMs / SOCKETS) * 100) / 100,
    rss: { baseline: rss0, baselineSamples: rss0Samples, connected: rssN, settleSamples, afterClose: rssClosed },
    rssPerSocketBytes: Math.round(perSocket),
    rssRampSlopeBytesPerSocket: Math.round(slope(ramp)),
    heap: { baseline: heap0, connected: heapN, afterClose: heapClosed },
    heapUsedPerSocketBytes: Math.round((heapN.heapUsed - heap0.heapUsed) / SOCKETS),
    clientProcesses: stats.map((s, i) => ({ localAddress: clients[i].localAddress, open: s.open, rss: s.rss, cpuMs: Math.round(s.cpuMs) })),
    ramp: ramp.map((p) => ({ sockets: p.x, rss: p.y })),
    target: { sockets: 20_000, rssPerSocketBytes: 25 * 1024 },
  };
  result.targetMet = SOCKETS >= 20_000 && stillOpen === SOCKETS && disconnects === 0 && perSocket <= 25 * 1024;

  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`\nIdle sockets on one gateway: ${SOCKETS} sockets (${USERS} users × ${TABS} tabs) from ${PROCS} client processes\n`);
  printTable(
    ['measure', 'value'],
    [
      ['sockets connected / connect errors', `${opened} / 0`],
      ['still open after settle / unexpected disconnects', `${stillOpen} / ${disconnects}`],
      ['gateway ESTABLISHED conns / fds', `${establishedN.total} / ${fdsN}`],
      [
        'ESTABLISHED by client address',
        Object.entries(establishedN.byClient)
          .map(([address, n]) => `${address} ${n}`)
          .join(', '),
      ],
      ['ramp time / connects per s', `${result.rampSeconds} s / ${result.connectsPerSecond}`],
      ['gateway CPU per connect', `${result.gatewayCpuMsPerConnect} ms`],
      ['gateway RSS₀ (0 sockets, idle)', mib(rss0)],
      [`gateway RSSₙ (${SOCKETS} sockets, ${SETTLE_SECONDS} s idle)`, mib(rssN)],
      [`gateway RSS after closing all (${IDLE_SECONDS} s)`, mib(rssClosed)],
      ['RSS per socket (RSSₙ − RSS₀)/n', kb(perSocket)],
      ['RSS per socket (slope over the ramp)', kb(result.rssRampSlopeBytesPerSocket)],
      ['V8 heap used₀ / ₙ / after close', `${mib(heap0.heapUsed)} / ${mib(heapN.heapUsed)} / ${mib(heapClosed.heapUsed)}`],
      ['V8 heap used per socket', kb(result.heapUsedPerSocketBytes)],
      ['client processes RSS', stats.map((s) => mib(s.rss)).join(', ')],
      ['gateway open-files limit / idle fds', `${gatewayLimit} / ${fds0}`],
      ['target ≥ 20,000 sockets, ≤ 25 KB/socket', result.targetMet ? 'met' : limitedBy ? `MISSED (${SOCKETS} max here)` : 'MISSED'],
    ],
  );
  if (dirty.length > 0) console.log(`\napps that did not exit 0: ${dirty.map((s) => `${s.name} (${s.code ?? s.signal})`).join(', ')}`);
  console.log(`\nwritten to ${writeResult('sockets', result, opts.json)}`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.stack ?? error.message);
    killClients();
    await stopAll();
    await cleanInfra().catch(() => undefined);
    process.exit(1);
  },
);
