#!/usr/bin/env node
// Realtime latency: how long from a note written in one tab to its `event` in another tab of the
// same user, with many sockets connected? Target: p50 ≤ 5 ms, p99 ≤ 20 ms at 1,000 sockets, 20 writes/s.
//
//   node bench/realtime-latency.mjs [--seconds 60] [--sockets 1000] [--tabs 10] [--rate 20] [--warmup 5] [--quick] [--no-build]
//                                   [--write note|tick] [--json FILE]
//
// Starts a MicroNote system on free ports (databases `micronote_*_benchrt`, Redis prefix
// `mnbenchrt:`, dropped/deleted before and after), registers sockets/tabs real users through the
// API (default 100 users), and connects `tabs` socket.io sockets per user (default 10: 1,000
// sockets). Every user is measured: writes go round-robin over the users, so each write fans out
// to the 10 tabs of its user and never to anyone else's. Tab 0 is the writer (its X-Client-Id is
// on the POST), tab 1 the "other tab" whose receive time is THE latency; tabs 1..9 together give the
// time until every tab of the user has the event.
//
// After a warm-up, writes are issued open-loop at `rate`/s for `seconds` s, paced by the clock
// (write i is due at start + i/rate, whatever earlier ones are doing), each `POST /api/notes` with
// a unique title. Everything is measured in this one process with one clock (performance.now):
// t0 just before the request, the response, and the arrival of the matching event (matched by
// title) at each tab. This process also subscribes to the Redis events channel itself, so the
// latency splits into the write path (POST → PUBLISH seen in Redis) and the relay (PUBLISH →
// gateway → socket.io → tab). Reports POST→event (tab 1), POST→all tabs, the POST's own latency
// as the baseline, event−response, the split, missing/duplicate/foreign events (must be 0), the
// gateway's RSS, and the CPU used by every process and by the whole machine meanwhile (other
// work on the box shows up there); writes bench/results/<date>-realtime-latency.json (with
// `--json FILE`: FILE instead, e.g. for bench/run.mjs, which collects it as row P4).
// `--quick`: 100 sockets, 10 s, 2 s warm-up (a smoke test).
// `--write tick` (row P11): instead of creating notes, each write ticks (or unticks) a checklist item
// of the user's one note, `POST /api/notes/:id/tasks`, and its event is that note's NOTE_UPDATED at
// the version the tick makes (a user's writes are seconds apart, so each one's version is known in
// advance); results go to <date>-tick-latency.json.
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import Redis from 'ioredis';
import { io } from 'socket.io-client';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { cmdline, cpuMs, machineCpuMs, pidListeningOn, ppid, rssBytes } from './lib/proc.mjs';
import { mib, printTable, summary, writeResult } from './lib/report.mjs';
import { postJson, registerUsers } from './lib/users.mjs';
import { startBenchSystem } from './lib/system.mjs';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string' },
    sockets: { type: 'string' },
    tabs: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    warmup: { type: 'string' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    write: { type: 'string', default: 'note' },
    json: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds ?? (opts.quick ? 10 : 60));
const SOCKETS = Number(opts.sockets ?? (opts.quick ? 100 : 1000));
const TABS = Number(opts.tabs);
const RATE = Number(opts.rate);
const WARMUP_SECONDS = Number(opts.warmup ?? (opts.quick ? 2 : 5));
const USERS = Math.ceil(SOCKETS / TABS);
const TICKS = opts.write === 'tick';
if (!(TABS >= 2 && USERS >= 1 && RATE > 0 && RATE <= 500 && SECONDS > 0 && SECONDS <= 600 && ['note', 'tick'].includes(opts.write))) {
  throw new Error('need --tabs ≥ 2, --rate in (0, 500], --seconds in (0, 600], --write note|tick');
}
/** Checklist items of each user's note in tick mode (writes cycle through them). */
const TASK_ITEMS = 20;

