#!/usr/bin/env node
// `npm run bench`: MicroNote's performance targets P1–P8 (issue 8) and the later rows, each measured
// side by side with its baseline in the same run, printed as one table and written to
// bench/results/<date>.json with the machine's facts and every round's raw figures.
//
//   npm run bench [-- [--quick] [--no-build] [--only P1,P3] [--cpu-prof]]
//
// How: builds the production bundles once (unless --no-build), starts two systems side by side on
// free ports, logging at warn, rate limits off (lib/system.mjs), and seeds their notes databases
// (bench/seed.mjs: 5,100 notes, users 1–51 with 100 each):
//   - "uncached": READ_CACHE_TTL=0, every read runs its SQL (databases *_benchrun, Redis mnbenchrun:);
//   - "default":  the read cache on, as shipped (databases *_benchrunc, Redis mnbenchrunc:).
// Readers are users 1–50, writers users 1001–1050 (bench sessions minted in Redis, lib/users.mjs).
// Load comes from a separate process pinned to the last core with `taskset -c` (lib/load.mjs):
// autocannon, 10 connections, no pipelining, for throughput; an open-loop client at a fixed rate,
// timed with performance.now(), for latency. A/B rows run a warm-up of each side, then interleaved
// rounds (A B, B A, …) and take the median of each side; a row fails when any request answered
// non-2xx or errored.
//   P1 GET /api/notes?limit=20 req/s through the gateway ("uncached") vs bare node:http
//      (baseline/notes-server.mjs: JWT verify + one Redis session check + the same SQL, same database).
//      Also shown, without a target, the floor: the same architecture with no framework at all
//      (baseline/floor-edge.mjs, the bare server's auth + one gRPC call → baseline/floor-service.mjs,
//      a raw grpc-js ListNotes running the same SQL) vs the bare server: what any HTTP → gRPC →
//      service design can reach on this machine.
//   P2 the gRPC hop at a fixed 500 req/s: ListNotes called on notes-service over gRPC (what the
//      gateway does) vs the same page computed in-process by the caller (notes-sql.mjs on the same
//      database); p50 and p99 deltas. Also shown, without a target: the floor (ListNotes on
//      floor-service.mjs at the same rate) and the whole edge, GET through the gateway vs the bare
//      server at the same rate (framework, auth, validation and the hop together).
//   P3 POST /api/notes req/s ("default": each 201 follows the commit, cache bump and event) vs the
//      same row INSERTed with mysql2 straight into the same table, as many in flight as connections.
//   P4 bench/realtime-latency.mjs: POST → event in another tab, p99, vs the POST's own p99.
//   P11 bench/realtime-latency.mjs --write tick: a checklist tick (POST /api/notes/:id/tasks) → the
//      note's event in another tab, p50 and p99 at 1,000 sockets, vs the tick's own response time.
//   P5 bench/sockets.mjs: sockets one gateway holds, and RSS per socket over RSS at 0 sockets.
//   P6 bench/notes-scale.mjs: list and rare-word search p50 at 1M vs 1k notes.
//   P7 GET /api/notes req/s with the read cache ("default") vs without ("uncached"), then write →
//      read pairs on "default": the read after each acknowledged write must show it (0 stale).
//   P13 bench/revisions.mjs: the first page of a note's revisions, p50 at 10,000 vs 10 revisions.
//   P16 bench/collab-latency.mjs: live collaboration, keystroke → the other user's screen p50/p99 at
//      50 editors in one note and at 1,000 notes × 2 editors (0.1 keystrokes/s each: 200 updates/s,
//      what 2 cores take), notes-service CPU per update, storage per 10,000 edits after compaction.
//   P17 bench/todos-manual.mjs: GET /api/todos?order=manual&limit=20, first page and a deep page (the
//      cursor of the middle todo), p50 and p99 for a user with 1,000,000 todos vs one with 1,000
//      (issue 18); EXPLAIN/ANALYZE of both pages at both sizes in its raw figures.
//   P18 bench/reminders.mjs (issue 23's P10, issue 18): 10,000 reminders (1,000 users × 10, one socket each)
//      due within one minute; remindAt → the owner's socket p50/p99 (target p99 ≤ 1 s), missed and doubled
//      (a row with any fails), publish lateness, todos-service CPU per reminder over its idle baseline.
//   P19 bench/spa-start.mjs (issue 23's P9, issue 19): the SPA's first-load JavaScript gzipped (the
//      service worker included; target ≤ 200 KB) and a signed-in start from the worker's cache,
//      navigation → notes screen interactive, p50/p95 in Chromium (target ≤ 500 ms).
//   P8 `npm start`'s path (lib/start-ready.mjs: deps and infra checks, migrate, start every app) on
//      free ports until all are ready, built and warm (median of 3 after one warm-up start).
// P1, P2, P3 and P7 also print the CPU time (from /proc) the processes under test spent per
// request (after the warm-up): it varies far less than throughput and latency when other work shares the machine.
// P4–P6, P11, P13, P16, P17 and P18 run as child scripts with --json; their own systems and data stay theirs (P6 keeps its seeded
// 1M/1k databases for the next run, P17 its todos database). Our databases and Redis keys are removed at the end and on Ctrl-C.
//
// Flags:
//   --quick      smoke mode for `npm test` (< 2 min on a quiet machine): no warm-up, 1 round of 2 s,
//                P2 at 100/s, P4 --quick for 5 s, P5 at 300 sockets, P6 and P17 skipped, P18 at 100 users
//                × 10 reminders over 10 s, P8 once; asserts only that every row produced numbers and no
//                request failed or reminder was missed or doubled (targets are shown, not judged);
//                results go to tmp/bench/<date>-quick.json
//   --no-build   use the bundles in dist/ as they are
//   --only IDS   run only these rows, e.g. --only P1,P3 (results: bench/results/<date>-P1-P3.json)
//   --cpu-prof   our systems' apps and the bare server write V8 CPU profiles (lib/cpu-profile.mjs)
//                to tmp/bench-profiles/<time>/ when they stop; open them in Chrome DevTools
// Exit code 1 when a row produced no number or a request failed; a missed target is reported (NO)
// without failing the run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { buildNames, databaseNames, freeAppPorts } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { describeError, error, Fail, formatDuration } from '../tools/scripts/lib/log.mjs';
import { freePorts } from '../tools/scripts/lib/ports.mjs';
import { formatTail, installSignalHandlers, onShutdown, runOrFail, start, stopAll } from '../tools/scripts/lib/processes.mjs';
import { nxRunMany, ROOT } from '../tools/scripts/lib/workspace.mjs';
import { BENCH_NOTE } from './baseline/notes-sql.mjs';
import { LOAD_CORE, runLoad } from './lib/load.mjs';
import { get, median } from './lib/measure.mjs';
import { cpuMs, pidListeningOn } from './lib/proc.mjs';
import { mib, printTable, resultFile, writeResult } from './lib/report.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { mintTokens, postJson } from './lib/users.mjs';

