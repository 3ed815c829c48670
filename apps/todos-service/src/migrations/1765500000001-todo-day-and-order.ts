import { generateNKeysBetween } from 'fractional-indexing';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows renumbered per UPDATE while existing todos get their first positions. */
const BACKFILL_BATCH = 500;

/**
 * Due times, subtasks and the manual order (README "Todos: due times, subtasks, order").
 * - `all_day`: the todo is due on the calendar date of `due_date` (stored as 00:00Z of that date),
 *   not at an instant; "today" and "overdue" of such a todo are judged in the user's zone.
 * - `parent_id`: the todo is a subtask of that one (one level, checked by the service); deleting
 *   the parent deletes its subtasks. `parent_key` (stored, derived) is `parent_id` or 0, so that
 *   "top-level todos" is an equality on every index below (`IS NULL` would not keep the order).
 * - `position`: a fractional index (fractional-indexing keys: ASCII, compared as bytes) among the
 *   todo's siblings (same owner, same parent). ix_todos_manual is the `order=manual` list.
 * - ix_todos_list / ix_todos_in_list gain `parent_key` after their owner column: a list of
 *   top-level todos or of one todo's subtasks stays one range scan in index order.
 * - ix_todos_parent counts a page's subtasks.
 * Existing todos (all top-level) get positions in their list order, per user.
 */
export class TodoDayAndOrder1765500000001 implements MigrationInterface {
  name = 'TodoDayAndOrder1765500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE todos
        ADD COLUMN all_day TINYINT(1) NOT NULL DEFAULT 0,
        ADD COLUMN parent_id BIGINT UNSIGNED NULL,
        ADD COLUMN parent_key BIGINT UNSIGNED AS (IFNULL(parent_id, 0)) PERSISTENT,
        ADD COLUMN position VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'a0',
        DROP KEY ix_todos_list,
        ADD KEY ix_todos_list (user_id, parent_key, completed, no_due, due_date, created_at DESC, id DESC),
        ADD KEY ix_todos_manual (user_id, parent_key, position, id),
        ADD KEY ix_todos_parent (parent_id, completed),
        ADD CONSTRAINT fk_todos_parent FOREIGN KEY (parent_id) REFERENCES todos (id) ON DELETE CASCADE
    `);
    // A new index first, then the old one goes: fk_todos_list always has an index on list_id.
    await queryRunner.query(
      'ALTER TABLE todos ADD KEY ix_todos_in_list2 (list_id, parent_key, completed, no_due, due_date, created_at DESC, id DESC)',
    );
    await queryRunner.query('ALTER TABLE todos DROP KEY ix_todos_in_list, RENAME KEY ix_todos_in_list2 TO ix_todos_in_list');
    await this.backfillPositions(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE todos DROP FOREIGN KEY fk_todos_parent');
    await queryRunner.query('ALTER TABLE todos ADD KEY ix_todos_in_list2 (list_id, completed, no_due, due_date, created_at DESC, id DESC)');
    await queryRunner.query('ALTER TABLE todos DROP KEY ix_todos_in_list, RENAME KEY ix_todos_in_list2 TO ix_todos_in_list');
    await queryRunner.query(`
      ALTER TABLE todos
        DROP KEY ix_todos_list,
        DROP KEY ix_todos_manual,
        DROP KEY ix_todos_parent,
        DROP COLUMN parent_key,
        DROP COLUMN parent_id,
        DROP COLUMN position,
        DROP COLUMN all_day,
        ADD KEY ix_todos_list (user_id, completed, no_due, due_date, created_at DESC, id DESC)
    `);
  }

  /** Each user's todos get distinct positions in their list order (the order they saw until now). */
  private async backfillPositions(queryRunner: QueryRunner): Promise<void> {
    const users: { user_id: string }[] = await queryRunner.query('SELECT DISTINCT user_id FROM todos');
    for (const { user_id: userId } of users) {
      const rows: { id: string }[] = await queryRunner.query(
        'SELECT id FROM todos WHERE user_id = ? ORDER BY completed, no_due, due_date, created_at DESC, id DESC',
        [userId],
      );
      const keys = generateNKeysBetween(null, null, rows.length);
      for (let start = 0; start < rows.length; start += BACKFILL_BATCH) {
        const batch = rows.slice(start, start + BACKFILL_BATCH);
        const cases = batch.map(() => 'WHEN ? THEN ?').join(' ');
        const params = batch.flatMap((row, i) => [row.id, keys[start + i]]);
        await queryRunner.query(`UPDATE todos SET position = CASE id ${cases} END WHERE id IN (${batch.map(() => '?').join(',')})`, [
          ...params,
          ...batch.map((row) => row.id),
        ]);
      }
    }
  }
}
