import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * notes: one row per note; `state` (0 active, 1 archived, 2 trash) is derived and indexed so every
 * list view is one range scan of ix_notes_list in its sort order (pinned, updated, id).
 * note_tags: one row per (note, tag) for the tag filter and tag counts; `tags` on the note is the
 * same list, in the user's order, for reading.
 */
export class CreateNotes1764000000001 implements MigrationInterface {
  name = 'CreateNotes1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notes (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        title VARCHAR(100) NOT NULL,
        text MEDIUMTEXT NOT NULL,
        tags JSON NOT NULL,
        is_pinned TINYINT(1) NOT NULL DEFAULT 0,
        is_archived TINYINT(1) NOT NULL DEFAULT 0,
        version INT UNSIGNED NOT NULL DEFAULT 1,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        deleted_at DATETIME(3) NULL,
        import_key VARCHAR(80) NULL,
        state TINYINT UNSIGNED AS (IF(deleted_at IS NOT NULL, 2, IF(is_archived, 1, 0))) PERSISTENT,
        PRIMARY KEY (id),
        KEY ix_notes_list (user_id, state, is_pinned, updated_at, id),
        KEY ix_notes_trash_purge (deleted_at),
        UNIQUE KEY uq_notes_import (user_id, import_key),
        FULLTEXT KEY ft_notes_search (title, text)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
    await queryRunner.query(`
      CREATE TABLE note_tags (
        note_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        tag VARCHAR(30) NOT NULL,
        PRIMARY KEY (note_id, tag),
        KEY ix_note_tags_user_tag (user_id, tag, note_id),
        CONSTRAINT fk_note_tags_note FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note_tags');
    await queryRunner.query('DROP TABLE notes');
  }
}
