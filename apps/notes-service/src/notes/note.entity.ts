import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `notes` (migrations/1764000000001-create-notes.ts); read as raw rows (NoteRow), written through the query builder. */
@Entity({ name: 'notes' })
export class NoteEntity {
  /** BIGINT, read as a string (bigNumberStrings). */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'mediumtext' })
  text!: string;

  /** The tags in the user's order (JSON text); note_tags has one row per tag for filters and counts. */
  @Column({ type: 'json' })
  tags!: string;

  @Column({ name: 'is_pinned', type: 'tinyint' })
  isPinned!: number;

  @Column({ name: 'is_archived', type: 'tinyint' })
  isArchived!: number;

  @Column({ type: 'int', unsigned: true })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt!: Date | null;

  /** `<source id>:<createdAt>` of an import, `req:<hash>` of a create with an Idempotency-Key; unique per user. */
  @Column({ name: 'import_key', type: 'varchar', length: 80, nullable: true })
  importKey!: string | null;

  /** Accepted members (note_members), maintained with the member rows; never written by a note's own insert or update. */
  @Column({ type: 'smallint', unsigned: true, insert: false, update: false })
  members!: number;

  /** Derived by MariaDB (0 active, 1 archived, 2 trash): never written. */
  @Column({ type: 'tinyint', unsigned: true, insert: false, update: false })
  state!: number;
}

/** A row of `note_tags`: one per (note, tag). */
@Entity({ name: 'note_tags' })
export class NoteTagEntity {
  @PrimaryColumn({ name: 'note_id', type: 'bigint', unsigned: true })
  noteId!: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  tag!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;
}

/** A row of `note_revisions` (migrations/1765300000002-create-note-revisions.ts): one state of a note's title, text and tags. */
@Entity({ name: 'note_revisions' })
export class NoteRevisionEntity {
  @PrimaryColumn({ name: 'note_id', type: 'bigint', unsigned: true })
  noteId!: string;

  /** The note version this state was saved at. */
  @PrimaryColumn({ type: 'int', unsigned: true })
  version!: number;

  /** The version of the next revision; null for the current state. */
  @Column({ name: 'until_version', type: 'int', unsigned: true, nullable: true })
  untilVersion!: number | null;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'mediumtext' })
  text!: string;

  @Column({ type: 'json' })
  tags!: string;

  /** UTF-8 bytes of the text. */
  @Column({ type: 'int', unsigned: true })
  size!: number;

  /** The `X-Client-Id` of the tab that saved it. */
  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** Followed within coalesceMinutes by a revision of the same client: thinned away after keepAllHours. */
  @Column({ type: 'tinyint' })
  coalesced!: number;
}
