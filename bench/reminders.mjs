#!/usr/bin/env node
// P18 (issue 23's P10, issue 18): do reminders fire on time, once each, when 10,000 of them fall due
// within one minute? Target: p99 ≤ 1 s late at the owner's socket, 0 missed, 0 doubled.
//
//   node bench/reminders.mjs [--users 1000] [--per-user 10] [--window 60] [--lead 40] [--concurrency 16]
//                            [--poll-ms N] [--batch N] [--quick] [--no-build] [--json FILE]
//
// Starts a MicroNote system on free ports (databases `micronote_*_benchremind`, Redis prefix
// `mnbenchremind:`, dropped/deleted before and after; one todos-service, so one scheduler, at its
// defaults unless --poll-ms / --batch set REMINDER_POLL_MS / REMINDER_BATCH), mints a session for
// each of `users` user ids (lib/users.mjs mintTokens: todos need no account) and opens one
// authenticated socket.io socket per user (the system's per-user socket cap and handshake limit
// are off, lib/system.mjs; one socket per user would be within the defaults anyway).
// Then it creates `per-user` todos per user through `POST /api/todos` with a `remindAt`, `concurrency`
// requests in flight, what the service itself writes (remind_at, reminder_state 0, reminder_seq 1).
// Their times are spread uniformly (stratified, in random order) over a `window`-second window
// that starts `lead` s after the creation is expected to end (a pilot of 200 POSTs without a
// reminder, after 200 to warm up, times the creation; 1.3× that as a margin), so every reminder
// exists before the first falls due (a creation that ran into the window fails the row in run.mjs).
// Between the creation and the window, todos-service's CPU (/proc/<pid>/stat) is read over the
// idle lead (the scheduler polling an index with nothing due), as long as the CPU window when the
// lead allows: its rate is the idle baseline.
// Measured, with this machine's clock (the apps run here too):
//   - lateness = receive time at the owner's socket − remindAt, p50/p95/p99/max;
//   - publish lateness = the event's `at` (stamped by the scheduler as it publishes) − remindAt,
//     and relay = receive − `at` (Redis → gateway → socket.io);
//   - missed: no REMINDER on the owner's socket by remindAt + 10 s; doubled: a todo's REMINDER
//     twice on one socket; stray: a REMINDER of a todo this user did not create;
//   - scheduler CPU per reminder: todos-service's CPU over [start of the window, end + 2 s] minus
//     the idle rate over the same length, ÷ reminders fired (micronote_reminders_fired_total).
// `--quick` (bench/run.mjs --quick, `npm test`): 100 users × 10 reminders over 10 s, a 5 s lead.
// Writes bench/results/<date>-reminders.json (or `--json FILE`, for bench/run.mjs: row P18).
import { Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { io } from 'socket.io-client';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { cpuMs, machineCpuMs, pidListeningOn, rssBytes } from './lib/proc.mjs';
import { mib, printTable, summary, writeResult } from './lib/report.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { mintTokens, postJson } from './lib/users.mjs';

const { values: opts } = parseArgs({
  options: {
    users: { type: 'string' },
    'per-user': { type: 'string', default: '10' },
    window: { type: 'string' },
    lead: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'poll-ms': { type: 'string' },
    batch: { type: 'string' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const USERS = Number(opts.users ?? (opts.quick ? 100 : 1000));
const PER_USER = Number(opts['per-user']);
const WINDOW_S = Number(opts.window ?? (opts.quick ? 10 : 60));
const LEAD_S = Number(opts.lead ?? (opts.quick ? 5 : 40));
const CONCURRENCY = Number(opts.concurrency);
const REMINDERS = USERS * PER_USER;
if (!(USERS >= 1 && PER_USER >= 1 && PER_USER <= 100 && WINDOW_S > 0 && WINDOW_S <= 600 && LEAD_S >= 3 && CONCURRENCY >= 1)) {
  throw new Error('need --users ≥ 1, --per-user in [1, 100], --window in (0, 600], --lead ≥ 3, --concurrency ≥ 1');
}

const DB_SUFFIX = '_benchremind';
const REDIS_PREFIX = 'mnbenchremind:';
/** A reminder without its event by remindAt + this is missed. */
const MISSED_AFTER_MS = 10_000;
/** After the last reminder arrived, how long a second copy is waited for. */
const DOUBLE_GRACE_MS = 2_000;
/** CPU is counted over the window plus this tail (a reminder due at its end is published after it). */
const CPU_TAIL_MS = 2_000;
const PILOT = 200;
const CONNECT_BATCH = 100;
const CONNECT_TIMEOUT_MS = 15_000;
/** Below this lead actually left after the creation, the creation's own load overlapped the window. */
const MIN_LEAD_MS = 3_000;
const RUN = Math.random().toString(36).slice(2, 8);
/** First user id: far from any seeded or registered user (the system is fresh anyway). */
const FIRST_USER_ID = 900_001;

/** Wall-clock time with sub-millisecond resolution (remindAt and the event's `at` are wall-clock instants). */
const nowMs = () => performance.timeOrigin + performance.now();

/** Every reminder by todo id: `{ user, remindAt (ms), receives: [ms], publishedAt (ms of the first event's `at`), late }`. */
const reminders = new Map();
const anomalies = { stray: 0, foreign: 0, disconnects: 0, createErrors: 0, connectErrors: 0 };
let firstCreateError;

/** The reminder metrics of todos-service's /metrics: fired by `late`, the lateness histogram, poll failures, process CPU. */
async function schedulerMetrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lines = text.split('\n').filter((line) => /^micronote_reminder/.test(line));
  const value = (line) => Number(line.split(' ').pop());
  const sum = (prefix) => lines.filter((line) => line.startsWith(prefix)).reduce((total, line) => total + value(line), 0);
  const buckets = Object.fromEntries(
    lines
      .filter((line) => line.startsWith('micronote_reminder_lateness_seconds_bucket'))
      .map((line) => [/le="([^"]+)"/.exec(line)[1], value(line)]),
  );
  return {
    fired: sum('micronote_reminders_fired_total'),
    firedLate: sum('micronote_reminders_fired_total{late="true"}'),
    pollFailures: sum('micronote_reminder_poll_failures_total'),
    latenessBuckets: buckets,
    latenessSumSeconds: sum('micronote_reminder_lateness_seconds_sum'),
    latenessCount: sum('micronote_reminder_lateness_seconds_count'),
  };
}

/** One user's socket: records each REMINDER's receive time against the todo it names. */
function connectUser(url, user) {
  const socket = io(url, { transports: ['websocket'], auth: { token: user.token }, forceNew: true, reconnection: false });
  socket.on('event', (event) => {
    if (event.type !== 'REMINDER') return;
    const at = nowMs();
    const reminder = reminders.get(event.todoId);
    if (!reminder) return void anomalies.stray++;
    if (reminder.user !== user) return void anomalies.foreign++;
    reminder.receives.push(at);
    if (reminder.receives.length === 1) {
      reminder.publishedAt = Date.parse(event.at);
      reminder.late = event.late === true;
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`user ${user.userId}: no connect within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.on('disconnect', (reason) => reason !== 'io client disconnect' && anomalies.disconnects++);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`user ${user.userId}: connect_error ${error.message}`));
    });
  });
}

/** Runs `jobs` (functions returning promises) `CONCURRENCY` at a time. */
async function pool(jobs) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
}

/** POST /api/todos as `user`; with `remindAt` (ms) the todo is recorded as a reminder. */
async function createTodo(gatewayUrl, agent, user, text, remindAt) {
  const body = { text, ...(remindAt !== undefined && { remindAt: new Date(remindAt).toISOString() }) };
  try {
    const { status, body: created } = await postJson(`${gatewayUrl}/api/todos`, body, {
      agent,
      headers: { authorization: `Bearer ${user.token}` },
    });
    if (status !== 201) {
      anomalies.createErrors++;
      firstCreateError ??= `${status} ${JSON.stringify(created).slice(0, 200)}`;
      return;
    }
    if (remindAt !== undefined) reminders.set(created.id, { user, remindAt: Date.parse(created.remindAt), receives: [] });
  } catch (error) {
    anomalies.createErrors++;
    firstCreateError ??= error.message;
  }
}

/** Resolves at wall-clock time `ms`. */
const until = (ms) => sleep(Math.max(0, ms - nowMs()));

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
  const loadAtStart = loadavg();
  const env = {
    ...(opts['poll-ms'] && { REMINDER_POLL_MS: opts['poll-ms'] }),
    ...(opts.batch && { REMINDER_BATCH: opts.batch }),
  };
  const { system, ports } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'], env });
  const { gatewayUrl } = system;
  const todosUrl = `http://127.0.0.1:${ports['todos-service'].http}`;
  const pids = { todos: pidListeningOn(ports['todos-service'].http), gateway: pidListeningOn(ports.gateway.http) };
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  const userIds = Array.from({ length: USERS }, (_, i) => FIRST_USER_ID + i);
  const tokens = await mintTokens({ redisUrl: infraUrls().redisUrl, redisPrefix: REDIS_PREFIX, userIds, ttlSeconds: 3 * 3600 });
  const users = userIds.map((userId, i) => ({ userId, token: tokens[i] }));

  console.log(`connecting ${USERS} sockets (one per user)…`);
  const connectStarted = performance.now();
  const sockets = [];
  for (let i = 0; i < users.length; i += CONNECT_BATCH) {
    const batch = users.slice(i, i + CONNECT_BATCH);
    sockets.push(...(await Promise.all(batch.map((user) => connectUser(gatewayUrl, user)))));
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;

  // The pilot: todos without a reminder, to time the creation (after as many untimed, to warm up).
  const pilot = (from) =>
    pool(
      Array.from({ length: PILOT }, (_, i) => () => createTodo(gatewayUrl, agent, users[(from + i) % USERS], `pilot ${RUN} ${from + i}`)),
    );
  await pilot(0);
  const pilotStarted = performance.now();
  await pilot(PILOT);
  const pilotRate = PILOT / ((performance.now() - pilotStarted) / 1000);
  const expectedCreateMs = (REMINDERS / pilotRate) * 1000;
  // 1.3× the expected time as a margin (other work on the machine varies), then the lead.
  const windowStart = Math.ceil(nowMs() + 1.3 * expectedCreateMs + LEAD_S * 1000);
  const windowEnd = windowStart + WINDOW_S * 1000;
  console.log(
    `pilot: ${Math.round(pilotRate)} POST/s; creating ${REMINDERS} reminders (${USERS} users × ${PER_USER}) due from ${new Date(windowStart).toISOString()} over ${WINDOW_S} s…`,
  );

  // Reminder k of N is due at windowStart + (k + u)/N · window (u uniform in [0, 1)), handed to the users in random order.
  const slots = Array.from({ length: REMINDERS }, (_, k) => windowStart + ((k + Math.random()) / REMINDERS) * WINDOW_S * 1000);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  const createStarted = nowMs();
  await pool(slots.map((at, k) => () => createTodo(gatewayUrl, agent, users[k % USERS], `remind ${RUN} ${k}`, Math.round(at))));
  const createEnded = nowMs();
  const createSeconds = (createEnded - createStarted) / 1000;
  const leadLeftMs = windowStart - createEnded;
  console.log(
    `created ${reminders.size} in ${createSeconds.toFixed(1)} s (${Math.round(REMINDERS / createSeconds)}/s, ${anomalies.createErrors} errors); ${(leadLeftMs / 1000).toFixed(1)} s to the first`,
  );

  // Idle baseline: as long as the CPU window when the lead left allows (else what is left), ending a second before it.
  const idleTo = windowStart - 1000;
  const idleFrom = Math.max(nowMs() + 1000, idleTo - WINDOW_S * 1000 - CPU_TAIL_MS);
  let idle = { ms: NaN, seconds: 0 };
  if (idleTo - idleFrom >= 1000) {
    await until(idleFrom);
    const before = cpuMs(pids.todos);
    await until(idleTo);
    idle = { ms: cpuMs(pids.todos) - before, seconds: (nowMs() - idleFrom) / 1000 };
  }

  const metricsBefore = await schedulerMetrics(todosUrl);
  await until(windowStart);
  const loadAtWindow = loadavg();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpuBefore = { todos: cpuMs(pids.todos), gateway: cpuMs(pids.gateway), machine: machineCpuMs().busy, bench: process.cpuUsage() };
  const cpuFrom = nowMs();
  console.log(`firing: ${reminders.size} reminders over ${WINDOW_S} s…`);
  await until(windowEnd + CPU_TAIL_MS);
  const cpuSeconds = (nowMs() - cpuFrom) / 1000;
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const cpu = {
    todos: cpuMs(pids.todos) - cpuBefore.todos,
    gateway: cpuMs(pids.gateway) - cpuBefore.gateway,
    machine: machineCpuMs().busy - cpuBefore.machine,
    bench: (benchCpu.user + benchCpu.system) / 1000,
  };
  const loadAtWindowEnd = loadavg();
  // Wait for the stragglers: until every reminder arrived (then a grace for doubles), or the missed deadline.
  const lastDue = Math.max(...[...reminders.values()].map((r) => r.remindAt));
  const deadline = lastDue + MISSED_AFTER_MS;
  const pending = () => [...reminders.values()].some((r) => r.receives.length === 0);
  while (pending() && nowMs() < deadline) await sleep(50);
  await sleep(DOUBLE_GRACE_MS);
  loopDelay.disable();
  const metricsAfter = await schedulerMetrics(todosUrl);
  const rss = { todos: rssBytes(pids.todos), gateway: rssBytes(pids.gateway) };
  const seen = { ...anomalies }; // before closing the sockets
  for (const socket of sockets) socket.close();
  agent.destroy();
  const stopped = await system.stop();
  await cleanInfra();

  const all = [...reminders.values()];
  const received = all.filter((r) => r.receives.length > 0);
  const onTime = received.filter((r) => r.receives[0] <= r.remindAt + MISSED_AFTER_MS);
  const fired = metricsAfter.fired - metricsBefore.fired;
  const idleRate = idle.ms / idle.seconds; // ms of CPU per second, nothing due
  const firingMs = cpu.todos - idleRate * cpuSeconds;
  const round3 = (value) => Math.round(value * 1000) / 1000;
  const result = {
    config: {
      users: USERS,
      perUser: PER_USER,
      reminders: REMINDERS,
      windowSeconds: WINDOW_S,
      leadSeconds: LEAD_S,
      concurrency: CONCURRENCY,
      schedulerEnv: Object.keys(env).length > 0 ? env : 'defaults (REMINDER_POLL_MS 200, REMINDER_BATCH 200)',
      schedulers: 1,
    },
    created: reminders.size,
    received: received.length,
    missed: all.length - onTime.length,
    neverReceived: all.length - received.length,
    doubled: all.filter((r) => r.receives.length > 1).length,
    markedLate: received.filter((r) => r.late).length,
    anomalies: seen,
    firstCreateError,
    latenessMs: {
      receive: summary(received.map((r) => r.receives[0] - r.remindAt)),
      publish: summary(received.map((r) => r.publishedAt - r.remindAt)),
      relay: summary(received.map((r) => r.receives[0] - r.publishedAt)),
    },
    withinOneSecond: received.filter((r) => r.receives[0] - r.remindAt <= 1000).length,
    schedulerMetrics: {
      fired,
      firedLate: metricsAfter.firedLate - metricsBefore.firedLate,
      pollFailures: metricsAfter.pollFailures - metricsBefore.pollFailures,
      latenessMeanMs: round3(((metricsAfter.latenessSumSeconds - metricsBefore.latenessSumSeconds) / fired) * 1000),
      latenessBuckets: Object.fromEntries(
        Object.entries(metricsAfter.latenessBuckets).map(([le, n]) => [le, n - (metricsBefore.latenessBuckets[le] ?? 0)]),
      ),
    },
    cpu: {
      windowSeconds: round3(cpuSeconds),
      todosServiceMs: cpu.todos,
      idleBaseline: { ms: idle.ms, seconds: round3(idle.seconds), msPerSecond: round3(idleRate), scaledMs: round3(idleRate * cpuSeconds) },
      todosServiceMsPerReminder: fired > 0 ? round3(firingMs / fired) : null,
      todosServiceMsPerReminderGross: fired > 0 ? round3(cpu.todos / fired) : null,
      gatewayMsPerReminder: fired > 0 ? round3(cpu.gateway / fired) : null,
      todosServicePercent: Math.round((cpu.todos / cpuSeconds / 1000) * 1000) / 10,
      gatewayPercent: Math.round((cpu.gateway / cpuSeconds / 1000) * 1000) / 10,
      benchPercent: Math.round((cpu.bench / cpuSeconds / 1000) * 1000) / 10,
      machineBusyPercent: Math.round((cpu.machine / cpuSeconds / 1000) * 1000) / 10,
      of: cpus().length * 100,
    },
    benchEventLoopDelayMs: Object.fromEntries(
      [
        ['p50', loopDelay.percentile(50)],
        ['p99', loopDelay.percentile(99)],
        ['max', loopDelay.max],
      ].map(([key, ns]) => [key, Math.max(0, Math.round((ns / 1e6 - 1) * 100) / 100)]),
    ),
    creation: {
      pilotPerSecond: Math.round(pilotRate),
      seconds: round3(createSeconds),
      perSecond: Math.round(REMINDERS / createSeconds),
      leadLeftSeconds: round3(leadLeftMs / 1000),
      overlappedWindow: leadLeftMs < MIN_LEAD_MS,
    },
    connectSeconds: round3(connectSeconds),
    rss,
    loadavg: {
      start: loadAtStart.map((v) => Math.round(v * 100) / 100),
      windowStart: loadAtWindow.map((v) => Math.round(v * 100) / 100),
      windowEnd: loadAtWindowEnd.map((v) => Math.round(v * 100) / 100),
    },
    cores: cpus().length,
  };
  const lat = result.latenessMs.receive;
  result.targetMet = result.missed === 0 && result.doubled === 0 && lat.p99 <= 1000;

  console.log(`\nReminders: ${REMINDERS} (${USERS} users × ${PER_USER}) due over ${WINDOW_S} s, one socket per user, one scheduler\n`);
  printTable(
    ['lateness (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
    [
      ['remindAt → owner’s socket', result.latenessMs.receive],
      ['remindAt → published (event `at`)', result.latenessMs.publish],
      ['published → socket (relay)', result.latenessMs.relay],
    ].map(([label, s]) => [label, s.n, s.p50.toFixed(1), s.p95.toFixed(1), s.p99.toFixed(1), s.max.toFixed(1)]),
  );
  console.log('');
  printTable(
    ['check', 'value'],
    [
      ['created / received / fired (metric)', `${result.created} / ${result.received} / ${fired}`],
      ['missed (no event by remindAt + 10 s) / doubled', `${result.missed} / ${result.doubled}`],
      ['marked late / stray / foreign / disconnects', `${result.markedLate} / ${seen.stray} / ${seen.foreign} / ${seen.disconnects}`],
      ['within 1 s', `${result.withinOneSecond} of ${result.received}`],
      [
        'todos-service CPU per reminder (net of idle / gross)',
        `${result.cpu.todosServiceMsPerReminder} / ${result.cpu.todosServiceMsPerReminderGross} ms`,
      ],
      ['idle baseline', `${idle.ms} ms in ${result.cpu.idleBaseline.seconds} s (${result.cpu.idleBaseline.msPerSecond} ms/s)`],
      ['gateway CPU per reminder', `${result.cpu.gatewayMsPerReminder} ms`],
      [
        'CPU % in the window (todos / gateway / bench / machine)',
        `${result.cpu.todosServicePercent} / ${result.cpu.gatewayPercent} / ${result.cpu.benchPercent} / ${result.cpu.machineBusyPercent} of ${result.cpu.of}`,
      ],
      ['bench event-loop delay p99 / max', `${result.benchEventLoopDelayMs.p99} / ${result.benchEventLoopDelayMs.max} ms`],
      [
        'creation',
        `${result.creation.seconds} s (${result.creation.perSecond}/s, ${seen.createErrors} errors), ${result.creation.leadLeftSeconds} s left before the window`,
      ],
      ['RSS todos-service / gateway', `${mib(rss.todos)} / ${mib(rss.gateway)}`],
      [
        'load average 1 min: start / window start / window end',
        `${loadAtStart[0].toFixed(2)} / ${loadAtWindow[0].toFixed(2)} / ${loadAtWindowEnd[0].toFixed(2)}`,
      ],
      ['target p99 ≤ 1 s, 0 missed, 0 doubled', result.targetMet ? 'met' : 'MISSED'],
    ],
  );
  if (firstCreateError) console.log(`\nfirst create error: ${firstCreateError}`);
  const dirty = stopped.filter((s) => s.code !== 0);
  if (dirty.length > 0) console.log(`apps that did not exit 0: ${dirty.map((s) => `${s.name} (${s.code ?? s.signal})`).join(', ')}`);
  console.log(`\nwritten to ${writeResult('reminders', result, opts.json)}`);
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