const DB_SUFFIX = '_benchrt';
const REDIS_PREFIX = 'mnbenchrt:';
/** How long after the last write a missing event is waited for. */
const DRAIN_MS = 5_000;
const CONNECT_BATCH = 100;
const CONNECT_TIMEOUT_MS = 10_000;

const RUN = randomUUID().slice(0, 8);
/** The key of the write an event (or a published envelope) belongs to: the new note's title, or the ticked note at its new version. */
function writeKeyOf(event) {
  if (!TICKS) return event.type === 'NOTE_CREATED' ? event.note?.title : undefined;
  return event.type === 'NOTE_UPDATED' ? `${event.noteId}@${event.note?.version ?? event.version}` : undefined;
}

/**
 * Every write by key (writeKeyOf): `{ phase, user, t0, tResponse, status, tPublished (seen on the Redis channel),
 * tEvent (tab 1), tAll (all other tabs), tEcho (tab 0), seen (tab numbers) }`.
 */
const writes = new Map();
const anomalies = { foreign: 0, duplicate: 0, stray: 0, wrongClientId: 0, disconnects: 0, httpErrors: 0 };

/** One tab: a socket.io connection of `user`, tab number `index`, that records every note event it gets. */
function connectTab(url, user, index) {
  const clientId = `bench-${user.index}-${index}`;
  const socket = io(url, { transports: ['websocket'], auth: { token: user.token }, forceNew: true, reconnection: false });
  socket.on('event', (event) => {
    const at = performance.now();
    const key = writeKeyOf(event);
    const write = key === undefined ? undefined : writes.get(key);
    if (!write) return void anomalies.stray++;
    if (write.user !== user) return void anomalies.foreign++;
    if (write.seen.has(index)) return void anomalies.duplicate++;
    write.seen.add(index);
    if (index === 0) {
      write.tEcho = at;
      if (event.clientId !== user.tabs[0].clientId) anomalies.wrongClientId++;
      return;
    }
    if (index === 1) write.tEvent = at;
    if (write.seen.size - (write.seen.has(0) ? 1 : 0) === TABS - 1) write.tAll = at;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tab ${clientId} did not connect within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.on('disconnect', () => anomalies.disconnects++);
      resolve({ clientId, socket });
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`tab ${clientId}: connect_error ${error.message}`));
    });
  });
}

/** Subscribes this process to the deployment's events channel and stamps each write's PUBLISH. */
async function watchPublishes() {
  const subscriber = new Redis(infraUrls().redisUrl, { lazyConnect: true });
  await subscriber.connect();
  subscriber.on('message', (_channel, message) => {
    const at = performance.now();
    const key = writeKeyOf(JSON.parse(message));
    const write = key === undefined ? undefined : writes.get(key);
    if (write) write.tPublished = at;
  });
  await subscriber.subscribe(`${REDIS_PREFIX}events`); // channels carry the prefix by hand (see EventLog)
  return subscriber;
}

/**
 * Issues `count` writes at `RATE`/s, open-loop: write i is sent at start + i/RATE (or at once when
 * late), without waiting for earlier ones. Resolves when every response is in; returns the worst lateness (ms).
 */