const IDS = ['P1', 'P2', 'P3', 'P4', 'P11', 'P5', 'P6', 'P7', 'P8', 'P13', 'P16', 'P17', 'P18', 'P19'];
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const ONLY = opts.only ? opts.only.split(',').map((id) => id.trim().toUpperCase()) : IDS;
const PLAN = opts.quick
  ? { rounds: 1, seconds: 2, warmupSeconds: 0, connections: 10, rate: 100, staleChecks: 10, starts: 1, startWarmups: 0 }
  : { rounds: 5, seconds: 10, warmupSeconds: 3, connections: 10, rate: 500, staleChecks: 100, starts: 3, startWarmups: 1 };

const SYSTEMS = {
  uncached: { dbSuffix: '_benchrun', redisPrefix: 'mnbenchrun:', env: { READ_CACHE_TTL: '0' } },
  default: { dbSuffix: '_benchrunc', redisPrefix: 'mnbenchrunc:', env: {} },
};
const START = { dbSuffix: '_benchstart', redisPrefix: 'mnbenchstart:' };
const SEED = ['--notes', '5100', '--users', '51', '--heavy', '100', '--rare', '0'];
const READERS = Array.from({ length: 50 }, (_, i) => i + 1);
const WRITERS = Array.from({ length: 50 }, (_, i) => i + 1001);
const LIST_PATH = '/api/notes?limit=20';
const bench = (path) => resolve(ROOT, 'bench', path);

const profileDir = opts['cpu-prof'] && resolve(ROOT, 'tmp/bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
const profileEnv = profileDir
  ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${bench('lib/cpu-profile.mjs')}`.trim(), BENCH_CPU_PROF_DIR: profileDir }
  : {};

// ── figures ──────────────────────────────────────────────────────────────────────────────────────

const fmt = {
  rps: (v) => `${Math.round(v).toLocaleString('en-US')} req/s`,
  ms: (v) => `${v.toFixed(2)} ms`,
  s: (v) => `${v.toFixed(1)} s`,
  kb: (v) => `${(v / 1024).toFixed(1)} KB`,
  count: (v) => v.toLocaleString('en-US'),
};

/**
 * A/B in the same run: a warm-up of each side (none in --quick), then PLAN.rounds rounds in alternating
 * order (A B, B A, …). `a` and `b` take the seconds to run; resolves to `{ a: [result per round], b: [...] }`.
 */
async function interleaved(a, b) {
  if (PLAN.warmupSeconds > 0) {
    await a(PLAN.warmupSeconds);
    await b(PLAN.warmupSeconds);
  }
  const rounds = { a: [], b: [] };
  for (let round = 0; round < PLAN.rounds; round++) {
    for (const side of round % 2 === 0 ? ['a', 'b'] : ['b', 'a']) rounds[side].push(await { a, b }[side](PLAN.seconds));
  }
  return rounds;
}

/** What went wrong in load results: non-2xx answers, errors, timeouts. */
function loadProblems(results) {
  const sum = (key) => results.reduce((total, r) => total + (r[key] ?? 0), 0);
  const problems = [];
  if (sum('non2xx') > 0) problems.push(`${sum('non2xx')} non-2xx`);
  const errors = sum('errors') + sum('timeouts');
  if (errors > 0) problems.push(`${errors} errors (${results.find((r) => r.firstError)?.firstError ?? 'connection errors'})`);
  return problems;
}

const sides = (rounds, key) => ({ value: median(rounds.a.map((r) => r[key])), baseline: median(rounds.b.map((r) => r[key])) });

/** A throughput row: A req/s over B req/s, target a minimum ratio (none: shown only). */
const throughputRow = (id, measure, rounds, minRatio) => ({
  id,
  measure,
  ...sides(rounds, 'perSecond'),
  format: fmt.rps,
  compare: 'ratio',
  target: minRatio !== undefined && { text: `≥ ${minRatio.toFixed(2)}×`, met: (row) => row.versus >= minRatio },
  problems: loadProblems([...rounds.a, ...rounds.b]),
});

/** p50 and p99 rows of paced latency rounds: A − B, target a maximum delta per percentile (none: shown only). */
const latencyRows = (id, measure, rounds, maxDelta) =>
  ['p50', 'p99'].map((p) => ({
    id,
    measure: `${measure}, ${p}`,
    ...sides(rounds, p),
    format: fmt.ms,
    compare: 'delta',
    target: maxDelta && { text: `+≤ ${maxDelta[p]} ms`, met: (row) => row.versus <= maxDelta[p] },
    problems: loadProblems([...rounds.a, ...rounds.b]),
  }));

// ── the systems under test ───────────────────────────────────────────────────────────────────────

/** Our systems by name, as promises of `{ ports, pids (gateway, notes-service), gatewayUrl, db, readTokens, writeTokens, stop() }`. */
const systems = new Map();
let bareServer;
let floorServers;

/** A system started by startSystems. */
const system = (name) => systems.get(name) ?? Promise.reject(new Error(`system ${name} was not started`));

/** Free ports for `count` systems, no port shared between them (the apps listen only once they start). */
async function distinctPorts(count) {
  const sets = [];
  const taken = new Set();
  while (sets.length < count) {
    const ports = await freeAppPorts();
    const numbers = Object.values(ports).flatMap(({ http, grpc }) => (grpc ? [http, grpc] : [http]));
    if (numbers.some((port) => taken.has(port))) continue;
    numbers.forEach((port) => taken.add(port));
    sets.push(ports);
  }
  return sets;
}

/** Starts and seeds the systems `names` side by side; resolves once every one is up or has failed (its rows will say so). */
async function startSystems(names) {
  const portSets = await distinctPorts(names.length);
  names.forEach((name, i) => systems.set(name, startNamedSystem(name, portSets[i])));
  await Promise.allSettled(systems.values());
}

async function startNamedSystem(name, ports) {
  const { dbSuffix, redisPrefix, env } = SYSTEMS[name];
  const db = `micronote_notes${dbSuffix}`;
  const { system: started } = await startBenchSystem({ dbSuffix, redisPrefix, build: false, env: { ...env, ...profileEnv }, ports });
  // Into the schema the system just migrated, before any request.
  await runOrFail(process.execPath, [bench('seed.mjs'), '--db', db, '--no-migrate', ...SEED], { label: `seed ${name}`, output: 'prefix' });
  const { redisUrl } = infraUrls();
  const [readTokens, writeTokens] = await Promise.all([READERS, WRITERS].map((userIds) => mintTokens({ redisUrl, redisPrefix, userIds })));
  const pids = Object.fromEntries(['gateway', 'notes-service'].map((app) => [app, pidListeningOn(ports[app].http)]));
  return { ports, pids, gatewayUrl: started.gatewayUrl, db, readTokens, writeTokens, stop: started.stop };
}

/** Starts bench/baseline/`script` with `args` as process `name`; resolves once it prints `listening on`, to its handle. */
async function startBaseline(name, script, args) {
  let listening;
  const ready = new Promise((resolvePromise) => (listening = resolvePromise));
  const handle = start(name, process.execPath, [bench(`baseline/${script}`), ...args], {
    env: { ...process.env, ...profileEnv },
    onLine: (line) => line.startsWith('listening on') && listening(),
  });
  const exited = handle.exited.then(() => {
    throw new Fail(`${name} exited before listening${formatTail(handle.lastLines())}`);
  });
  await Promise.race([ready, exited]);
  return handle;
}

/** The bare baseline server (baseline/notes-server.mjs) on the "uncached" system's database and sessions: `{ url, pids, stop() }`. */
function bare() {
  bareServer ??= (async () => {
    const { db } = await system('uncached');
    const [port] = await freePorts(1);
    const args = ['--port', String(port), '--db', db, '--redis-prefix', SYSTEMS.uncached.redisPrefix];
    const handle = await startBaseline('notes-server', 'notes-server.mjs', args);
    return { url: `http://127.0.0.1:${port}`, pids: { 'notes-server': handle.pid }, stop: () => handle.stop() };
  })();
  return bareServer;
}

