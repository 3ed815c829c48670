import type { notesV1 } from '@micronote/proto';
import { UsageQuota, utf8Bytes } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';

import type { Env } from '../config/env.validation';
import { NoteErrors } from './notes.errors';

/** A notes row as mysql2 returns it (BIGINTs as strings, DATETIMEs as UTC Dates). */
export interface NoteRow {
  id: string;
  user_id: string;
  title: string;
  text: string;
  tags: string | string[];
  is_pinned: number;
  is_archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  score?: number;
}

export const NOTE_COLUMNS = 'id, user_id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at';

export enum NoteState {
  Active = 0,
  Archived = 1,
  Trashed = 2,
}

/** What a note counts against the byte quota: UTF-8 bytes of its title, text and stored tags JSON. */
export function noteBytes(note: Pick<NoteRow, 'title' | 'text' | 'tags'>): number {
  return utf8Bytes(note.title, note.text, typeof note.tags === 'string' ? note.tags : JSON.stringify(note.tags));
}

/** The same in SQL (LENGTH counts bytes), for rows that are deleted without being read first. */
const NOTE_BYTES_SQL = 'LENGTH(title) + LENGTH(text) + LENGTH(tags)';

/** DATETIME(3) literal of a Date, in UTC (the connection's time zone). */
export function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function toNote(row: NoteRow): notesV1.Note {
  return {
    id: String(row.id),
    title: row.title,
    text: row.text,
    tags: typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags,
    isPinned: Boolean(row.is_pinned),
    isArchived: Boolean(row.is_archived),
    version: Number(row.version),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at ? row.deleted_at.toISOString() : undefined,
  };
}

/** Where a page of the default order starts: after (pinned, updatedAt, id) of the last note seen. */
export interface ListAfter {
  pinned: boolean;
  updatedAt: string;
  id: string;
}

/** Where a page of search results starts: after (score, id) of the last note seen. */
export interface SearchAfter {
  score: number;
  id: string;
}

export interface ListQuery {
  userId: string;
  state: NoteState;
  pinned?: boolean;
  tag?: string;
  limit: number;
  after?: ListAfter;
}

export interface SearchQuery {
  userId: string;
  state: NoteState;
  q: string;
  pinned?: boolean;
  tag?: string;
  limit: number;
  after?: SearchAfter;
}

/**
 * The SQL of notes-service. Every list is a keyset page over ix_notes_list (a range scan in
 * index order: no OFFSET, no filesort); search uses the FULLTEXT index and sorts its matches.
 */
