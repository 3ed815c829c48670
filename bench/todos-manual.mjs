#!/usr/bin/env node
// P17: does a page of GET /api/todos?order=manual cost the same at 1,000 todos and at 1,000,000?
//
//   node bench/todos-manual.mjs [--rounds 5] [--count 200] [--large 1000000] [--quick] [--no-build] [--json FILE]
//
// Starts one MicroNote system on free ports (read cache off, so every request runs its query;
// MAX_TODOS_PER_USER raised to hold the seed) and seeds its todos database straight in SQL
// (`INSERT … SELECT FROM seq_M_to_N`, 100,000 rows a statement): user 1 with 1,000,000 top-level
// todos (another `--large`, e.g. `--quick`'s 100,000: user 3), user 2 with 1,000, a quarter
// completed, a third with a due date, and todo_usage counting them. Positions are fractional-indexing integer keys in order,
// 'd' + four base-62 digits ('d0000', 'd0001', … 'd4C91': what generateKeyBetween makes, valid for
// later moves and sorted as bytes), ids ascending with them. The seed is kept for the next run
// (database micronote_todos_benchmanual) while each user still holds exactly its count.
// Then, in interleaved rounds, it times through the gateway for both users:
//   - the first page of GET /api/todos?order=manual&limit=20,
//   - a deep page: the same with the cursor of the todo in the middle of the user's order,
// with the gateway's and todos-service's CPU per request (from /proc). EXPLAIN and ANALYZE of each
// page (index, key parts used, rows and pages read) go into the results; bench/run.mjs fails the
// row on another index than ix_todos_manual or a filesort.
// Prints the medians and the ratios (target ≤ 1.3×) and writes bench/results/<date>-todos-manual.json
// (with `--json FILE`: FILE instead, for bench/run.mjs, which collects it as row P17).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { generateKeyBetween } from 'fractional-indexing';
import { createConnection } from 'mysql2/promise';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { get, median, ms, percentile, timeGets } from './lib/measure.mjs';
import { cpuMs, machine, pidListeningOn } from './lib/proc.mjs';
import { benchToken } from './lib/session.mjs';
import { startBenchSystem } from './lib/system.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    count: { type: 'string', default: '200' },
    large: { type: 'string' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const ROUNDS = opts.quick ? 1 : Number(opts.rounds);
const COUNT = opts.quick ? 30 : Number(opts.count);
const LARGE = Number(opts.large ?? (opts.quick ? 100_000 : 1_000_000));
const SMALL = 1_000;
const USERS = [
  { name: 'small', userId: 2, todos: SMALL },
  // Another size (--quick, --large) seeds user 3, so the kept 1M seed of user 1 survives a quick run.
  { name: 'large', userId: LARGE === 1_000_000 ? 1 : 3, todos: LARGE },
];
const DB_SUFFIX = '_benchmanual';
const TODOS_DB = `micronote_todos${DB_SUFFIX}`;
const REDIS_PREFIX = 'mnbenchmanual:';
const INSERT_CHUNK = 100_000;
const PAGE = 20;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const MAX_KEYS = 62 ** 4;

/** The notes and users databases and the Redis keys go; the seeded todos database stays for the next run. */
async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(
    mysqlUrl,
    databaseNames(DB_SUFFIX).filter((name) => name !== TODOS_DB),
  );
  await deleteRedisKeys(redisUrl, REDIS_PREFIX);
}

/** SQL for the position of the n-th todo (0-based `n`): 'd' + n in four base-62 digits. */
const positionSql = (n) =>
  `CONCAT('d', ${[238_328, 3_844, 62, 1].map((weight) => `SUBSTR('${BASE62}', FLOOR(${n} / ${weight}) % 62 + 1, 1)`).join(', ')})`;

