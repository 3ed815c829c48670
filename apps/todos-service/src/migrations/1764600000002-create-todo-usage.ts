import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * todo_usage: per-user quota counters (see UsageQuota in server-core): `items` todos. `bytes`
 * stays 0: a todo is at most 230 characters, so the count quota bounds a user's bytes too.
 * Every write keeps the count in step inside its own transaction; this backfills existing todos.
 */
export class CreateTodoUsage1764600000002 implements MigrationInterface {
  name = 'CreateTodoUsage1764600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE todo_usage (
        user_id BIGINT UNSIGNED NOT NULL,
        items BIGINT NOT NULL DEFAULT 0,
        bytes BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id)
      ) ENGINE=InnoDB
    `);
    await queryRunner.query('INSERT INTO todo_usage (user_id, items, bytes) SELECT user_id, COUNT(*), 0 FROM todos GROUP BY user_id');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE todo_usage');
  }
}
