#!/usr/bin/env node
// Fills a notes-service database with synthetic notes for benchmarks, fast and repeatably.
//
//   node bench/seed.mjs                      # 1,000,000 notes, 10,000 users, user 1 has 100,000
//   node bench/seed.mjs --notes 1000 --users 1 --heavy 1000 --db micronote_notes_bench1k
//   options: --db NAME (default micronote_notes_bench1m) --rare N (notes of user 1 with the rare
//            word, default 20) --force (reseed even if the database already holds this data set)
//            --no-migrate (the schema is there already, e.g. a running system migrated it)
//
// How: the schema comes from notes-service's own migrations (`main.js migrate`); the secondary
// and FULLTEXT indexes are dropped, rows are streamed in with LOAD DATA LOCAL INFILE, and the
// indexes are built once at the end (much faster than maintaining them row by row). The
// parameters are recorded in `bench_meta`, so a second run with the same ones does nothing.
// User 1 is the "heavy" user; its notes have distinct updated_at times over the last two years.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createConnection } from 'mysql2/promise';

import { prng, RARE_WORD, vocabulary } from './lib/words.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: opts } = parseArgs({
  options: {
    notes: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '10000' },
    heavy: { type: 'string', default: '100000' },
    rare: { type: 'string', default: '20' },
    db: { type: 'string', default: 'micronote_notes_bench1m' },
    force: { type: 'boolean', default: false },
    'no-migrate': { type: 'boolean', default: false },
  },
});
const NOTES = Number(opts.notes);
const USERS = Number(opts.users);
const HEAVY = Math.min(Number(opts.heavy), NOTES);
const RARE = Number(opts.rare);
const DB = opts.db;
const MYSQL_URL = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const params = JSON.stringify({ NOTES, USERS, HEAVY, RARE, schema: 1 });

