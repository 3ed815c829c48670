import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * todos: one row per todo.
 * - `priority`: 0 low, 1 medium, 2 high (the API speaks the names).
 * - `due_date`: a UTC instant (DATETIME(3)); a date-only input means 00:00 UTC of that day.
 * - `no_due` (stored, derived) puts todos without a due date after those with one, so the list
 *   order "not completed first, then due date soonest first with none last, then newest" is the
 *   order of ix_todos_list: (completed, no_due, due_date, created_at DESC, id DESC). Every list is
 *   one range scan of it in index order (no filesort); the last two keys are DESC (MariaDB ≥ 10.8
 *   keeps descending index parts) because "newest" runs the other way.
 * - `import_key` (`<source id>:<createdAt>`) makes imports idempotent per user.
 */
export class CreateTodos1764000000002 implements MigrationInterface {
  name = 'CreateTodos1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE todos (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        text VARCHAR(200) NOT NULL,
        completed TINYINT(1) NOT NULL DEFAULT 0,
        priority TINYINT UNSIGNED NOT NULL DEFAULT 1,
        due_date DATETIME(3) NULL,
        category VARCHAR(30) NULL,
        completed_at DATETIME(3) NULL,
        version INT UNSIGNED NOT NULL DEFAULT 1,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        import_key VARCHAR(80) NULL,
        no_due TINYINT(1) AS (due_date IS NULL) PERSISTENT,
        PRIMARY KEY (id),
        KEY ix_todos_list (user_id, completed, no_due, due_date, created_at DESC, id DESC),
        UNIQUE KEY uq_todos_import (user_id, import_key),
        CONSTRAINT ck_todos_priority CHECK (priority IN (0, 1, 2))
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE todos');
  }
}