@Injectable()
export class NotesRepository {
  /** Per-user quotas (note_usage), changed by every write in its own transaction. */
  readonly usage: UsageQuota;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Env, true>,
  ) {
    const items = config.get('MAX_NOTES_PER_USER', { infer: true });
    const bytes = config.get('MAX_BYTES_PER_USER', { infer: true });
    this.usage = new UsageQuota('note_usage', { items, bytes }, (which) =>
      which === 'items' ? NoteErrors.tooManyNotes(items) : NoteErrors.tooManyBytes(bytes),
    );
  }

  /** A transaction at the server's default isolation (REPEATABLE READ): one round trip fewer than setting one. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For single statements, which need no transaction of their own. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async findForUpdate(manager: EntityManager, userId: string, id: string): Promise<NoteRow | undefined> {
    const rows: NoteRow[] = await manager.query(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ? AND user_id = ? FOR UPDATE`, [id, userId]);
    return rows[0];
  }

  /** The note an earlier create with the same request key (see requestKeyOf) made, if any. */
  async findByImportKey(userId: string, importKey: string): Promise<NoteRow | undefined> {
    const rows: NoteRow[] = await this.dataSource.query(`SELECT ${NOTE_COLUMNS} FROM notes WHERE user_id = ? AND import_key = ?`, [
      userId,
      importKey,
    ]);
    return rows[0];
  }

  async find(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<NoteRow | undefined> {
    const rows: NoteRow[] = await manager.query(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ? AND user_id = ?`, [id, userId]);
    return rows[0];
  }

  /** The default list: one range of ix_notes_list, read backwards in (pinned, updated_at, id) order. */
  listSql(query: ListQuery): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    let from = 'notes n';
    const where = ['n.user_id = ?', 'n.state = ?'];
    params.push(query.userId, query.state);
    if (query.tag !== undefined) {
      from = 'note_tags t JOIN notes n ON n.id = t.note_id';
      where.unshift('t.user_id = ?', 't.tag = ?');
      params.unshift(query.userId, query.tag);
    }
    if (query.pinned !== undefined) {
      where.push('n.is_pinned = ?');
      params.push(query.pinned ? 1 : 0);
    }
    if (query.after) {
      const { pinned, updatedAt, id } = query.after;
      const p = pinned ? 1 : 0;
      where.push('(n.is_pinned < ? OR (n.is_pinned = ? AND (n.updated_at < ? OR (n.updated_at = ? AND n.id < ?))))');
      params.push(p, p, updatedAt, updatedAt, id);
    }
    const columns = NOTE_COLUMNS.split(', ')
      .map((c) => `n.${c}`)
      .join(', ');
    const index = query.tag === undefined ? ' FORCE INDEX (ix_notes_list)' : '';
    return {
      sql: `SELECT ${columns} FROM ${from}${index} WHERE ${where.join(' AND ')} ORDER BY n.is_pinned DESC, n.updated_at DESC, n.id DESC LIMIT ?`,
      params: [...params, query.limit],
    };
  }

  list(query: ListQuery): Promise<NoteRow[]> {
    const { sql, params } = this.listSql(query);
    return this.dataSource.query(sql, params);
  }

  /** Full-text search over title and text, most relevant first. */
  searchSql(query: SearchQuery): { sql: string; params: unknown[] } {
    const match = 'MATCH(n.title, n.text) AGAINST (? IN NATURAL LANGUAGE MODE)';
    const where = ['n.user_id = ?', 'n.state = ?', match];
    const params: unknown[] = [query.userId, query.state, query.q];
    if (query.pinned !== undefined) {
      where.push('n.is_pinned = ?');
      params.push(query.pinned ? 1 : 0);
    }
    if (query.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND t.tag = ?)');
      params.push(query.tag);
    }
    if (query.after) {
      where.push(`(${match} < ? OR (${match} = ? AND n.id < ?))`);
      params.push(query.q, query.after.score, query.q, query.after.score, query.after.id);
    }
    const columns = NOTE_COLUMNS.split(', ')
      .map((c) => `n.${c}`)
      .join(', ');
    return {
      sql: `SELECT ${columns}, ${match} AS score FROM notes n WHERE ${where.join(' AND ')} ORDER BY score DESC, n.id DESC LIMIT ?`,
      params: [query.q, ...params, query.limit],
    };
  }

  search(query: SearchQuery): Promise<NoteRow[]> {
    const { sql, params } = this.searchSql(query);
    return this.dataSource.query(sql, params);
  }

  /** Inserts a note; with an import key, a note imported before is skipped (returns null). */
  async insert(
    manager: EntityManager,
    userId: string,
    note: Omit<NoteRow, 'id' | 'user_id'>,
    importKey: string | null = null,
  ): Promise<string | null> {
    const result: { insertId: number | string; affectedRows: number } = await manager.query(
      `INSERT ${importKey ? 'IGNORE ' : ''}INTO notes (user_id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at, import_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        userId,
        note.title,
        note.text,
        JSON.stringify(note.tags),
        note.is_pinned,
        note.is_archived,
        note.version,
        sqlTime(note.created_at),
        sqlTime(note.updated_at),
        note.deleted_at ? sqlTime(note.deleted_at) : null,
        importKey,
      ],
    );
    return result.affectedRows > 0 ? String(result.insertId) : null;
  }

  /**
   * Inserts imported notes (and their tags) in one statement each; a note whose import key the
   * user already has is skipped. Returns the notes inserted, with their new ids.
   */
  async insertImported(
    manager: EntityManager,
    userId: string,
    notes: { key: string; row: Omit<NoteRow, 'id' | 'user_id'> }[],
  ): Promise<{ id: string; key: string }[]> {
    if (notes.length === 0) return [];
    const inserted: { id: string | number; import_key: string }[] = await manager.query(
      `INSERT IGNORE INTO notes (user_id, title, text, tags, is_pinned, is_archived, version, created_at, updated_at, deleted_at, import_key)
       VALUES ${notes.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING id, import_key`,
      notes.flatMap(({ key, row }) => [
        userId,
        row.title,
        row.text,
        JSON.stringify(row.tags),
        row.is_pinned,
        row.is_archived,
        row.version,
        sqlTime(row.created_at),
        sqlTime(row.updated_at),
        row.deleted_at ? sqlTime(row.deleted_at) : null,
        key,
      ]),
    );
    const result = inserted.map((r) => ({ id: String(r.id), key: r.import_key }));
    const tagsByKey = new Map(notes.map(({ key, row }) => [key, row.tags as string[]]));
    const tagRows = result.flatMap(({ id, key }) => (tagsByKey.get(key) ?? []).map((tag) => [id, userId, tag]));
    if (tagRows.length > 0) {
      await manager.query(
        `INSERT INTO note_tags (note_id, user_id, tag) VALUES ${tagRows.map(() => '(?, ?, ?)').join(', ')} ON DUPLICATE KEY UPDATE tag = tag`,
        tagRows.flat(),
      );
    }
    return result;
  }

  async replaceTags(manager: EntityManager, userId: string, noteId: string, tags: string[]): Promise<void> {
    await manager.query('DELETE FROM note_tags WHERE note_id = ?', [noteId]);
    await this.insertTags(manager, userId, noteId, tags);
  }

  /**
   * Tags of a note that has none yet. Two tags the collation compares equal (`cafe`, `Café`) are
   * one row: normalizeTags keeps only one, and a pair it misses is still no duplicate-key error.
   */
  async insertTags(manager: EntityManager, userId: string, noteId: string, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    await manager.query(
      `INSERT INTO note_tags (note_id, user_id, tag) VALUES ${tags.map(() => '(?, ?, ?)').join(', ')} ON DUPLICATE KEY UPDATE tag = tag`,
      tags.flatMap((tag) => [noteId, userId, tag]),
    );
  }

  async update(manager: EntityManager, row: NoteRow): Promise<void> {
    await manager.query(
      `UPDATE notes SET title = ?, text = ?, tags = ?, is_pinned = ?, is_archived = ?, version = ?, updated_at = ?, deleted_at = ? WHERE id = ?`,
      [
        row.title,
        row.text,
        JSON.stringify(row.tags),
        row.is_pinned,
        row.is_archived,
        row.version,
        sqlTime(row.updated_at),
        row.deleted_at ? sqlTime(row.deleted_at) : null,
        row.id,
      ],
    );
  }

  /** Deletes a note for good and gives its space back, in one transaction; false when there was none. */
  deletePermanently(userId: string, id: string): Promise<boolean> {
    return this.transaction(async (manager) => {
      const rows: { bytes: string | number }[] = await manager.query(
        `DELETE FROM notes WHERE id = ? AND user_id = ? RETURNING ${NOTE_BYTES_SQL} AS bytes`,
        [id, userId],
      );
      if (rows.length === 0) return false;
      await this.usage.add(manager, userId, { items: -1, bytes: -Number(rows[0].bytes) });
      return true;
    });
  }

  async tagCounts(userId: string): Promise<{ tag: string; count: number }[]> {
    const rows: { tag: string; count: string | number }[] = await this.dataSource.query(
      `SELECT MIN(t.tag) AS tag, COUNT(*) AS count FROM note_tags t JOIN notes n ON n.id = t.note_id
       WHERE t.user_id = ? AND n.deleted_at IS NULL GROUP BY t.tag ORDER BY count DESC, tag ASC`,
      [userId],
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }

  async stats(userId: string): Promise<notesV1.NoteStats> {
    const rows: { state: number; is_pinned: number; count: string | number }[] = await this.dataSource.query(
      'SELECT state, is_pinned, COUNT(*) AS count FROM notes FORCE INDEX (ix_notes_list) WHERE user_id = ? GROUP BY state, is_pinned',
      [userId],
    );
    const tags: { count: string | number }[] = await this.dataSource.query(
      `SELECT COUNT(DISTINCT t.tag) AS count FROM note_tags t JOIN notes n ON n.id = t.note_id WHERE t.user_id = ? AND n.deleted_at IS NULL`,
      [userId],
    );
    const stats = { total: 0, pinned: 0, archived: 0, trashed: 0, tags: Number(tags[0]?.count ?? 0) };
    for (const row of rows) {
      const count = Number(row.count);
      if (Number(row.state) === NoteState.Trashed) {
        stats.trashed += count;
        continue;
      }
      stats.total += count;
      if (Number(row.state) === NoteState.Archived) stats.archived += count;
      if (Number(row.is_pinned)) stats.pinned += count;
    }
    return stats;
  }

  /** A batch of the user's notes after `afterId`, in id order (exports). */
  exportBatch(userId: string, afterId: string, limit: number): Promise<NoteRow[]> {
    return this.dataSource.query(`SELECT ${NOTE_COLUMNS} FROM notes WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?`, [
      userId,
      afterId,
      limit,
    ]);
  }

  /** Which of these import keys / original notes the user already has. */
  async existingImports(userId: string, allKeys: string[], allOriginals: { id: string; createdAt: string }[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < allKeys.length; i += 1_000) {
      const keys = allKeys.slice(i, i + 1_000);
      const rows: { import_key: string }[] = await this.dataSource.query(
        `SELECT import_key FROM notes WHERE user_id = ? AND import_key IN (${keys.map(() => '?').join(', ')})`,
        [userId, ...keys],
      );
      rows.forEach((r) => found.add(r.import_key));
    }
    for (let i = 0; i < allOriginals.length; i += 1_000) {
      const ids = allOriginals.slice(i, i + 1_000).map((o) => o.id);
      const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
        `SELECT id, created_at FROM notes WHERE user_id = ? AND id IN (${ids.map(() => '?').join(', ')})`,
        [userId, ...ids],
      );
      rows.forEach((r) => found.add(`${r.id}:${r.created_at.toISOString()}`));
    }
    return found;
  }

  /** Deletes up to `limit` notes of a user (tags cascade); returns how many. Once none are left, their usage row goes too. */
  async deleteUserBatch(userId: string, limit: number): Promise<number> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM notes WHERE user_id = ? LIMIT ?', [userId, limit]);
    if (result.affectedRows === 0) await this.usage.forget(this.dataSource.manager, userId);
    return result.affectedRows;
  }

  /** Deletes up to `limit` notes that went to the trash before `cutoff` and gives their owners' space back; returns how many. */
  purgeTrashBatch(cutoff: Date, limit: number): Promise<number> {
    return this.transaction(async (manager) => {
      const rows: { user_id: string; bytes: string | number }[] = await manager.query(
        `DELETE FROM notes WHERE deleted_at < ? LIMIT ? RETURNING user_id, ${NOTE_BYTES_SQL} AS bytes`,
        [sqlTime(cutoff), limit],
      );
      const freed = new Map<string, { items: number; bytes: number }>();
      for (const row of rows) {
        const user = freed.get(String(row.user_id)) ?? { items: 0, bytes: 0 };
        user.items -= 1;
        user.bytes -= Number(row.bytes);
        freed.set(String(row.user_id), user);
      }
      // In user id order, so two purgers running at once lock usage rows in the same order.
      for (const [userId, delta] of [...freed].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)))
        await this.usage.add(manager, userId, delta);
      return rows.length;
    });
  }
}
