import type { WriteResult } from '@micronote/server-data';
import { Prepared, sqlTime, sqlTimeOrNull } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { NoteEntity } from './note.entity';
import { NoteShareEntity } from './note-share.entity';

/** The entities of note sharing (listed with NOTE_ENTITIES in the service's DatabaseSpec). */
export const NOTE_SHARE_ENTITIES = [NoteShareEntity];

/** A note_shares row as mysql2 returns it. */
export interface NoteShareRow {
  id: string;
  note_id: string;
  created_at: Date;
  expires_at: Date | null;
}

/** What a public link shows: the note as it is now. */
export interface SharedNoteRow {
  title: string;
  text: string;
  updated_at: Date;
}

const ACTIVE = '(s.expires_at IS NULL OR s.expires_at > :now)';

/**
 * The data access of share links (TypeORM query builder, statements built once). Every statement
 * by note is scoped to the user too; the public read goes by the token's hash only, through
 * uq_note_shares_token, and sees a link only while it is active and its note is out of the trash.
 */
@Injectable()
export class NoteSharesRepository {
  private readonly insertOne: Prepared;
  private readonly countOfNote: Prepared;
  private readonly listOfNote: Prepared;
  private readonly deleteOne: Prepared;
  private readonly deleteExpired: Prepared;
  private readonly byToken: Prepared;

  constructor(private readonly dataSource: DataSource) {
    const builder = () => dataSource.createQueryBuilder();
    this.insertOne = new Prepared(
      builder()
        .insert()
        .into(NoteShareEntity)
        .values({
          noteId: () => ':noteId',
          userId: () => ':userId',
          tokenHash: () => ':tokenHash',
          createdAt: () => ':createdAt',
          expiresAt: () => ':expiresAt',
        })
        .updateEntity(false),
    );
    this.countOfNote = new Prepared(
      builder().select('COUNT(*)', 'count').from(NoteShareEntity, 's').where(`s.note_id = :noteId AND s.user_id = :userId AND ${ACTIVE}`),
    );
    this.listOfNote = new Prepared(
      builder()
        .select('s.id', 'id')
        .addSelect('s.note_id', 'note_id')
        .addSelect('s.created_at', 'created_at')
        .addSelect('s.expires_at', 'expires_at')
        .from(NoteShareEntity, 's')
        .where(`s.note_id = :noteId AND s.user_id = :userId AND ${ACTIVE}`)
        .orderBy('s.created_at', 'DESC')
        .addOrderBy('s.id', 'DESC'),
    );
    this.deleteOne = new Prepared(builder().delete().from(NoteShareEntity).where('id = :id AND note_id = :noteId AND user_id = :userId'));
    this.deleteExpired = new Prepared(
      builder().delete().from(NoteShareEntity).where('note_id = :noteId AND user_id = :userId AND expires_at <= :now'),
    );
    this.byToken = new Prepared(
      builder()
        .select('n.title', 'title')
        .addSelect('n.text', 'text')
        .addSelect('n.updated_at', 'updated_at')
        .from(NoteShareEntity, 's')
        .innerJoin(NoteEntity, 'n', 'n.id = s.note_id AND n.user_id = s.user_id')
        .where(`s.token_hash = :tokenHash AND ${ACTIVE} AND n.deleted_at IS NULL`),
    );
  }

  async insert(
    share: { noteId: string; userId: string; tokenHash: Buffer; createdAt: Date; expiresAt: Date | null },
    manager: EntityManager,
  ): Promise<string> {
    const result = await this.insertOne.run<WriteResult>(manager, {
      ...share,
      createdAt: sqlTime(share.createdAt),
      expiresAt: sqlTimeOrNull(share.expiresAt),
    });
    return String(result.insertId);
  }

  /** Active links of the note (call with the note's row locked, so two creates cannot both pass the cap). */
  async countActive(userId: string, noteId: string, now: Date, manager: EntityManager): Promise<number> {
    const rows = await this.countOfNote.run<{ count: string | number }[]>(manager, { userId, noteId, now: sqlTime(now) });
    return Number(rows[0]?.count ?? 0);
  }

  /** Forgets the note's expired links (they answer 404 already); part of making a new one. */
  async pruneExpired(userId: string, noteId: string, now: Date, manager: EntityManager): Promise<void> {
    await this.deleteExpired.run(manager, { userId, noteId, now: sqlTime(now) });
  }

  /** The note's active links, newest first. */
  listActive(userId: string, noteId: string, now: Date): Promise<NoteShareRow[]> {
    return this.listOfNote.run(this.dataSource.manager, { userId, noteId, now: sqlTime(now) });
  }

  /** Revokes a link; false when the note has no such link. */
  async delete(userId: string, noteId: string, id: string): Promise<boolean> {
    const result = await this.deleteOne.run<WriteResult>(this.dataSource.manager, { id, noteId, userId });
    return result.affectedRows > 0;
  }

  /** The shared note of an active link, or undefined. */
  async findShared(tokenHash: Buffer, now: Date): Promise<SharedNoteRow | undefined> {
    const rows = await this.byToken.run<SharedNoteRow[]>(this.dataSource.manager, { tokenHash, now: sqlTime(now) });
    return rows[0];
  }
}
