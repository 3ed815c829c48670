import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * account_purges: the durable to-do list of deleted accounts whose notes and todos still have to
 * be removed in notes-service and todos-service. Written in the same transaction as the user's
 * deletion, removed once both services confirm.
 */
export class CreateAccountPurges1764000000002 implements MigrationInterface {
  name = 'CreateAccountPurges1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account_purges (
        user_id BIGINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        last_error VARCHAR(255) NULL,
        PRIMARY KEY (user_id),
        KEY ix_account_purges_due (next_attempt_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE account_purges');
  }
}
