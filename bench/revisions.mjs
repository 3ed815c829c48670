#!/usr/bin/env node
// P13: does the first page of a note's revisions cost the same at 10 revisions and at 10,000?
//
//   node bench/revisions.mjs [--rounds 5] [--count 200] [--quick] [--no-build] [--json FILE]
//
// Starts one MicroNote system on free ports (read cache off), creates two notes of user 1 through
// the API and gives them 10 and 10,000 revisions (the 10,000 written straight into note_revisions
// in the shape notes-service writes them, which takes seconds instead of 10,000 PATCHes), then
// times GET /api/notes/:id/revisions (the first page: 10 items and 50 items) through the gateway
// for both notes in interleaved rounds. Prints the medians and the ratio (target ≤ 1.3×), and
// writes bench/results/<date>-revisions.json (with `--json FILE`: FILE instead, for bench/run.mjs,
// which collects it as row P13). The system's databases and Redis keys are removed at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createConnection } from 'mysql2/promise';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { median, ms, percentile, timeGets } from './lib/measure.mjs';
import { benchToken } from './lib/session.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { postJson } from './lib/users.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    count: { type: 'string', default: '200' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const ROUNDS = opts.quick ? 1 : Number(opts.rounds);
const COUNT = opts.quick ? 30 : Number(opts.count);
const DB_SUFFIX = '_benchrev';
const REDIS_PREFIX = 'mnbenchrev:';
const SIZES = [10, 10_000];
const INSERT_CHUNK = 1_000;

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
  await deleteRedisKeys(redisUrl, REDIS_PREFIX);
}

/**
 * Gives the note `noteId` (created through the API, so at version 1 with its first revision)
 * `count` revisions: versions 1..count, a minute apart, ten clients taking turns (nothing the
 * purger would thin), ending now; the note row moves to the last version.
 */
async function addRevisions(noteId, count) {
  const { mysqlUrl } = infraUrls();
  const db = await createConnection({ uri: `${mysqlUrl}/micronote_notes${DB_SUFFIX}`, timezone: 'Z' });
  try {
    await db.beginTransaction();
    await db.query('DELETE FROM note_revisions WHERE note_id = ?', [noteId]);
    const start = Date.now() - count * 60_000;
    for (let from = 1; from <= count; from += INSERT_CHUNK) {
      const rows = [];
      for (let version = from; version < Math.min(from + INSERT_CHUNK, count + 1); version++) {
        const text = `revision ${version} of the bench note\n- [ ] item ${version % 7}\nmore text on a third line`;
        rows.push([
          noteId,
          version,
          version === count ? null : version + 1,
          `Bench note v${version}`,
          text,
          '["bench"]',
          Buffer.byteLength(text),
          `client-${version % 10}`,
          new Date(start + version * 60_000),
          0,
        ]);
      }
      await db.query(
        'INSERT INTO note_revisions (note_id, version, until_version, title, text, tags, size, client_id, created_at, coalesced) VALUES ?',
        [rows],
      );
    }
    await db.query('UPDATE notes SET version = ? WHERE id = ?', [count, noteId]);
    await db.commit();
  } finally {
    await db.end();
  }
}

async function main() {
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  const { redisUrl } = infraUrls();
  const { system } = await startBenchSystem({
    dbSuffix: DB_SUFFIX,
    redisPrefix: REDIS_PREFIX,
    build: !opts['no-build'],
    env: { READ_CACHE_TTL: '0' },
  });
  const token = await benchToken({ redisUrl, redisPrefix: REDIS_PREFIX, userId: 1 });
  const notes = [];
  for (const size of SIZES) {
    const created = await postJson(
      `${system.gatewayUrl}/api/notes`,
      { title: `${size} revisions`, text: 'bench', tags: ['bench'] },
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (created.status !== 201) throw new Error(`creating the bench note answered ${created.status}: ${JSON.stringify(created.body)}`);
    await addRevisions(created.body.id, size);
    notes.push({ size, id: created.body.id });
  }
  console.log(`notes with ${SIZES.join(' and ')} revisions ready`);

  const results = Object.fromEntries(SIZES.map((size) => [size, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    // A/B interleaved: both notes within the same round.
    for (const note of round % 2 ? notes : [...notes].reverse()) {
      const samples = await timeGets(`${system.gatewayUrl}/api/notes/${note.id}/revisions`, { token, count: COUNT });
      results[note.size].push({ p50: percentile(samples, 50), p99: percentile(samples, 99) });
    }
    console.log(`round ${round}/${ROUNDS} done`);
  }
  await stopAll();
  await cleanInfra();

  const [small, large] = SIZES;
  const p50 = (size) => median(results[size].map((r) => r.p50));
  const p99 = (size) => median(results[size].map((r) => r.p99));
  const row = {
    query: 'firstPage',
    p50_10: p50(small),
    p50_10k: p50(large),
    ratio: p50(large) / p50(small),
    p99_10: p99(small),
    p99_10k: p99(large),
  };
  console.log(`\nP13 revisions, first page: median of ${ROUNDS} rounds × ${COUNT} sequential requests (p50 per round)`);
  console.log(`10 revisions:     p50 ${ms(row.p50_10)}, p99 ${ms(row.p99_10)} (10 items)`);
  console.log(`10,000 revisions: p50 ${ms(row.p50_10k)}, p99 ${ms(row.p99_10k)} (50 items)`);
  console.log(`ratio ${row.ratio.toFixed(2)}× (target ≤ 1.3×)`);
  const file = opts.json ?? resolve(ROOT, 'bench/results', `${new Date().toISOString().slice(0, 10)}-revisions.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
        rounds: ROUNDS,
        count: COUNT,
        rows: [row],
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
