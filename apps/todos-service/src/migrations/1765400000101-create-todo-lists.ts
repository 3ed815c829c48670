import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shared todo lists (README "Shared todo lists").
 * - `todo_lists`: one row per list, `user_id` its owner (never a member row), `members` the count
 *   of accepted members (kept by MemberRows, as notes.members).
 * - `todo_list_members`: who else the list is shared with, as `viewer` or `editor`; `pending`
 *   until the invitee accepts. The shape of notes-service's `note_members`. ix_todo_list_members_user
 *   answers "the lists shared with me" and "my invitations"; deleting a list deletes its members.
 * - `todos.list_id`: the list a todo is in (NULL: none); deleting a list deletes its todos (the
 *   service gives their places in the owner's quota back in the same transaction). A todo in a list
 *   is the list owner's (`todos.user_id`): quota and export are the owner's. ix_todos_in_list is
 *   the list order of one list's todos (as ix_todos_list is of a user's).
 * - `created_by` / `completed_by`: who created the todo and who completed it (members act too).
 */
export class CreateTodoLists1765400000101 implements MigrationInterface {
  name = 'CreateTodoLists1765400000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE todo_lists (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        name VARCHAR(100) NOT NULL,
        version INT UNSIGNED NOT NULL DEFAULT 1,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        members SMALLINT UNSIGNED NOT NULL DEFAULT 0,
        PRIMARY KEY (id),
        KEY ix_todo_lists_user (user_id, name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
    await queryRunner.query(`
      CREATE TABLE todo_list_members (
        list_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        role ENUM('viewer', 'editor') NOT NULL,
        status ENUM('pending', 'accepted') NOT NULL DEFAULT 'pending',
        invited_by BIGINT UNSIGNED NOT NULL,
        invited_at DATETIME(3) NOT NULL,
        accepted_at DATETIME(3) NULL,
        PRIMARY KEY (list_id, user_id),
        KEY ix_todo_list_members_user (user_id, status, list_id),
        CONSTRAINT fk_todo_list_members_list FOREIGN KEY (list_id) REFERENCES todo_lists (id) ON DELETE CASCADE
      ) ENGINE=InnoDB
    `);
    await queryRunner.query(`
      ALTER TABLE todos
        ADD COLUMN list_id BIGINT UNSIGNED NULL,
        ADD COLUMN created_by BIGINT UNSIGNED NULL,
        ADD COLUMN completed_by BIGINT UNSIGNED NULL,
        ADD KEY ix_todos_in_list (list_id, completed, no_due, due_date, created_at DESC, id DESC),
        ADD CONSTRAINT fk_todos_list FOREIGN KEY (list_id) REFERENCES todo_lists (id) ON DELETE CASCADE
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE todos DROP FOREIGN KEY fk_todos_list');
    await queryRunner.query(
      'ALTER TABLE todos DROP KEY ix_todos_in_list, DROP COLUMN list_id, DROP COLUMN created_by, DROP COLUMN completed_by',
    );
    await queryRunner.query('DROP TABLE todo_list_members');
    await queryRunner.query('DROP TABLE todo_lists');
  }
}