async function drive(gatewayUrl, users, agent, phase, count) {
  const interval = 1000 / RATE;
  const started = performance.now();
  const inFlight = [];
  let worstLate = 0;
  for (let i = 0; i < count; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    else worstLate = Math.max(worstLate, -wait);
    const user = users[i % users.length];
    const write = { phase, user, seen: new Set() };
    const headers = { authorization: `Bearer ${user.token}`, 'x-client-id': user.tabs[0].clientId };
    let request;
    if (TICKS) {
      // Item k flips on its odd visits: every tick changes the note, so its version is known.
      const tick = user.ticks++;
      const index = tick % TASK_ITEMS;
      const checked = Math.floor(tick / TASK_ITEMS) % 2 === 0;
      writes.set(`${user.note.id}@${++user.note.version}`, write);
      write.t0 = performance.now();
      request = postJson(`${gatewayUrl}/api/notes/${user.note.id}/tasks`, { index, text: `item ${index}`, checked }, { agent, headers });
    } else {
      const title = `${phase} ${RUN} ${i}`;
      writes.set(title, write);
      write.t0 = performance.now();
      request = postJson(`${gatewayUrl}/api/notes`, { title, text: `realtime latency bench, write ${i}`, tags: ['bench'] }, { agent, headers });
    }
    const okStatus = TICKS ? 200 : 201;
    inFlight.push(
      request.then(
        ({ status }) => {
          write.tResponse = performance.now();
          write.status = status;
          if (status !== okStatus) anomalies.httpErrors++;
        },
        () => {
          write.tResponse = performance.now();
          anomalies.httpErrors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return worstLate;
}

/** Waits until every write of `phase` reached all its tabs, or DRAIN_MS passed. */
async function drain(phase) {
  const deadline = Date.now() + DRAIN_MS;
  const pending = () => [...writes.values()].filter((w) => w.phase === phase && w.seen.size < TABS).length;
  while (pending() > 0 && Date.now() < deadline) await sleep(20);
}

/** Pids of the apps (by their HTTP ports) and of Redis/MariaDB when they run here, for CPU and RSS figures. */
function findPids(ports) {
  const pids = {};
  for (const [name, { http }] of Object.entries(ports)) {
    try {
      pids[name] = pidListeningOn(http);
    } catch {
      // app not present in this checkout
    }
  }
  for (const [name, url] of [
    ['redis', infraUrls().redisUrl],
    ['mariadb', infraUrls().mysqlUrl],
  ]) {
    try {
      pids[name] = pidListeningOn(Number(new URL(url).port));
    } catch {
      // not local
    }
  }
  // The gateway must be the process startSystem spawned, not something else on that port.
  if (ppid(pids.gateway) !== process.pid || !cmdline(pids.gateway).includes('dist/apps/gateway/main.js')) {
    throw new Error(`pid ${pids.gateway} on the gateway port is not our gateway: ${cmdline(pids.gateway)}`);
  }
  return pids;
}

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
  return deleteRedisKeys(redisUrl, REDIS_PREFIX);
}

async function main() {
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  const { system, ports } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'] });
  const { gatewayUrl } = system;
  const pids = findPids(ports);
  const subscriber = await watchPublishes();
  await sleep(2000);
  const rssIdle = rssBytes(pids.gateway);

  console.log(`registering ${USERS} users…`);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const users = (await registerUsers(gatewayUrl, { count: USERS, tag: `rt${RUN}`, agent })).map((user, index) => ({ ...user, index, ticks: 0 }));
  if (TICKS) {
    const text = Array.from({ length: TASK_ITEMS }, (_, k) => `- [ ] item ${k}`).join('\n');
    for (const user of users) {
      const { status, body } = await postJson(
        `${gatewayUrl}/api/notes`,
        { title: `checklist ${RUN}`, text },
        { agent, headers: { authorization: `Bearer ${user.token}` } },
      );
      if (status !== 201) throw new Error(`creating the checklist note: ${status}`);
      user.note = { id: body.id, version: body.version };
    }
  }
  console.log(`connecting ${USERS} × ${TABS} = ${USERS * TABS} sockets…`);
  const connectStarted = performance.now();
  const slots = users.flatMap((user) => Array.from({ length: TABS }, (_, index) => ({ user, index })));
  for (let i = 0; i < slots.length; i += CONNECT_BATCH) {
    const batch = slots.slice(i, i + CONNECT_BATCH);
    const tabs = await Promise.all(batch.map(({ user, index }) => connectTab(gatewayUrl, user, index)));
    batch.forEach(({ user, index }, j) => ((user.tabs ??= [])[index] = tabs[j]));
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  await sleep(2000); // every socket's catch-up done, the subscription live
  const rssConnected = rssBytes(pids.gateway);

  console.log(`warm-up: ${WARMUP_SECONDS} s at ${RATE} writes/s…`);
  await drive(gatewayUrl, users, agent, 'warmup', Math.round(WARMUP_SECONDS * RATE));
  await drain('warmup');

  console.log(`measuring: ${SECONDS} s at ${RATE} writes/s over ${USERS * TABS} sockets…`);
  let rssMax = rssBytes(pids.gateway);
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, rssBytes(pids.gateway))), 1000);
  // This process's event-loop delay: high values would mean the client side distorts the timings.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const benchCpuBefore = process.cpuUsage();
  const machineBefore = machineCpuMs();
  const windowStarted = performance.now();
  const worstLateMs = await drive(gatewayUrl, users, agent, 'measured', Math.round(SECONDS * RATE));
  const windowMs = performance.now() - windowStarted;
  const cpuPercent = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, Math.round(((cpuMs(pid) - cpuBefore[name]) / windowMs) * 1000) / 10]),
  );
  const benchCpu = process.cpuUsage(benchCpuBefore);
  cpuPercent['bench (this process)'] = Math.round(((benchCpu.user + benchCpu.system) / 1000 / windowMs) * 1000) / 10;
  // The whole machine (100 % = one core) and what is not ours: other work on the box competes for the 2 cores.
  const machineAfter = machineCpuMs();
  const percentOf = (ms) => Math.round((ms / windowMs) * 1000) / 10;
  const machineBusy = percentOf(machineAfter.busy - machineBefore.busy);
  const ours = Object.values(cpuPercent).reduce((sum, value) => sum + value, 0);
  const load = loadavg();
  await drain('measured');
  loopDelay.disable();
  clearInterval(rssTimer);
  const rssEnd = rssBytes(pids.gateway);
  rssMax = Math.max(rssMax, rssEnd);

  const seen = { ...anomalies }; // before closing: closing counts as disconnects
  for (const user of users) for (const tab of user.tabs) tab.socket.close();
  subscriber.disconnect();
  agent.destroy();
  const stopped = await system.stop();
  const dirty = stopped.filter((s) => s.code !== 0);
  await cleanInfra();

  // The figures, measured writes only.
  const measured = [...writes.values()].filter((w) => w.phase === 'measured');
  const received = measured.filter((w) => w.tEvent !== undefined);
  const complete = measured.filter((w) => w.tAll !== undefined);
  const published = received.filter((w) => w.tPublished !== undefined);
  const result = {
    config: { sockets: USERS * TABS, users: USERS, tabsPerUser: TABS, rate: RATE, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS },
    writes: measured.length,
    eventsReceived: received.length,
    missing: measured.length - received.length,
    incompleteFanOut: measured.length - complete.length,
    echoesReceived: measured.filter((w) => w.tEcho !== undefined).length,
    anomalies: seen,
    latencyMs: {
      postToEvent: summary(received.map((w) => w.tEvent - w.t0)),
      postToAllTabs: summary(complete.map((w) => w.tAll - w.t0)),
      postResponse: summary(measured.map((w) => w.tResponse - w.t0)),
      eventAfterResponse: summary(received.map((w) => w.tEvent - w.tResponse)),
      postToPublish: summary(published.map((w) => w.tPublished - w.t0)),
      publishToEvent: summary(published.map((w) => w.tEvent - w.tPublished)),
    },
    eventBeforeResponse: received.filter((w) => w.tEvent < w.tResponse).length,
    pacing: { achievedRate: Math.round((measured.length / windowMs) * 1000 * 10) / 10, worstLateMs: Math.round(worstLateMs * 10) / 10 },
    // The histogram counts the 1 ms sampling interval too: subtract it.
    benchEventLoopDelayMs: Object.fromEntries(
      [
        ['p50', loopDelay.percentile(50)],
        ['p99', loopDelay.percentile(99)],
        ['max', loopDelay.max],
      ].map(([key, ns]) => [key, Math.max(0, Math.round((ns / 1e6 - 1) * 100) / 100)]),
    ),
    gatewayRss: { idle: rssIdle, connected: rssConnected, max: rssMax, end: rssEnd },
    connectSeconds: Math.round(connectSeconds * 10) / 10,
    cpuPercentDuringWindow: cpuPercent,
    machineCpuPercent: { busy: machineBusy, notOurs: Math.round((machineBusy - ours) * 10) / 10, of: cpus().length * 100 },
    loadavg1m: Math.round(load[0] * 100) / 100,
    write: TICKS ? 'tick' : 'note',
    target: TICKS ? { p99: 15 } : { p50: 5, p99: 20 },
  };
  const lat = result.latencyMs;
  const latencyMet = TICKS ? lat.postToEvent.p99 <= 15 : lat.postToEvent.p50 <= 5 && lat.postToEvent.p99 <= 20;
  result.targetMet = result.missing === 0 && seen.foreign + seen.duplicate === 0 && latencyMet;

  console.log(
    `\nRealtime latency (${TICKS ? 'checklist ticks' : 'new notes'}): ${result.writes} writes at ${RATE}/s (achieved ${result.pacing.achievedRate}/s) over ${SECONDS} s, ` +
      `${USERS} users × ${TABS} tabs = ${USERS * TABS} sockets\n`,
  );
  printTable(
    ['measure (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
    [
      ['POST → event (other tab)', lat.postToEvent],
      [`POST → event (all ${TABS - 1} other tabs)`, lat.postToAllTabs],
      ['POST → response (baseline)', lat.postResponse],
      ['event − response', lat.eventAfterResponse],
      ['POST → PUBLISH seen in Redis (write path)', lat.postToPublish],
      ['PUBLISH → event at the tab (relay)', lat.publishToEvent],
    ].map(([label, s]) => [label, s.n, s.p50.toFixed(2), s.p95.toFixed(2), s.p99.toFixed(2), s.max.toFixed(2)]),
  );
  console.log('');
  printTable(
    ['check', 'value'],
    [
      ['writes', result.writes],
      ['events received (other tab)', result.eventsReceived],
      ['missing (must be 0)', result.missing],
      ['incomplete fan-out', result.incompleteFanOut],
      ['echoes to the writer tab', result.echoesReceived],
      ['events before the response', result.eventBeforeResponse],
      ['foreign / duplicate / stray events', `${seen.foreign} / ${seen.duplicate} / ${seen.stray}`],
      ['wrong clientId / disconnects / HTTP errors', `${seen.wrongClientId} / ${seen.disconnects} / ${seen.httpErrors}`],
      ['worst pacing lateness', `${result.pacing.worstLateMs} ms`],
      [
        'bench event-loop delay p99 / max',
        `${result.benchEventLoopDelayMs.p99.toFixed(1)} / ${result.benchEventLoopDelayMs.max.toFixed(1)} ms`,
      ],
      ['gateway RSS idle / connected / max', `${mib(rssIdle)} / ${mib(rssConnected)} / ${mib(rssMax)}`],
      ['sockets connected in', `${result.connectSeconds} s`],
      [
        'CPU % in the window',
        Object.entries(cpuPercent)
          .map(([name, value]) => `${name} ${value}`)
          .join(', '),
      ],
      [
        'machine CPU busy / not ours / load avg 1 min',
        `${result.machineCpuPercent.busy} % / ${result.machineCpuPercent.notOurs} % of ${result.machineCpuPercent.of} % / ${result.loadavg1m}`,
      ],
      [TICKS ? 'target p99 ≤ 15 ms, 0 missing' : 'target p50 ≤ 5 ms, p99 ≤ 20 ms, 0 missing', result.targetMet ? 'met' : 'MISSED'],
    ],
  );
  if (dirty.length > 0) console.log(`\napps that did not exit 0: ${dirty.map((s) => `${s.name} (${s.code ?? s.signal})`).join(', ')}`);
  console.log(`\nwritten to ${writeResult(TICKS ? 'tick-latency' : 'realtime-latency', result, opts.json)}`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.stack ?? error.message);
    await stopAll();
    await cleanInfra().catch(() => undefined);
    process.exit(1);
  },
);
