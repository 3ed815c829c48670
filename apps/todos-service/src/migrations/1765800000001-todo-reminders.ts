import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders (README "Todos: reminders").
 * - `remind_at`: when the owner is reminded; it stays set after the reminder fired.
 * - `reminder_state`: 0 pending, 1 fired, 2 over without firing (the todo was completed first).
 * - `reminder_seq`: grows each time a reminder is set (a new time, a snooze, a recurring todo's
 *   next occurrence); `<todo id>:<seq>` names one reminder, which is published at most once.
 * - `reminder_due` (virtual, derived): `remind_at` of a pending reminder of an open todo, else
 *   NULL; ix_todos_reminder_due holds only those, in time order, so a scheduler's poll for the
 *   due ones is a short range scan that skips rows another scheduler holds (FOR UPDATE SKIP LOCKED).
 */
export class TodoReminders1765800000001 implements MigrationInterface {
  name = 'TodoReminders1765800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE todos
        ADD COLUMN remind_at DATETIME(3) NULL,
        ADD COLUMN reminder_state TINYINT UNSIGNED NOT NULL DEFAULT 0,
        ADD COLUMN reminder_seq INT UNSIGNED NOT NULL DEFAULT 0,
        ADD COLUMN reminder_due DATETIME(3) AS (IF(reminder_state = 0 AND completed = 0, remind_at, NULL)) VIRTUAL,
        ADD KEY ix_todos_reminder_due (reminder_due)
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE todos DROP KEY ix_todos_reminder_due, DROP COLUMN reminder_due, DROP COLUMN remind_at, DROP COLUMN reminder_state, DROP COLUMN reminder_seq',
    );
  }
}