/** Gives `userId` exactly `count` top-level todos in manual order (unless it has them already) and its quota row. */
async function seedUser(db, userId, count) {
  const [[usage]] = await db.query('SELECT items FROM todo_usage WHERE user_id = ?', [userId]);
  const [[{ n }]] = await db.query('SELECT COUNT(*) AS n FROM todos WHERE user_id = ?', [userId]);
  if (Number(n) === count && Number(usage?.items) === count) {
    console.log(`user ${userId}: ${count.toLocaleString('en-US')} todos already seeded`);
    return;
  }
  const started = performance.now();
  await db.query('DELETE FROM todos WHERE user_id = ?', [userId]);
  for (let from = 0; from < count; from += INSERT_CHUNK) {
    const to = Math.min(from + INSERT_CHUNK, count) - 1;
    await db.query(
      `INSERT INTO todos (user_id, text, completed, priority, due_date, category, completed_at, version, created_at, updated_at,
                          created_by, completed_by, all_day, parent_id, position)
       SELECT ?, CONCAT('bench todo ', seq), seq % 4 = 0, seq % 3, IF(seq % 3 = 0, '2026-12-01' + INTERVAL seq % 90 DAY, NULL),
              IF(seq % 5 = 0, 'work', NULL), IF(seq % 4 = 0, NOW(3), NULL), 1, NOW(3) - INTERVAL ? - seq SECOND,
              NOW(3) - INTERVAL ? - seq SECOND, ?, IF(seq % 4 = 0, ?, NULL), seq % 3 = 0, NULL, ${positionSql('seq')}
       FROM seq_${from}_to_${to} ORDER BY seq`,
      [userId, count, count, userId, userId],
    );
  }
  await db.query(
    'INSERT INTO todo_usage (user_id, items, bytes) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE items = VALUES(items), bytes = 0',
    [userId, count],
  );
  console.log(`user ${userId}: ${count.toLocaleString('en-US')} todos seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The page after (position, id), as todos-service's repository queries it (ix_todos_manual, keyset). */
const pageSql = (userId, after) =>
  `SELECT t.* FROM todos t FORCE INDEX (ix_todos_manual) WHERE t.user_id = ${userId} AND t.parent_key = 0` +
  (after ? ` AND t.position >= '${after.position}' AND (t.position > '${after.position}' OR t.id > ${after.id})` : '') +
  ` ORDER BY t.position ASC, t.id ASC LIMIT ${PAGE + 1}`;

/** EXPLAIN (index, Extra) and ANALYZE (rows actually read) of a page. */
async function plan(db, sql) {
  const [[row]] = await db.query(`EXPLAIN ${sql}`);
  const [[analyzed]] = await db.query(`ANALYZE FORMAT=JSON ${sql}`);
  const { table } = JSON.parse(Object.values(analyzed)[0]).query_block.nested_loop[0];
  return {
    key: row.key,
    type: row.type,
    extra: row.Extra ?? '',
    filesort: /filesort/i.test(row.Extra ?? ''),
    usedKeyParts: table.used_key_parts,
    rowsRead: table.r_rows,
    pagesAccessed: table.r_engine_stats?.pages_accessed,
  };
}

/** The seed's positions are valid fractional-indexing keys in order: a key fits between each pair of neighbours. */
async function checkKeys(db, userId, count) {
  const samples = [0, 1, Math.floor(count / 2), count - 2, count - 1];
  const keys = [];
  for (const offset of samples) {
    const [[row]] = await db.query(
      'SELECT position FROM todos USE INDEX (ix_todos_manual) WHERE user_id = ? AND parent_key = 0 ORDER BY position, id LIMIT 1 OFFSET ?',
      [userId, offset],
    );
    keys.push(row.position);
  }
  generateKeyBetween(null, keys[0]);
  generateKeyBetween(keys.at(-1), null);
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1] < keys[i])) throw new Error(`user ${userId}: positions out of order: ${keys[i - 1]} ≥ ${keys[i]}`);
    generateKeyBetween(keys[i - 1], keys[i]); // throws on an invalid key
  }
  return keys;
}

async function main() {
  if (LARGE > MAX_KEYS) throw new Error(`--large must be at most ${MAX_KEYS}`);
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  const loadAtStart = loadavg();
  const { mysqlUrl, redisUrl } = infraUrls();
  const { system, ports } = await startBenchSystem({
    dbSuffix: DB_SUFFIX,
    redisPrefix: REDIS_PREFIX,
    build: !opts['no-build'],
    env: { READ_CACHE_TTL: '0', MAX_TODOS_PER_USER: String(Math.max(LARGE, 100_000) + 1_000) },
  });
  const pids = Object.fromEntries(['gateway', 'todos-service'].map((app) => [app, pidListeningOn(ports[app].http)]));
  const db = await createConnection({ uri: `${mysqlUrl}/${TODOS_DB}`, timezone: 'Z' });
  const subjects = [];
  const plans = {};
  let keys;
  try {
    keys = {};
    for (const user of USERS) {
      await seedUser(db, user.userId, user.todos);
      keys[user.name] = await checkKeys(db, user.userId, user.todos);
      const [[middle]] = await db.query(
        'SELECT position, id FROM todos USE INDEX (ix_todos_manual) WHERE user_id = ? AND parent_key = 0 ORDER BY position, id LIMIT 1 OFFSET ?',
        [user.userId, Math.floor(user.todos / 2) - 1],
      );
      const after = { position: middle.position, id: String(middle.id) };
      plans[user.name] = { firstPage: await plan(db, pageSql(user.userId)), deepPage: await plan(db, pageSql(user.userId, after)) };
      const token = await benchToken({ redisUrl, redisPrefix: REDIS_PREFIX, userId: user.userId });
      const deepCursor = Buffer.from(JSON.stringify(['p', after.position, after.id])).toString('base64url');
      // The API agrees: pages of 20 in seed order, the deep one right after the middle todo.
      for (const [cursor, first] of [
        ['', keys[user.name][0]],
        [deepCursor, undefined],
      ]) {
        const answer = await get(`${system.gatewayUrl}/api/todos?order=manual&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (answer.status !== 200) throw new Error(`user ${user.userId}: GET answered ${answer.status}: ${answer.body}`);
        const { items, nextCursor } = JSON.parse(answer.body);
        const positions = items.map((todo) => todo.position);
        if (items.length !== PAGE || !nextCursor || (first && positions[0] !== first) || (!first && !(positions[0] > after.position)))
          throw new Error(`user ${user.userId}: unexpected page ${JSON.stringify(positions)}`);
        if (positions.some((p, i) => i > 0 && !(positions[i - 1] < p))) throw new Error(`user ${user.userId}: page out of order`);
      }
      subjects.push({ ...user, token, deepCursor });
    }
  } finally {
    await db.end();
  }
  for (const [name, byPage] of Object.entries(plans))
    for (const [page, p] of Object.entries(byPage))
      console.log(
        `${name} ${page}: key ${p.key} (${p.usedKeyParts.join(', ')}), type ${p.type}, rows read ${p.rowsRead}, ` +
          `pages ${p.pagesAccessed}, Extra: ${p.extra || '(none)'}`,
      );

  const queries = {
    firstPage: () => `/api/todos?order=manual&limit=${PAGE}`,
    deepPage: (s) => `/api/todos?order=manual&limit=${PAGE}&cursor=${s.deepCursor}`,
  };
  const results = Object.fromEntries(Object.keys(queries).map((q) => [q, Object.fromEntries(USERS.map((u) => [u.name, []]))]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [query, path] of Object.entries(queries)) {
      // A/B interleaved: both users within the same round.
      for (const s of round % 2 ? subjects : [...subjects].reverse()) {
        const cpuBefore = Object.fromEntries(Object.entries(pids).map(([app, pid]) => [app, cpuMs(pid)]));
        const samples = await timeGets(`${system.gatewayUrl}${path(s)}`, { token: s.token, count: COUNT });
        const requests = COUNT + 20; // timeGets' warm-up included
        const cpuMsPerRequest = Object.fromEntries(
          Object.entries(pids).map(([app, pid]) => [app, (cpuMs(pid) - cpuBefore[app]) / requests]),
        );
        results[query][s.name].push({ p50: percentile(samples, 50), p99: percentile(samples, 99), cpuMsPerRequest });
      }
    }
    console.log(`round ${round}/${ROUNDS} done`);
  }
  await stopAll();
  await cleanInfra();
  const loadAtEnd = loadavg();

  const med = (rounds, pick) => median(rounds.map(pick));
  const rows = Object.entries(results).map(([query, byUser]) => {
    const side = (name) => ({
      p50: med(byUser[name], (r) => r.p50),
      p99: med(byUser[name], (r) => r.p99),
      cpu: Object.fromEntries(Object.keys(pids).map((app) => [app, med(byUser[name], (r) => r.cpuMsPerRequest[app])])),
    });
    const small = side('small');
    const large = side('large');
    return {
      query,
      p50_small: small.p50,
      p50_large: large.p50,
      ratio: large.p50 / small.p50,
      p99_small: small.p99,
      p99_large: large.p99,
      p99Ratio: large.p99 / small.p99,
      cpuMsPerRequest: { small: small.cpu, large: large.cpu },
      plan: { small: plans.small[query], large: plans.large[query] },
    };
  });

  const label = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);
  const cpuText = (cpu) =>
    Object.entries(cpu)
      .map(([app, v]) => `${app} ${v.toFixed(2)}`)
      .join(' + ');
  console.log(`\nP17 order=manual at ${label(LARGE)} vs ${label(SMALL)} todos: median of ${ROUNDS} rounds × ${COUNT} sequential requests`);
  for (const row of rows) {
    console.log(
      `${row.query.padEnd(10)} p50 ${ms(row.p50_small)} vs ${ms(row.p50_large)} (${row.ratio.toFixed(2)}×, target ≤ 1.3×), ` +
        `p99 ${ms(row.p99_small)} vs ${ms(row.p99_large)} (${row.p99Ratio.toFixed(2)}×)`,
    );
    console.log(`           CPU ms per request: ${cpuText(row.cpuMsPerRequest.small)} vs ${cpuText(row.cpuMsPerRequest.large)}`);
  }
  console.log(
    `load average ${loadAtStart.map((v) => v.toFixed(2)).join(', ')} at the start, ${loadAtEnd.map((v) => v.toFixed(2)).join(', ')} at the end`,
  );
  const file = opts.json ?? resolve(ROOT, 'bench/results', `${new Date().toISOString().slice(0, 10)}-todos-manual.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: machine(),
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        todos: { small: SMALL, large: LARGE },
        rounds: ROUNDS,
        count: COUNT,
        keys,
        rows,
        raw: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${file}`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.message);
    await stopAll();
    await cleanInfra();
    process.exit(1);
  },
);
