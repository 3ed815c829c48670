import { DataAccess, sqlTime } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import type { NoteRow } from '../notes/notes.repository';

/** What live collaboration reads of a note (its row, locked by NoteAccess.require). */
export type CollabNoteRow = Pick<NoteRow, 'id' | 'user_id' | 'text' | 'deleted_at'>;

/** A note_docs row without its snapshot. */
export interface DocState {
  snapshot_seq: number;
  seq: number;
  dirty: number;
}

export interface StoredUpdate {
  seq: number;
  update_data: Buffer;
}

/** An update to append: its seq and who sent it. */
export interface NewUpdate {
  seq: number;
  update: Uint8Array;
  userId: string;
}

const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * The data access of live collaboration: note_docs (snapshot, seq, dirty) and note_doc_updates
 * (the updates after the snapshot). Every write runs in the caller's transaction with the note's
 * row locked (NoteAccess.require with its lock), so one note's documents change one at a time on every replica.
 */
@Injectable()
export class CollabRepository extends DataAccess {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** The live text as the note's text, without a new version (the checkpoint makes that). */
  async setNoteText(noteId: string, text: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE notes SET text = ? WHERE id = ?', [text, noteId]);
  }

  async docState(noteId: string, manager: EntityManager): Promise<DocState | undefined> {
    const rows: DocState[] = await manager.query('SELECT snapshot_seq, seq, dirty FROM note_docs WHERE note_id = ?', [noteId]);
    return rows[0] && { snapshot_seq: Number(rows[0].snapshot_seq), seq: Number(rows[0].seq), dirty: Number(rows[0].dirty) };
  }

  async snapshot(noteId: string, manager: EntityManager): Promise<{ snapshot: Buffer; snapshot_seq: number }> {
    const rows: { snapshot: Buffer; snapshot_seq: number }[] = await manager.query(
      'SELECT snapshot, snapshot_seq FROM note_docs WHERE note_id = ?',
      [noteId],
    );
    return { snapshot: rows[0].snapshot, snapshot_seq: Number(rows[0].snapshot_seq) };
  }

  /** The note's first document (seq 0); a no-op when another call made it first. */
  async insertDoc(noteId: string, snapshot: Uint8Array, manager: EntityManager): Promise<void> {
    await manager.query('INSERT IGNORE INTO note_docs (note_id, snapshot, snapshot_seq, seq, dirty) VALUES (?, ?, 0, 0, 0)', [
      noteId,
      bytes(snapshot),
    ]);
  }

  /** The stored updates after `seq`, in order. */
  async updatesAfter(noteId: string, seq: number, manager: EntityManager): Promise<StoredUpdate[]> {
    const rows: StoredUpdate[] = await manager.query(
      'SELECT seq, update_data FROM note_doc_updates WHERE note_id = ? AND seq > ? ORDER BY seq',
      [noteId, seq],
    );
    return rows.map((row) => ({ seq: Number(row.seq), update_data: row.update_data }));
  }

  /** Appends the update as `seq` and moves the document to it; `dirty`: live edits no version has yet. */
  async append(noteId: string, seq: number, update: Uint8Array, userId: string, now: Date, dirty: boolean, manager: EntityManager) {
    await this.appendMany(noteId, [{ seq, update, userId }], now, dirty, manager);
  }

  /** Appends updates with consecutive seqs (one INSERT) and moves the document to the last one. */
  async appendMany(noteId: string, updates: NewUpdate[], now: Date, dirty: boolean, manager: EntityManager) {
    if (updates.length === 0) return;
    const at = sqlTime(now);
    await manager.query(
      `INSERT INTO note_doc_updates (note_id, seq, update_data, user_id, created_at) VALUES ${updates.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      updates.flatMap(({ seq, update, userId }) => [noteId, seq, bytes(update), userId, at]),
    );
    const seq = updates[updates.length - 1].seq;
    await manager.query(
      dirty
        ? 'UPDATE note_docs SET seq = ?, dirty = 1, first_dirty_at = COALESCE(first_dirty_at, ?), last_update_at = ? WHERE note_id = ?'
        : 'UPDATE note_docs SET seq = ?, last_update_at = ? WHERE note_id = ?',
      dirty ? [seq, at, at, noteId] : [seq, at, noteId],
    );
  }

  /** The note's version now has the live text: nothing left for the checkpoint. */
  async markClean(noteId: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE note_docs SET dirty = 0, first_dirty_at = NULL WHERE note_id = ?', [noteId]);
  }

  /** The snapshot becomes the document at `seq`; the updates it holds go. */
  async compact(noteId: string, snapshot: Uint8Array, seq: number, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE note_docs SET snapshot = ?, snapshot_seq = ? WHERE note_id = ?', [bytes(snapshot), seq, noteId]);
    await manager.query('DELETE FROM note_doc_updates WHERE note_id = ? AND seq <= ?', [noteId, seq]);
  }

  /** Notes whose live edits are due for a checkpoint: idle since `idleBefore`, or dirty since `dirtyBefore`. */
  async due(idleBefore: Date, dirtyBefore: Date, limit: number): Promise<string[]> {
    const rows: { note_id: string }[] = await this.dataSource.query(
      'SELECT note_id FROM note_docs WHERE dirty = 1 AND (last_update_at <= ? OR first_dirty_at <= ?) ORDER BY first_dirty_at LIMIT ?',
      [sqlTime(idleBefore), sqlTime(dirtyBefore), limit],
    );
    return rows.map((row) => String(row.note_id));
  }

  /**
   * The owner of a note still due, with its row and its document's locked; undefined when not due
   * any more, or when another transaction (an edit, another replica's checkpoint) holds it.
   */
  async lockDue(noteId: string, idleBefore: Date, dirtyBefore: Date, manager: EntityManager): Promise<string | undefined> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT n.user_id FROM notes n JOIN note_docs d ON d.note_id = n.id
       WHERE n.id = ? AND d.dirty = 1 AND (d.last_update_at <= ? OR d.first_dirty_at <= ?) FOR UPDATE SKIP LOCKED`,
      [noteId, sqlTime(idleBefore), sqlTime(dirtyBefore)],
    );
    return rows[0] && String(rows[0].user_id);
  }

  /** What the note's document takes in the database: its snapshot and the updates after it. */
  async storedBytes(noteId: string): Promise<number> {
    const rows: { bytes: string | number | null }[] = await this.dataSource.query(
      `SELECT LENGTH(snapshot) + COALESCE((SELECT SUM(LENGTH(update_data)) FROM note_doc_updates WHERE note_id = ?), 0) AS bytes
       FROM note_docs WHERE note_id = ?`,
      [noteId, noteId],
    );
    return Number(rows[0]?.bytes ?? 0);
  }
}
