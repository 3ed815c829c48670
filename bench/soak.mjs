#!/usr/bin/env node
// Soak: the whole system under a realistic mix at 70 % of its peak for a long time (default 10 min).
//   node bench/soak.mjs [--minutes 10] [--users 20] [--no-build]      (npm run soak -- --minutes 10)
// 1. Peak: closed-loop load with rising concurrency (20 s per step) until throughput stops growing;
//    peak = best requests/s.
// 2. Soak: an open-loop (paced) load at 70 % of that rate for --minutes, in 30 s windows: requests,
//    errors (non-2xx or network), p50/p99 latency, RSS of every app process.
// Pass: 0 errors; p99 drift (median p99 of the last three windows / of the first three after the
// first minute) ≤ 1.2×; memory growth (median RSS sum of the last three windows / of the first three
// after the first minute) < 10 %.
// The mix per user: list notes 40 %, get note 20 %, create note 10 %, update note 10 %, list todos
// 10 %, create/complete todo 10 %. Results: bench/results/<date>-soak.json.
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { percentile } from './lib/measure.mjs';
import { pidListeningOn, rssBytes } from './lib/proc.mjs';
import { mib, printTable, writeResult } from './lib/report.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { postJson, registerUsers } from './lib/users.mjs';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    users: { type: 'string', default: '20' },
    'no-build': { type: 'boolean' },
  },
});
const MINUTES = Number(opts.minutes);
const USERS = Number(opts.users);
const WINDOW_MS = 30_000;
const DB_SUFFIX = '_soak';
const REDIS_PREFIX = 'mnsoak:';
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