const log = (message) => console.log(`[seed ${DB}] ${message}`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** Applies notes-service's migrations to DB (building notes-service first if needed). */
function migrate() {
  const main = resolve(ROOT, 'dist/apps/notes-service/main.js');
  if (!existsSync(main)) {
    log('building notes-service');
    execFileSync(resolve(ROOT, 'node_modules/.bin/nx'), ['build', 'notes-service'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  }
  execFileSync(process.execPath, [main, 'migrate'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MYSQL_URL, DB_NAME: DB, LOG_LEVEL: 'warn' },
  });
}

const esc = (value) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const sqlTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const TAGS = [
  'work',
  'home',
  'ideas',
  'travel',
  'books',
  'recipes',
  'health',
  'money',
  'music',
  'garden',
  'kids',
  'cars',
  'films',
  'learning',
  'sport',
];

/** Which user owns note i: user 1 owns the first HEAVY notes, the rest are spread evenly. */
const ownerOf = (i) => (i < HEAVY || USERS === 1 ? 1 : 2 + ((i - HEAVY) % (USERS - 1)));

function* noteRows(tagRows) {
  const random = prng(42);
  const words = vocabulary(5000, random);
  const sentence = (n) => Array.from({ length: n }, words.pick).join(' ');
  const now = Date.UTC(2026, 10, 1);
  const span = 2 * 365 * 24 * 3600 * 1000;
  const rareEvery = RARE > 0 ? Math.max(1, Math.floor(HEAVY / RARE)) : 0;
  for (let i = 0; i < NOTES; i++) {
    const id = i + 1;
    const user = ownerOf(i);
    // Distinct times per note: later notes of a user were updated later.
    const updated = now - span + Math.floor((span * i) / NOTES) + (user === 1 ? 0 : Math.floor(random() * 1000));
    const created = updated - Math.floor(random() * 30 * 24 * 3600 * 1000);
    let text = sentence(20 + Math.floor(random() * 40));
    if (user === 1 && rareEvery && i % rareEvery === 0 && i / rareEvery < RARE) text += ` ${RARE_WORD}`;
    const tagCount = random() < 0.4 ? 1 + Math.floor(random() * 3) : 0;
    const tags = [...new Set(Array.from({ length: tagCount }, () => TAGS[Math.floor(random() * TAGS.length)]))];
    for (const tag of tags) tagRows.push(`${id}\t${user}\t${tag}\n`);
    const pinned = random() < 0.02 ? 1 : 0;
    const archived = random() < 0.05 ? 1 : 0;
    const deleted = random() < 0.02 ? sqlTime(updated) : '\\N';
    yield `${id}\t${user}\t${esc(sentence(2 + Math.floor(random() * 5)))}\t${esc(text)}\t${esc(JSON.stringify(tags))}\t${pinned}\t${archived}\t1\t${sqlTime(created)}\t${sqlTime(updated)}\t${deleted}\n`;
  }
}

/** Yields rows in chunks of ~1 MB (LOAD DATA reads a stream). */
function chunked(rows) {
  return Readable.from(
    (function* () {
      let buffer = '';
      for (const row of rows) {
        buffer += row;
        if (buffer.length > 1 << 20) {
          yield Buffer.from(buffer);
          buffer = '';
        }
      }
      if (buffer) yield Buffer.from(buffer);
    })(),
  );
}

async function main() {
  if (!opts['no-migrate']) migrate();
  const db = await createConnection({ uri: `${MYSQL_URL}/${DB}`, multipleStatements: true, infileStreamFactory: () => undefined });
  try {
    await db.query('CREATE TABLE IF NOT EXISTS bench_meta (params VARCHAR(255) NOT NULL)');
    const [meta] = await db.query('SELECT params FROM bench_meta');
    if (!opts.force && meta[0]?.params === params) {
      log(`already seeded with ${params}: nothing to do (--force to reseed)`);
      return;
    }
    log(`seeding ${NOTES.toLocaleString()} notes for ${USERS.toLocaleString()} users (user 1: ${HEAVY.toLocaleString()})`);
    await db.query('DELETE FROM bench_meta');
    await db.query('SET FOREIGN_KEY_CHECKS = 0; TRUNCATE note_tags; TRUNCATE notes; SET FOREIGN_KEY_CHECKS = 1');
    await db.query(
      'ALTER TABLE notes DROP INDEX IF EXISTS ix_notes_list, DROP INDEX IF EXISTS ix_notes_trash_purge, DROP INDEX IF EXISTS uq_notes_import, DROP INDEX IF EXISTS ft_notes_search',
    );
    await db.query('ALTER TABLE note_tags DROP FOREIGN KEY IF EXISTS fk_note_tags_note, DROP INDEX IF EXISTS ix_note_tags_user_tag');

    const tagRows = [];
    await db.query({
      sql: `LOAD DATA LOCAL INFILE 'notes.tsv' INTO TABLE notes FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'
            (id, user_id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at)`,
      infileStreamFactory: () => chunked(noteRows(tagRows)),
    });
    log(`notes loaded (${elapsed()})`);
    await db.query({
      sql: `LOAD DATA LOCAL INFILE 'tags.tsv' INTO TABLE note_tags FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (note_id, user_id, tag)`,
      infileStreamFactory: () => chunked(tagRows),
    });
    log(`${tagRows.length.toLocaleString()} tags loaded (${elapsed()})`);

    await db.query(
      `ALTER TABLE notes ADD KEY IF NOT EXISTS ix_notes_list (user_id, state, is_pinned, updated_at, id), ADD KEY IF NOT EXISTS ix_notes_trash_purge (deleted_at),
       ADD UNIQUE KEY IF NOT EXISTS uq_notes_import (user_id, import_key)`,
    );
    log(`list indexes built (${elapsed()})`);
    await db.query('ALTER TABLE notes ADD FULLTEXT KEY IF NOT EXISTS ft_notes_search (title, text)');
    log(`FULLTEXT index built (${elapsed()})`);
    await db.query(
      `ALTER TABLE note_tags ADD KEY IF NOT EXISTS ix_note_tags_user_tag (user_id, tag, note_id),
       ADD CONSTRAINT fk_note_tags_note FOREIGN KEY IF NOT EXISTS (note_id) REFERENCES notes (id) ON DELETE CASCADE`,
    );
    await db.query('ANALYZE TABLE notes, note_tags');
    await db.query('INSERT INTO bench_meta (params) VALUES (?)', [params]);
    log(`done in ${elapsed()}`);
  } finally {
    await db.end();
  }
}

main().catch((error) => {
  console.error(`[seed ${DB}] failed: ${error.message}`);
  process.exit(1);
});
