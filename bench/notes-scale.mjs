#!/usr/bin/env node
// P6: do list pages and searches cost the same at 1,000 notes and at 1,000,000?
//
//   node bench/notes-scale.mjs [--rounds 5] [--count 200] [--no-build] [--json FILE]
//
// Seeds (or reuses) two notes databases with bench/seed.mjs: 1M notes (user 1 owns 100,000) and
// 1k notes (user 1 owns all 1,000); starts two MicroNote systems side by side on free ports, one
// on each; then, in interleaved rounds, times through the gateway for user 1:
//   - the first page of GET /api/notes (limit 20),
//   - a deep page: the page after 50,000 notes (1M) / after 900 notes (1k), reached by paging,
//   - a rare-word search (q=zyzzogeton),
// and, as a contrast, the same deep page with OFFSET in SQL. The read cache is off (READ_CACHE_TTL=0):
// every request runs its query. Prints the medians and the ratios,
// and writes bench/results/<date>-notes-scale.json (with `--json FILE`: FILE instead, e.g. for
// bench/run.mjs, which collects it as row P6).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createConnection } from 'mysql2/promise';

import { ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, stopAll } from '../tools/scripts/lib/processes.mjs';
import { get, median, ms, percentile, timeGets } from './lib/measure.mjs';
import { benchToken } from './lib/session.mjs';
import { RARE_WORD } from './lib/words.mjs';
import { startBenchSystem } from './lib/system.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    count: { type: 'string', default: '200' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const ROUNDS = Number(opts.rounds);
const COUNT = Number(opts.count);

const DATASETS = [
  { name: '1k', suffix: '_bench1k', seed: ['--notes', '1000', '--users', '1', '--heavy', '1000', '--rare', '5'], deepAfter: 900 },
  { name: '1m', suffix: '_bench1m', seed: [], deepAfter: 50_000 },
];

/** The cursor of the page after `after` notes, found by paging the API (limit 100). */
async function cursorAfter(gatewayUrl, token, after) {
  let cursor = '';
  for (let seen = 0; seen < after; seen += 100) {
    const { status, body } = await get(`${gatewayUrl}/api/notes?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (status !== 200) throw new Error(`paging answered ${status}: ${body}`);
    cursor = JSON.parse(body).nextCursor;
  }
  return cursor;
}

/** Median time of the OFFSET form of the deep page, straight in SQL (the contrast). */
async function offsetQueryMs(dbName, offset) {
  const { mysqlUrl } = infraUrls();
  const db = await createConnection({ uri: `${mysqlUrl}/${dbName}` });
  try {
    const sql = `SELECT id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at FROM notes
                 WHERE user_id = 1 AND state = 0 ORDER BY is_pinned DESC, updated_at DESC, id DESC LIMIT 20 OFFSET ${offset}`;
    const samples = [];
    for (let i = 0; i < 25; i++) {
      const started = performance.now();
      await db.query(sql);
      samples.push(performance.now() - started);
    }
    return median(samples.slice(5));
  } finally {
    await db.end();
  }
}

async function main() {
  installSignalHandlers();
  await ensureInfra();
  for (const dataset of DATASETS) {
    execFileSync(process.execPath, [resolve(ROOT, 'bench/seed.mjs'), '--db', `micronote_notes${dataset.suffix}`, ...dataset.seed], {
      stdio: 'inherit',
    });
  }
  const { redisUrl } = infraUrls();
  const systems = [];
  for (const [i, dataset] of DATASETS.entries()) {
    const redisPrefix = `mnbench${dataset.name}:`;
    const { system } = await startBenchSystem({
      dbSuffix: dataset.suffix,
      redisPrefix,
      build: i === 0 && !opts['no-build'],
      env: { READ_CACHE_TTL: '0' },
    });
    const token = await benchToken({ redisUrl, redisPrefix, userId: 1 });
    const deepCursor = await cursorAfter(system.gatewayUrl, token, dataset.deepAfter);
    systems.push({ dataset, system, token, deepCursor });
  }

  const queries = {
    firstPage: () => '/api/notes?limit=20',
    deepPage: (s) => `/api/notes?limit=20&cursor=${s.deepCursor}`,
    rareSearch: () => `/api/notes?limit=20&q=${RARE_WORD}`,
  };
  const results = Object.fromEntries(Object.keys(queries).map((q) => [q, Object.fromEntries(DATASETS.map((d) => [d.name, []]))]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [query, path] of Object.entries(queries)) {
      // A/B interleaved: both datasets within the same round.
      for (const s of round % 2 ? systems : [...systems].reverse()) {
        const samples = await timeGets(`${s.system.gatewayUrl}${path(s)}`, { token: s.token, count: COUNT });
        results[query][s.dataset.name].push({ p50: percentile(samples, 50), p99: percentile(samples, 99) });
      }
    }
    console.log(`round ${round}/${ROUNDS} done`);
  }
  const offset = Object.fromEntries(
    await Promise.all(DATASETS.map(async (d) => [d.name, await offsetQueryMs(`micronote_notes${d.suffix}`, d.deepAfter)])),
  );
  await stopAll();

  const rows = Object.entries(results).map(([query, byDataset]) => {
    const p50 = Object.fromEntries(Object.entries(byDataset).map(([name, rounds]) => [name, median(rounds.map((r) => r.p50))]));
    const p99 = Object.fromEntries(Object.entries(byDataset).map(([name, rounds]) => [name, median(rounds.map((r) => r.p99))]));
    return { query, p50_1k: p50['1k'], p50_1m: p50['1m'], ratio: p50['1m'] / p50['1k'], p99_1k: p99['1k'], p99_1m: p99['1m'] };
  });
  rows.push({ query: 'offsetSql (contrast)', p50_1k: offset['1k'], p50_1m: offset['1m'], ratio: offset['1m'] / offset['1k'] });

  console.log(`\nP6 notes at scale: median of ${ROUNDS} rounds × ${COUNT} sequential requests (p50 per round)`);
  console.log('query                 | 1k notes    | 1M notes    | ratio');
  console.log('----------------------|-------------|-------------|------');
  for (const row of rows)
    console.log(`${row.query.padEnd(22)}| ${ms(row.p50_1k).padEnd(12)}| ${ms(row.p50_1m).padEnd(12)}| ${row.ratio.toFixed(2)}×`);
  const file = opts.json ?? resolve(ROOT, 'bench/results', `${new Date().toISOString().slice(0, 10)}-notes-scale.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
        rounds: ROUNDS,
        count: COUNT,
        rows,
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
    process.exit(1);
  },
);
