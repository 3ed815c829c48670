import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * note_revisions: one row per state of a note's title, text and tags (the current one included),
 * `version` being the note version it was saved at and `until_version` the version of the next
 * revision (NULL: the current one). The state at any version v is the revision with
 * version <= v < until_version; a version whose revision was thinned away has none.
 * The primary key (note_id, version) is the index of every lookup: listing newest first is one
 * backward range scan of it, so a page costs the same at 10 and at 10,000 revisions.
 * `coalesced` marks a revision followed within NOTE_LIMITS.revisions.coalesceMinutes by one of the
 * same client: the purger removes it once it is older than keepAllHours (ix_note_revisions_thin);
 * ix_note_revisions_age finds the notes whose revisions pass keepDays. Deleting a note deletes its
 * revisions (the foreign key cascades: permanent delete, trash purge, account deletion).
 * The notes that exist get their current state as their first revision.
 */
export class CreateNoteRevisions1765300000002 implements MigrationInterface {
  name = 'CreateNoteRevisions1765300000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE note_revisions (
        note_id BIGINT UNSIGNED NOT NULL,
        version INT UNSIGNED NOT NULL,
        until_version INT UNSIGNED NULL,
        title VARCHAR(100) NOT NULL,
        text MEDIUMTEXT NOT NULL,
        tags JSON NOT NULL,
        size INT UNSIGNED NOT NULL,
        client_id VARCHAR(64) NULL,
        created_at DATETIME(3) NOT NULL,
        coalesced TINYINT(1) NOT NULL DEFAULT 0,
        PRIMARY KEY (note_id, version),
        KEY ix_note_revisions_thin (coalesced, created_at),
        KEY ix_note_revisions_age (created_at),
        CONSTRAINT fk_note_revisions_note FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
    await queryRunner.query(`
      INSERT INTO note_revisions (note_id, version, title, text, tags, size, created_at)
      SELECT id, version, title, text, tags, LENGTH(text), updated_at FROM notes
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note_revisions');
  }
}