async function request(base, user, method, path, payload) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.token}`, ...(payload && { 'content-type': 'application/json' }) },
      body: payload && JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({}));
    return { ok: response.status < 300, status: response.status, body, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, status: 0, body: { error: String(error) }, ms: performance.now() - started };
  }
}

/** One step of the mix for `user` (its own notes and todos). */
async function step(base, user, random = Math.random()) {
  if (random < 0.4 || user.notes.length === 0) return request(base, user, 'GET', '/api/notes?limit=20');
  const note = user.notes[Math.floor(Math.random() * user.notes.length)];
  if (random < 0.6) return request(base, user, 'GET', `/api/notes/${note.id}`);
  if (random < 0.7) {
    const r = await request(base, user, 'POST', '/api/notes', { title: `soak ${Date.now()}`, text: 'soak text', tags: ['soak'] });
    if (r.ok && user.notes.length < 200) user.notes.push(r.body);
    return r;
  }
  if (random < 0.8) {
    // Update without a version: a soak must not count a version race between its own workers as an error.
    return request(base, user, 'PATCH', `/api/notes/${note.id}`, { text: `edited ${Date.now()}` });
  }
  if (random < 0.9) return request(base, user, 'GET', '/api/todos?limit=20');
  const r = await request(base, user, 'POST', '/api/todos', { text: `soak todo ${Date.now()}` });
  if (r.ok) return request(base, user, 'PATCH', `/api/todos/${r.body.id}`, { completed: true });
  return r;
}

async function closedLoop(base, users, concurrency, ms) {
  const end = performance.now() + ms;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const user = users[i % users.length];
      while (performance.now() < end) {
        const r = await step(base, user);
        done++;
        if (!r.ok) errors++;
      }
    }),
  );
  return { rps: done / (ms / 1000), errors };
}

async function main() {
  installSignalHandlers();
  await ensureInfra();
  const { mysqlUrl, redisUrl } = infraUrls();
  const clean = async () => {
    await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
    await deleteRedisKeys(redisUrl, REDIS_PREFIX);
  };
  onShutdown(clean);
  await clean();
  const { system, ports } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'] });
  const base = system.gatewayUrl;
  const pids = Object.fromEntries(Object.entries(ports).map(([name, p]) => [name, pidListeningOn(p.http)]).filter(([, pid]) => pid));
  const rss = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssBytes(pid)]));
  try {
    const users = (await registerUsers(base, { count: USERS, tag: `soak${Date.now().toString(36)}`, agent })).map((u) => ({ ...u, notes: [] }));
    for (const user of users) {
      for (let i = 0; i < 5; i++) {
        const { body } = await postJson(`${base}/api/notes`, { title: `seed ${i}`, text: 'seed' }, { headers: { authorization: `Bearer ${user.token}` }, agent });
        user.notes.push(body);
      }
    }

    // 1. Peak.
    let peak = 0;
    const peakSteps = [];
    for (const concurrency of [4, 8, 16, 32, 64]) {
      const { rps, errors } = await closedLoop(base, users, concurrency, MINUTES >= 5 ? 20_000 : 8_000);
      peakSteps.push({ concurrency, rps: Math.round(rps), errors });
      console.log(`peak search: concurrency ${concurrency}: ${rps.toFixed(0)} req/s, ${errors} errors`);
      if (rps < peak * 1.05) break;
      peak = Math.max(peak, rps);
    }
    const rate = peak * 0.7;
    console.log(`peak ${peak.toFixed(0)} req/s → soak at ${rate.toFixed(0)} req/s for ${MINUTES} min`);

    // 2. Soak: paced arrivals (each request starts on schedule; latency counted from its schedule).
    const windows = [];
    const started = performance.now();
    const end = started + MINUTES * 60_000;
    let current = { latencies: [], errors: 0, statuses: {} };
    let inFlight = 0;
    let nextWindow = started + WINDOW_MS;
    let n = 0;
    while (performance.now() < end) {
      const due = started + (n / rate) * 1000;
      const now = performance.now();
      if (due > now) await sleep(due - now);
      if (performance.now() >= nextWindow) {
        windows.push({ at: Math.round((nextWindow - started) / 1000), ...current, rss: rss(), inFlight });
        const w = windows.at(-1);
        const sorted = w.latencies.sort((a, b) => a - b);
        console.log(
          `${String(w.at).padStart(4)} s: ${sorted.length} req, ${w.errors} errors, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, RSS ${mib(Object.values(w.rss).reduce((a, b) => a + b, 0))}`,
        );
        current = { latencies: [], errors: 0, statuses: {} };
        nextWindow += WINDOW_MS;
      }
      const user = users[n % users.length];
      const window = current;
      n++;
      inFlight++;
      void step(base, user).then((r) => {
        inFlight--;
        window.latencies.push(performance.now() - due);
        if (!r.ok) {
          window.errors++;
          window.statuses[r.status] = (window.statuses[r.status] ?? 0) + 1;
        }
      });
    }
    while (inFlight > 0) await sleep(10);

    const summarised = windows.map((w) => {
      const sorted = [...w.latencies].sort((a, b) => a - b);
      return { at: w.at, requests: sorted.length, errors: w.errors, statuses: w.statuses, p50: percentile(sorted, 50), p99: percentile(sorted, 99), rssTotal: Object.values(w.rss).reduce((a, b) => a + b, 0), rss: w.rss };
    });
    const afterWarmup = summarised.filter((w) => w.at > 60);
    const basis = afterWarmup.length >= 6 ? afterWarmup : summarised;
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const firstP99 = med(basis.slice(0, 3).map((w) => w.p99));
    const lastP99 = med(basis.slice(-3).map((w) => w.p99));
    const drift = lastP99 / firstP99;
    // RSS moves with GC cycles by several percent between windows: compare medians of three windows too.
    const firstRss = med(basis.slice(0, 3).map((w) => w.rssTotal));
    const lastRss = med(basis.slice(-3).map((w) => w.rssTotal));
    const growth = lastRss / firstRss - 1;
    const errors = summarised.reduce((a, w) => a + w.errors, 0);
    const requests = summarised.reduce((a, w) => a + w.requests, 0);
    printTable(
      ['measure', 'value', 'target', ''],
      [
        ['requests', String(requests), '', ''],
        ['errors', String(errors), '0', errors === 0 ? 'pass' : 'FAIL'],
        ['p99 drift (last 3 / first 3 windows)', `${drift.toFixed(2)}× (${firstP99.toFixed(2)} → ${lastP99.toFixed(2)} ms)`, '≤ 1.2×', drift <= 1.2 ? 'pass' : 'FAIL'],
        ['memory growth (RSS of all apps, last 3 / first 3 windows)', `${(growth * 100).toFixed(1)} % (${mib(firstRss)} → ${mib(lastRss)})`, '< 10 %', growth < 0.1 ? 'pass' : 'FAIL'],
      ],
    );
    const file = writeResult('soak', { minutes: MINUTES, users: USERS, peak: Math.round(peak), peakSteps, rate: Math.round(rate), errors, requests, drift, growth, windows: summarised });
    console.log(`results: ${file}`);
  } finally {
    await stopAll();
    await clean();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