/**
 * The floor: the same architecture without any framework (baseline/floor-edge.mjs → gRPC →
 * baseline/floor-service.mjs → MySQL), on the "uncached" system's database and sessions:
 * `{ url, grpcUrl, pids, stop() }`.
 */
function floor() {
  floorServers ??= (async () => {
    const { db } = await system('uncached');
    const [httpPort, grpcPort] = await freePorts(2);
    const grpcUrl = `127.0.0.1:${grpcPort}`;
    const service = await startBaseline('floor-service', 'floor-service.mjs', ['--port', String(grpcPort), '--db', db]);
    const edge = await startBaseline('floor-edge', 'floor-edge.mjs', [
      '--port',
      String(httpPort),
      '--grpc',
      grpcUrl,
      '--redis-prefix',
      SYSTEMS.uncached.redisPrefix,
    ]).catch(async (error) => {
      await service.stop();
      throw error;
    });
    return {
      url: `http://127.0.0.1:${httpPort}`,
      grpcUrl,
      pids: { 'floor-edge': edge.pid, 'floor-service': service.pid },
      stop: () => Promise.all([edge.stop(), service.stop()]),
    };
  })();
  return floorServers;
}

/** Stops our systems and the baseline servers (those that started). */
async function stopSystems() {
  const running = [...systems.values(), ...[bareServer, floorServers].filter(Boolean)];
  await Promise.allSettled(running.map(async (started) => (await started).stop()));
  systems.clear();
  bareServer = undefined;
  floorServers = undefined;
}

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  for (const { dbSuffix, redisPrefix } of [...Object.values(SYSTEMS), START]) {
    await dropDatabases(mysqlUrl, databaseNames(dbSuffix));
    await deleteRedisKeys(redisUrl, redisPrefix);
  }
}

/** A closed-loop autocannon job on `url` (see lib/load-worker.mjs), as a function of its seconds. */
const httpLoad =
  (url, tokens, extra = {}) =>
  (seconds) =>
    runLoad({ kind: 'http', url, tokens, connections: PLAN.connections, seconds, ...extra });

/** An open-loop job at PLAN.rate calls/s on `target` (http, grpc or inproc; see lib/load-worker.mjs). */
const pacedLoad = (target, extra) => (seconds) => runLoad({ kind: 'paced', target, rate: PLAN.rate, seconds, limit: 20, ...extra });

