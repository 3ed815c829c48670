// The baselines' share of notes-service: its connection options, the SQL it runs for the first page
// of the default list (`GET /api/notes?limit=N`: active notes, pinned first, then most recently
// updated; notes.repository.ts `listSql` without tag, pinned or cursor) and for a note without
// tags (`insert`), and its row → REST mapping (`toNote` + `toRestNote`, cursor as `cursorCodec`).
// Used by the bare server (notes-server.mjs) and by the load worker's in-process and INSERT baselines.
import { createPool } from 'mysql2/promise';

const COLUMNS = ['id', 'user_id', 'title', 'text', 'tags', 'is_pinned', 'is_archived', 'version', 'created_at', 'updated_at', 'deleted_at'];
const ACTIVE = 0;

const LIST_SQL =
  `SELECT ${COLUMNS.map((c) => `n.${c}`).join(', ')} FROM notes n FORCE INDEX (ix_notes_list) ` +
  'WHERE n.user_id = ? AND n.state = ? ORDER BY n.is_pinned DESC, n.updated_at DESC, n.id DESC LIMIT ?';

const INSERT_SQL =
  'INSERT INTO notes (user_id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at, import_key) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** The note P3 writes, through the API (POST body) and straight into MySQL: no tags, so one INSERT. */
export const BENCH_NOTE = { title: 'bench note', text: 'written by bench/run.mjs', tags: [] };

/** A mysql2 pool with notes-service's options (lib server-core `mysqlOptions`: UTC, utf8mb4, BIGINTs as strings, pool of 10). */
export const notesPool = (mysqlUrl, database, size = 10) =>
  createPool({
    uri: `${mysqlUrl}/${database}`,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectionLimit: size,
    enableKeepAlive: true,
    waitForConnections: true,
    queueLimit: 0,
  });

/** A notes row as the REST API returns it. */
const toRestNote = (row) => ({
  id: String(row.id),
  title: row.title,
  text: row.text,
  tags: typeof row.tags === 'string' ? JSON.parse(row.tags) : row.tags,
  isPinned: Boolean(row.is_pinned),
  isArchived: Boolean(row.is_archived),
  version: Number(row.version),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  deletedAt: row.deleted_at ? row.deleted_at.toISOString() : null,
});

const cursorOf = (row) =>
  Buffer.from(
    JSON.stringify(['l', Boolean(row.is_pinned), row.updated_at.toISOString().replace('T', ' ').replace('Z', ''), String(row.id)]),
  ).toString('base64url');

/** The first page of `userId`'s active notes: `{ items, nextCursor }`, one more row read to know whether there is a next page. */
export async function listNotes(pool, userId, limit) {
  const [rows] = await pool.query(LIST_SQL, [userId, ACTIVE, limit + 1]);
  const page = rows.slice(0, limit);
  return { items: page.map(toRestNote), nextCursor: rows.length > limit ? cursorOf(page.at(-1)) : null };
}

/** Inserts `note` (without tags) for `userId`, autocommitted: durable when the statement returns. Resolves to its id. */
export async function insertNote(pool, userId, { title, text } = BENCH_NOTE) {
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const [result] = await pool.query(INSERT_SQL, [userId, title, text, '[]', 0, 0, 1, now, now, null, null]);
  return String(result.insertId);
}
