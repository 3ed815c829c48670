import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live collaboration's storage: a note's Yjs document as a snapshot (`note_docs`, one row per
 * note that was ever edited live) plus the updates stored after it (`note_doc_updates`, one row
 * per update, by the note's `seq`). Compaction folds the updates into a new snapshot and deletes
 * them (`snapshot_seq` = the last update the snapshot holds; `seq` only grows). `dirty`: live
 * edits the note's versions and revisions do not have yet (the checkpoint job's work,
 * `ix_note_docs_dirty`). Both go with their note (ON DELETE CASCADE: delete, trash purge,
 * account purge).
 */
export class CreateNoteDocs1765500000001 implements MigrationInterface {
  name = 'CreateNoteDocs1765500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE note_docs (
        note_id BIGINT UNSIGNED NOT NULL,
        snapshot LONGBLOB NOT NULL,
        snapshot_seq INT UNSIGNED NOT NULL,
        seq INT UNSIGNED NOT NULL,
        dirty TINYINT NOT NULL DEFAULT 0,
        first_dirty_at DATETIME(3) NULL,
        last_update_at DATETIME(3) NULL,
        PRIMARY KEY (note_id),
        KEY ix_note_docs_dirty (dirty, first_dirty_at),
        CONSTRAINT fk_note_docs_note FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
    await queryRunner.query(`
      CREATE TABLE note_doc_updates (
        note_id BIGINT UNSIGNED NOT NULL,
        seq INT UNSIGNED NOT NULL,
        update_data MEDIUMBLOB NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (note_id, seq),
        CONSTRAINT fk_note_doc_updates_doc FOREIGN KEY (note_id) REFERENCES note_docs (note_id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note_doc_updates');
    await queryRunner.query('DROP TABLE note_docs');
  }
}