/** `load`, plus the CPU time each process of `pids` (`{ name: pid }`) spent per request meanwhile: `cpuMsPerRequest`. */
const withCpu = (pids, load) => async (seconds) => {
  const cpuNow = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const before = cpuNow();
  const result = await load(seconds);
  const after = cpuNow();
  const requests = result.total ?? result.n;
  const perRequest = (name) => Math.round(((after[name] - before[name]) / requests) * 1000) / 1000;
  return { ...result, cpuMsPerRequest: Object.fromEntries(Object.keys(pids).map((name) => [name, perRequest(name)])) };
};

/** "gateway 1.20 + notes-service 0.60 ms": the median CPU per request of each process over rounds carrying `cpuMsPerRequest`. */
const cpuSummary = (rounds) =>
  Object.keys(rounds[0].cpuMsPerRequest)
    .map((name) => `${name} ${median(rounds.map((r) => r.cpuMsPerRequest[name])).toFixed(2)}`)
    .join(' + ') + ' ms';

// ── P1–P8 ────────────────────────────────────────────────────────────────────────────────────────

/** Both servers must answer the same page, byte for byte, or the comparison would not be fair. */
async function assertSamePage(gatewayUrl, bareUrl, token) {
  const headers = { authorization: `Bearer ${token}` };
  const [ours, theirs] = await Promise.all([get(gatewayUrl + LIST_PATH, { headers }), get(bareUrl + LIST_PATH, { headers })]);
  if (ours.status !== 200 || ours.body !== theirs.body) {
    const at = [...ours.body].findIndex((c, i) => c !== theirs.body[i]);
    const show = ({ status, body }) => `${status} …${body.slice(Math.max(0, at - 150), at + 150)}`;
    throw new Fail(`the bare server's page differs from the gateway's:\n  gateway ${show(ours)}\n  bare    ${show(theirs)}`);
  }
}

async function p1() {
  const [uncached, server, thinnest] = await Promise.all([system('uncached'), bare(), floor()]);
  await assertSamePage(uncached.gatewayUrl, server.url, uncached.readTokens[0]);
  await assertSamePage(thinnest.url, server.url, uncached.readTokens[0]);
  const bareLoad = withCpu(server.pids, httpLoad(server.url + LIST_PATH, uncached.readTokens));
  const rounds = await interleaved(withCpu(uncached.pids, httpLoad(uncached.gatewayUrl + LIST_PATH, uncached.readTokens)), bareLoad);
  const floorRounds = await interleaved(withCpu(thinnest.pids, httpLoad(thinnest.url + LIST_PATH, uncached.readTokens)), bareLoad);
  return {
    rows: [
      throughputRow('P1', 'GET /api/notes?limit=20, gateway vs bare node:http', rounds, 0.5),
      throughputRow('P1', '(no target) floor: bare node:http edge → raw grpc-js service, vs bare', floorRounds),
    ],
    notes: [
      `P1 CPU per request: ${cpuSummary(rounds.a)} vs ${cpuSummary(rounds.b)}`,
      `P1 floor CPU per request: ${cpuSummary(floorRounds.a)} vs ${cpuSummary(floorRounds.b)}`,
    ],
    raw: { rounds, floorRounds },
  };
}

async function p2() {
  const [uncached, { url }] = await Promise.all([system('uncached'), bare()]);
  const grpcUrl = `127.0.0.1:${uncached.ports['notes-service'].grpc}`;
  const hop = await interleaved(
    withCpu({ 'notes-service': uncached.pids['notes-service'] }, pacedLoad('grpc', { grpcUrl, userIds: READERS })),
    pacedLoad('inproc', { db: uncached.db, userIds: READERS }),
  );
  const thinnest = await floor();
  const floorHop = await interleaved(
    withCpu({ 'floor-service': thinnest.pids['floor-service'] }, pacedLoad('grpc', { grpcUrl: thinnest.grpcUrl, userIds: READERS })),
    pacedLoad('inproc', { db: uncached.db, userIds: READERS }),
  );
  const edge = await interleaved(
    pacedLoad('http', { url: uncached.gatewayUrl + LIST_PATH, tokens: uncached.readTokens }),
    pacedLoad('http', { url: url + LIST_PATH, tokens: uncached.readTokens }),
  );
  return {
    rows: [
      ...latencyRows('P2', `gRPC hop at ${PLAN.rate}/s: ListNotes over gRPC vs in-process`, hop, { p50: 0.5, p99: 2 }),
      ...latencyRows('P2', `(no target) floor: raw grpc-js service at ${PLAN.rate}/s vs in-process`, floorHop),
      ...latencyRows('P2', `(no target) whole edge at ${PLAN.rate}/s: gateway GET vs bare`, edge),
    ],
    notes: [`P2 CPU per ListNotes call: ${cpuSummary(hop.a)}; floor: ${cpuSummary(floorHop.a)}`],
    raw: { hop, floorHop, edge },
  };
}

async function p3() {
  const sys = await system('default');
  const rounds = await interleaved(
    withCpu(sys.pids, httpLoad(`${sys.gatewayUrl}/api/notes`, sys.writeTokens, { method: 'POST', body: BENCH_NOTE })),
    (seconds) => runLoad({ kind: 'inserts', db: sys.db, userIds: WRITERS, connections: PLAN.connections, seconds }),
  );
  return {
    rows: [throughputRow('P3', 'POST /api/notes (durable 201) vs mysql2 INSERT', rounds, 0.4)],
    notes: [`P3 CPU per POST: ${cpuSummary(rounds.a)}`],
    raw: rounds,
  };
}

/** PLAN.staleChecks times: read a reader's list (filling the cache), create a note, read again: the note must be there. */
async function staleReads(sys) {
  const outcome = { checks: PLAN.staleChecks, stale: 0, failed: 0 };
  for (let k = 0; k < PLAN.staleChecks; k++) {
    const headers = { authorization: `Bearer ${sys.readTokens[k % sys.readTokens.length]}` };
    const before = await get(sys.gatewayUrl + LIST_PATH, { headers });
    const created = await postJson(`${sys.gatewayUrl}/api/notes`, { ...BENCH_NOTE, title: `stale check ${k}` }, { headers });
    const after = await get(sys.gatewayUrl + LIST_PATH, { headers });
    if (before.status !== 200 || created.status !== 201 || after.status !== 200) outcome.failed++;
    else if (!JSON.parse(after.body).items.some((note) => note.id === created.body.id)) outcome.stale++;
  }
  return outcome;
}

