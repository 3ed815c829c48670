import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * note_usage: per-user quota counters (see UsageQuota in server-core): `items` notes (trash
 * included: a trashed note still takes its space until it is purged or deleted for good) and
 * `bytes`, the UTF-8 bytes of their title, text and tags JSON. Every write keeps them in step
 * inside its own transaction; this backfills them for the notes that exist already.
 */
export class CreateNoteUsage1764600000001 implements MigrationInterface {
  name = 'CreateNoteUsage1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE note_usage (
        user_id BIGINT UNSIGNED NOT NULL,
        items BIGINT NOT NULL DEFAULT 0,
        bytes BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id)
      ) ENGINE=InnoDB
    `);
    await queryRunner.query(`
      INSERT INTO note_usage (user_id, items, bytes)
      SELECT user_id, COUNT(*), SUM(LENGTH(title) + LENGTH(text) + LENGTH(tags)) FROM notes GROUP BY user_id
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note_usage');
  }
}
