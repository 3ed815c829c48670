import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * note_shares: the public read-only links of a note. Only the SHA-256 of a link's token is kept
 * (`token_hash`, unique: the public read is one lookup of that index); revoking a link deletes its
 * row, and deleting a note for good (or the trash purge, or the account purge) deletes its links
 * with it (ON DELETE CASCADE). `ix_note_shares_note` serves a note's list and its per-note cap.
 */
export class CreateNoteShares1765300000001 implements MigrationInterface {
  name = 'CreateNoteShares1765300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE note_shares (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        note_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        token_hash BINARY(32) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_note_shares_token (token_hash),
        KEY ix_note_shares_note (note_id, user_id, created_at),
        CONSTRAINT fk_note_shares_note FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note_shares');
  }
}