async function p7() {
  const [cached, uncached] = await Promise.all([system('default'), system('uncached')]);
  const rounds = await interleaved(
    withCpu(cached.pids, httpLoad(cached.gatewayUrl + LIST_PATH, cached.readTokens)),
    withCpu(uncached.pids, httpLoad(uncached.gatewayUrl + LIST_PATH, uncached.readTokens)),
  );
  const stale = await staleReads(cached);
  const staleRow = {
    id: 'P7',
    measure: `stale reads in ${stale.checks} write → read pairs (cache on)`,
    value: stale.stale,
    format: fmt.count,
    target: { text: '0', met: (row) => row.value === 0 },
    problems: stale.failed > 0 ? [`${stale.failed} pairs had a non-2xx answer`] : [],
  };
  return {
    rows: [throughputRow('P7', 'GET /api/notes?limit=20, read cache on vs off', rounds, 2), staleRow],
    notes: [`P7 CPU per request: cache on ${cpuSummary(rounds.a)} vs off ${cpuSummary(rounds.b)}`],
    raw: { rounds, stale },
  };
}

/** Runs a bench script as a child with `--no-build --json <file>`; resolves to what it wrote. */
async function childScript(id, script, args) {
  const dir = mkdtempSync(join(tmpdir(), 'micronote-bench-'));
  try {
    const file = join(dir, `${id}.json`);
    await runOrFail(process.execPath, [bench(script), '--no-build', '--json', file, ...args], { label: id, output: 'prefix' });
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function p4() {
  const result = await childScript('P4', 'realtime-latency.mjs', opts.quick ? ['--quick', '--seconds', '5', '--warmup', '1'] : []);
  const { postToEvent, postResponse } = result.latencyMs;
  const problems = [];
  if (result.missing > 0) problems.push(`${result.missing} events missing`);
  if (result.anomalies.httpErrors > 0) problems.push(`${result.anomalies.httpErrors} non-2xx POSTs`);
  if (result.anomalies.foreign + result.anomalies.duplicate > 0) problems.push('foreign or duplicate events');
  const row = {
    id: 'P4',
    measure: `POST → event in another tab, p99, ${fmt.count(result.config.sockets)} sockets (vs the POST's p99)`,
    value: postToEvent.p99,
    baseline: postResponse.p99,
    format: fmt.ms,
    compare: 'delta',
    target: { text: '≤ 20 ms', met: (r) => r.value <= 20 },
    problems,
  };
  return { rows: [row], raw: result };
}

async function p11() {
  const quick = opts.quick ? ['--quick', '--seconds', '5', '--warmup', '1'] : [];
  const result = await childScript('P11', 'realtime-latency.mjs', ['--write', 'tick', ...quick]);
  const { postToEvent, postResponse } = result.latencyMs;
  const problems = [];
  if (result.missing > 0) problems.push(`${result.missing} events missing`);
  if (result.anomalies.httpErrors > 0) problems.push(`${result.anomalies.httpErrors} failed ticks`);
  if (result.anomalies.foreign + result.anomalies.duplicate > 0) problems.push('foreign or duplicate events');
  const sockets = fmt.count(result.config.sockets);
  const rows = [
    {
      id: 'P11',
      measure: `checklist tick → event in another tab, p50, ${sockets} sockets (vs the tick's p50)`,
      value: postToEvent.p50,
      baseline: postResponse.p50,
      format: fmt.ms,
      compare: 'delta',
      problems,
    },
    {
      id: 'P11',
      measure: `checklist tick → event in another tab, p99, ${sockets} sockets (vs the tick's p99)`,
      value: postToEvent.p99,
      baseline: postResponse.p99,
      format: fmt.ms,
      compare: 'delta',
      target: { text: '≤ 15 ms', met: (r) => r.value <= 15 },
      problems: [],
    },
  ];
  return { rows, raw: result };
}

async function p5() {
  const result = await childScript('P5', 'sockets.mjs', opts.quick ? ['--sockets', '300', '--settle', '2'] : []);
  const problems = [];
  if (result.stillOpenAfterSettle !== result.config.sockets)
    problems.push(`${result.config.sockets - result.stillOpenAfterSettle} sockets lost`);
  if (result.unexpectedDisconnects > 0) problems.push(`${result.unexpectedDisconnects} disconnects`);
  const limit = result.limitedBy ? ` (nofile limit ${fmt.count(result.gatewayOpenFilesLimit)})` : '';
  const rows = [
    {
      id: 'P5',
      measure: `idle authenticated sockets held by one gateway process${limit}`,
      value: result.stillOpenAfterSettle,
      format: fmt.count,
      target: { text: '≥ 20,000', met: (r) => r.value >= 20_000 },
      problems,
    },
    {
      id: 'P5',
      measure: 'gateway RSS per socket, (RSSₙ − RSS₀)/n (baseline: RSS₀)',
      value: result.rssPerSocketBytes,
      baseline: result.rss.baseline,
      format: fmt.kb,
      formatBaseline: mib,
      target: { text: '≤ 25 KB', met: (r) => r.value <= 25 * 1024 },
      problems: [],
    },
  ];
  return { rows, raw: result };
}

async function p6() {
  const result = await childScript('P6', 'notes-scale.mjs', []);
  const byQuery = Object.fromEntries(result.rows.map((r) => [r.query, r]));
  const scaleRow = (query, measure, maxRatio) => ({
    id: 'P6',
    measure: `${measure}, p50 at 1M vs 1k notes`,
    value: byQuery[query].p50_1m,
    baseline: byQuery[query].p50_1k,
    format: fmt.ms,
    compare: 'ratio',
    target: { text: `≤ ${maxRatio.toFixed(1)}×`, met: (r) => r.versus <= maxRatio },
    problems: [],
  });
  return {
    rows: [
      scaleRow('firstPage', 'list, first page', 1.3),
      scaleRow('deepPage', 'list, deep page', 1.3),
      scaleRow('rareSearch', 'rare-word search', 3),
    ],
    raw: result,
  };
}

async function p13() {
  const result = await childScript('P13', 'revisions.mjs', opts.quick ? ['--quick'] : []);
  const [row] = result.rows;
  return {
    rows: [
      {
        id: 'P13',
        measure: 'note revisions, first page, p50 at 10,000 vs 10 revisions',
        value: row.p50_10k,
        baseline: row.p50_10,
        format: fmt.ms,
        compare: 'ratio',
        target: { text: '≤ 1.3×', met: (r) => r.versus <= 1.3 },
        problems: [],
      },
    ],
    raw: result,
  };
}

async function p17() {
  const result = await childScript('P17', 'todos-manual.mjs', opts.quick ? ['--quick'] : []);
  const byQuery = Object.fromEntries(result.rows.map((r) => [r.query, r]));
  const { small, large } = result.todos;
  const sizes = `${fmt.count(large)} vs ${fmt.count(small)} todos`;
  const scaleRow = (query, page, pct, maxRatio) => ({
    id: 'P17',
    measure: `todos order=manual, ${page}, ${pct} at ${sizes}`,
    value: byQuery[query][`${pct}_large`],
    baseline: byQuery[query][`${pct}_small`],
    format: fmt.ms,
    compare: 'ratio',
    ...(maxRatio && { target: { text: `≤ ${maxRatio.toFixed(1)}×`, met: (r) => r.versus <= maxRatio } }),
    problems: Object.entries(byQuery[query].plan)
      .filter(([, plan]) => plan.key !== 'ix_todos_manual' || plan.filesort)
      .map(([size, plan]) => `${size} ${page} plan: ${plan.key}, ${plan.extra}`),
  });
  return {
    rows: [
      scaleRow('firstPage', 'first page', 'p50', 1.3),
      scaleRow('firstPage', 'first page', 'p99'),
      scaleRow('deepPage', 'deep page', 'p50', 1.3),
      scaleRow('deepPage', 'deep page', 'p99'),
    ],
    notes: result.rows.map((r) => {
      const cpu = (side) => Object.entries(r.cpuMsPerRequest[side]).map(([app, v]) => `${app} ${v.toFixed(2)}`);
      const plan = r.plan.large;
      return `P17 ${r.query} CPU per request: ${cpu('large').join(' + ')} ms (large) vs ${cpu('small').join(' + ')} ms (small); plan (large): ${plan.type} on ${plan.usedKeyParts.join(', ')}, ${plan.pagesAccessed} pages`;
    }),
    raw: result,
  };
}

async function p18() {
  const result = await childScript('P18', 'reminders.mjs', opts.quick ? ['--quick'] : []);
  const { receive, publish } = result.latenessMs;
  const problems = [];
  if (result.missed > 0) problems.push(`${result.missed} reminders missed`);
  if (result.doubled > 0) problems.push(`${result.doubled} reminders doubled`);
  if (result.anomalies.createErrors > 0) problems.push(`${result.anomalies.createErrors} failed creates (${result.firstCreateError})`);
  if (result.anomalies.stray + result.anomalies.foreign > 0) problems.push('stray or foreign reminders');
  if (result.creation.overlappedWindow) problems.push('the creation ran into the firing window');
  const scale = `${fmt.count(result.config.reminders)} due over ${result.config.windowSeconds} s, ${fmt.count(result.config.users)} sockets`;
  const lateness = (pct, target) => ({
    id: 'P18',
    measure: `reminder lateness, remindAt → owner's socket, ${pct}, ${scale}`,
    value: receive[pct],
    format: fmt.ms,
    ...(target && { target }),
    problems,
  });
  const rows = [
    lateness('p50'),
    lateness('p99', { text: '≤ 1,000 ms', met: (r) => r.value <= 1000 }),
    {
      id: 'P18',
      measure: `reminders missed (no event by remindAt + 10 s) or doubled, of ${fmt.count(result.created)}`,
      value: result.missed + result.doubled,
      format: fmt.count,
      target: { text: '0', met: (r) => r.value === 0 },
      problems,
    },
    {
      id: 'P18',
      measure: 'todos-service CPU per reminder fired, over its idle baseline',
      value: result.cpu.todosServiceMsPerReminder,
      format: fmt.ms,
      problems: [],
    },
  ];
  const { cpu, loadavg } = result;
  return {
    rows,
    notes: [
      `P18 lateness p50/p95/p99/max: at the socket ${receive.p50}/${receive.p95}/${receive.p99}/${receive.max} ms, published ${publish.p50}/${publish.p95}/${publish.p99}/${publish.max} ms; ` +
        `todos-service ${cpu.todosServiceMsPerReminder} ms/reminder net (${cpu.todosServiceMsPerReminderGross} gross, idle ${cpu.idleBaseline.msPerSecond} ms/s), gateway ${cpu.gatewayMsPerReminder} ms; ` +
        `load average ${loadavg.windowStart[0]} → ${loadavg.windowEnd[0]}`,
    ],
    raw: result,
  };
}

async function p19() {
  const result = await childScript('P19', 'spa-start.mjs', opts.quick ? ['--quick'] : []);
  const { firstLoad, cachedStart } = result;
  const problems = cachedStart.allFromWorker ? [] : ['a start did not come from the service worker'];
  const start = (pct, target) => ({
    id: 'P19',
    measure: `SPA start from the service-worker cache, signed in, navigation → notes screen, ${pct} of ${result.runs}`,
    value: cachedStart[pct],
    format: fmt.ms,
    ...(target && { target }),
    problems,
  });
  return {
    rows: [
      {
        id: 'P19',
        measure: 'SPA first-load JavaScript, gzipped (scripts, preloads, the service worker)',
        value: firstLoad.totalGzipped,
        format: fmt.kb,
        target: { text: '≤ 200 KB', met: (r) => r.value <= 200 * 1024 },
        problems: [],
      },
      start('p50'),
      start('p95', { text: '≤ 500 ms', met: (r) => r.value <= 500 }),
    ],
    notes: [`P19 first load: ${firstLoad.files.map((f) => `${f.src} ${(f.gzipped / 1024).toFixed(1)} KB`).join(', ')}`],
    raw: result,
  };
}

/** One collab-latency.mjs run (its own system) for a scenario: one note × `editors`, or `notes` × 2. */
function collabRun(label, args) {
  return childScript(label, 'collab-latency.mjs', [...(opts.quick ? ['--quick'] : []), ...args]);
}

async function p16() {
  const one = await collabRun('P16', ['--notes', '0', '--storage-edits', opts.quick ? '1000' : '10000']);
  const many = await collabRun('P16', ['--editors', '0', '--storage-edits', '0', '--rate', opts.quick ? '1' : '0.1']);
  const [crowd] = one.scenarios;
  const [pairs] = many.scenarios;
  const problems = (result) => {
    const { refused, ackTimeouts, notDelivered } = result.anomalies;
    const out = [];
    if (refused > 0) out.push(`${refused} updates refused`);
    if (ackTimeouts > 0) out.push(`${ackTimeouts} acks timed out`);
    if (notDelivered > 0) out.push(`${notDelivered} keystrokes never reached the other editor`);
    return out;
  };
  const latency = (scenario, result, pct, target) => ({
    id: 'P16',
    measure: `keystroke → the other user's screen, ${pct}, ${scenario.name} (${scenario.achievedRate} updates/s)`,
    value: scenario.latencyMs[pct],
    format: fmt.ms,
    ...(target && { target }),
    problems: problems(result),
  });
  const rows = [
    latency(crowd, one, 'p50'),
    latency(crowd, one, 'p99', { text: '≤ 50 ms', met: (r) => r.value <= 50 }),
    latency(pairs, many, 'p50'),
    latency(pairs, many, 'p99'),
    {
      id: 'P16',
      measure: `notes-service CPU per stored update (${crowd.name})`,
      value: crowd.notesServiceCpuMsPerUpdate,
      format: fmt.ms,
      problems: [],
    },
    {
      id: 'P16',
      measure: `storage of a note per 10,000 single-character edits, after compaction (${fmt.count(one.storage.edits)} measured)`,
      value: one.storage.bytesPer10kEdits,
      format: fmt.kb,
      problems: [],
    },
  ];
  return { rows, raw: { oneNote: one, manyNotes: many } };
}

/** Seconds from starting lib/start-ready.mjs to its `ready` line; it is stopped afterwards. */
async function timeStart() {
  const started = performance.now();
  let onReady;
  const ready = new Promise((resolvePromise) => (onReady = resolvePromise));
  const args = [bench('lib/start-ready.mjs'), '--db-suffix', START.dbSuffix, '--redis-prefix', START.redisPrefix];
  const handle = start('P8 start', process.execPath, args, {
    output: 'quiet',
    onLine: (line) => line.startsWith('ready in') && onReady(performance.now()),
  });
  const readyAt = await Promise.race([ready, handle.exited.then(() => undefined)]);
  await handle.stop();
  if (readyAt === undefined) throw new Fail(`lib/start-ready.mjs exited before it was ready${formatTail(handle.lastLines())}`);
  return (readyAt - started) / 1000;
}

async function p8() {
  for (let i = 0; i < PLAN.startWarmups; i++) await timeStart();
  const seconds = [];
  for (let i = 0; i < PLAN.starts; i++) seconds.push(await timeStart());
  const row = {
    id: 'P8',
    measure: `npm start to all apps ready (built, warm; median of ${PLAN.starts})`,
    value: median(seconds),
    format: fmt.s,
    target: { text: '≤ 15 s', met: (r) => r.value <= 15 },
    problems: [],
  };
  return { rows: [row], raw: { seconds } };
}

/** In the order they run: the rows on our systems first, then those that start systems of their own. */
const MEASUREMENTS = [
  { id: 'P1', title: 'list throughput, gateway vs bare', run: p1, systems: ['uncached'] },
  { id: 'P2', title: 'gRPC hop latency', run: p2, systems: ['uncached'] },
  { id: 'P3', title: 'create throughput vs INSERT', run: p3, systems: ['default'] },
  { id: 'P7', title: 'read cache', run: p7, systems: ['default', 'uncached'] },
  { id: 'P4', title: 'realtime POST → event', run: p4, standalone: true },
  { id: 'P11', title: 'checklist tick → event', run: p11, standalone: true },
  { id: 'P5', title: 'sockets per gateway', run: p5, standalone: true },
  { id: 'P6', title: 'list/search at 1M vs 1k notes', run: p6, standalone: true, quick: 'skipped in --quick (seeds 1M notes)' },
  { id: 'P13', title: 'revisions at 10,000 vs 10', run: p13, standalone: true },
  { id: 'P16', title: 'live collaboration', run: p16, standalone: true },
  { id: 'P17', title: 'todos order=manual at 1M vs 1k', run: p17, standalone: true, quick: 'skipped in --quick (seeds 1M todos)' },
  { id: 'P18', title: 'reminders on time, once', run: p18, standalone: true },
  { id: 'P19', title: 'SPA first load and start from the worker cache', run: p19, standalone: true },
  { id: 'P8', title: 'npm start to ready', run: p8, standalone: true },
];

// ── the run ──────────────────────────────────────────────────────────────────────────────────────

/** Set by Ctrl-C/SIGTERM, on which processes.mjs stops every child, runs the shutdown hooks and exits: report nothing. */
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (interrupted = true));

/** Runs one measurement; a crash becomes a failed row instead of ending the run. */
async function measure({ id, title, run, quick }) {
  if (opts.quick && quick) return { id, rows: [{ id, measure: title, skipped: quick }] };
  console.log(`\n━━ ${id}`);
  const started = performance.now();
  try {
    const result = await run();
    console.log(`${id} done in ${formatDuration(performance.now() - started)}`);
    return { id, ...result };
  } catch (err) {
    if (!interrupted) error(`${id} failed: ${describeError(err)}`);
    return { id, rows: [{ id, measure: title, problems: [`crashed: ${err.message.split('\n')[0]}`] }], error: describeError(err) };
  }
}

/** The row with its comparison and verdict: `versus` (ratio or delta), `met` (target), `verdict` (pass? column). */
function judge(row) {
  const numbers = [row.value, ...(row.compare ? [row.baseline] : [])];
  const versus = row.compare === 'ratio' ? row.value / row.baseline : row.compare === 'delta' ? row.value - row.baseline : undefined;
  const judged = { ...row, versus };
  const met = row.target && numbers.every(Number.isFinite) ? row.target.met(judged) : undefined;
  let verdict;
  if (row.skipped) verdict = row.skipped;
  else if (row.problems.length > 0) verdict = `FAILED: ${row.problems.join('; ')}`;
  else if (!numbers.every(Number.isFinite)) verdict = 'FAILED: no number';
  else if (opts.quick) verdict = 'ok (not judged)';
  else verdict = row.target ? (met ? 'yes' : 'NO') : '—';
  return { ...judged, met, verdict, failed: verdict.startsWith('FAILED') };
}

function tableRow(row) {
  const show = (value, format) => (Number.isFinite(value) ? format(value) : '—');
  const versus = !Number.isFinite(row.versus)
    ? '—'
    : row.compare === 'ratio'
      ? `${row.versus.toFixed(2)}×`
      : `${row.versus >= 0 ? '+' : '−'}${row.format(Math.abs(row.versus))}`;
  return [
    row.id,
    row.measure,
    row.skipped ? '—' : show(row.value, row.format),
    show(row.baseline, row.formatBaseline ?? row.format),
    versus,
    row.target?.text ?? '—',
    row.verdict,
  ];
}

async function build() {
  console.log('\n━━ build');
  await runOrFail(...nxRunMany('build', ['-p', buildNames().join(','), '--configuration=production']));
}

async function main() {
  const unknown = ONLY.filter((id) => !IDS.includes(id));
  if (unknown.length > 0) throw new Fail(`unknown row(s) ${unknown.join(', ')}; rows are ${IDS.join(', ')}`);
  const started = performance.now();
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  if (!opts['no-build']) await build();
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const selected = MEASUREMENTS.filter((m) => ONLY.includes(m.id) && !(opts.quick && m.quick));
  const needed = [...new Set(selected.flatMap((m) => m.systems ?? []))];
  if (needed.length > 0) {
    console.log(`\n━━ systems: ${needed.join(', ')}`);
    await startSystems(needed);
  }
  const measured = [];
  for (const m of MEASUREMENTS.filter((m) => ONLY.includes(m.id))) {
    if (m.standalone) await stopSystems(); // their own systems get the machine to themselves
    measured.push(await measure(m));
    if (interrupted) return new Promise(() => undefined); // the signal handler cleans up and exits
  }
  await stopSystems();
  await cleanInfra();

  const rows = measured.flatMap((m) => m.rows.map(judge)).sort((a, b) => IDS.indexOf(a.id) - IDS.indexOf(b.id));
  const wall = performance.now() - started;
  console.log(`\nMicroNote benchmarks${opts.quick ? ' (--quick: tiny runs, targets not judged)' : ''}, ${formatDuration(wall)}\n`);
  printTable(['id', 'measure', 'value', 'baseline', 'ratio/delta', 'target', 'pass?'], rows.map(tableRow));
  const notes = measured.flatMap((m) => m.notes ?? []);
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);

  const { version } = createRequire(import.meta.url)('autocannon/package.json');
  const name = ONLY.length < IDS.length ? ONLY.join('-') : '';
  const file = opts.quick ? resolve(ROOT, 'tmp/bench', `${new Date().toISOString().slice(0, 10)}-quick.json`) : resultFile(name);
  const data = {
    mode: opts.quick ? 'quick' : 'full',
    wallSeconds: Math.round(wall / 100) / 10,
    plan: PLAN,
    loadGenerator: { autocannon: version, pipelining: 1, connections: PLAN.connections, pinnedToCore: LOAD_CORE },
    rows: rows.map(({ id, measure: label, value, baseline, versus, target, met, verdict }) => ({
      id,
      measure: label,
      value,
      baseline,
      versus,
      target: target?.text,
      met,
      verdict,
    })),
    notes: measured.flatMap((m) => m.notes ?? []),
    raw: Object.fromEntries(measured.map((m) => [m.id, m.raw ?? m.error ?? null])),
  };
  console.log(`\nwritten to ${writeResult(name, data, file)}`);
  if (profileDir) console.log(`CPU profiles in ${profileDir}`);
  const failed = rows.filter((r) => r.failed);
  if (failed.length > 0) throw new Fail(`${failed.length} row(s) failed: ${[...new Set(failed.map((r) => r.id))].join(', ')}`);
}

if (opts.help) {
  // The comment block at the top of this file is the help text.
  console.log(
    readFileSync(new URL(import.meta.url), 'utf8')
      .match(/^(\/\/.*\n)+/m)[0]
      .replace(/^\/\/ ?/gm, ''),
  );
  process.exit(0);
}
main().then(
  () => process.exit(0),
  async (err) => {
    error(describeError(err));
    await stopAll();
    await cleanInfra().catch(() => undefined);
    process.exit(1);
  },
);
