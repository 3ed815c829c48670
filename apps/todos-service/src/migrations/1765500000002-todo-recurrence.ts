import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring todos (README "Todos: recurrence").
 * - `recurrence`: the RRULE; `recurrence_start` its DTSTART (the due date when it was set: COUNT
 *   counts from it); `recurrence_zone` the zone whose wall-clock time the due time keeps.
 * - `todo_completions`: each occurrence completed while the series went on (the last one is the
 *   todo's own completion); deleting the todo deletes them. ix_todo_completions_todo is the
 *   newest-first list of one todo; ix_todo_completions_user counts a user's for the stats.
 */
export class TodoRecurrence1765500000002 implements MigrationInterface {
  name = 'TodoRecurrence1765500000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE todos
        ADD COLUMN recurrence VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NULL,
        ADD COLUMN recurrence_start DATETIME(3) NULL,
        ADD COLUMN recurrence_zone VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL
    `);
    await queryRunner.query(`
      CREATE TABLE todo_completions (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        todo_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        due_date DATETIME(3) NULL,
        completed_at DATETIME(3) NOT NULL,
        completed_by BIGINT UNSIGNED NULL,
        PRIMARY KEY (id),
        KEY ix_todo_completions_todo (todo_id, id),
        KEY ix_todo_completions_user (user_id),
        CONSTRAINT fk_todo_completions_todo FOREIGN KEY (todo_id) REFERENCES todos (id) ON DELETE CASCADE
      ) ENGINE=InnoDB
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE todo_completions');
    await queryRunner.query('ALTER TABLE todos DROP COLUMN recurrence, DROP COLUMN recurrence_start, DROP COLUMN recurrence_zone');
  }
}
