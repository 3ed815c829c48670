import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * note_members: the people a note is shared with (the owner is `notes.user_id`, never a row).
 * A member is `pending` until the invitee accepts; only `accepted` members have access.
 * The primary key (note_id, user_id) answers "what is this user's role in this note" with one
 * lookup and serves a note's member list; ix_note_members_user (user_id, status, note_id) serves a
 * user's shared notes and pending invitations. Deleting a note deletes its members (ON DELETE
 * CASCADE). `notes.members` is the maintained count of accepted members, so a list page can tell a
 * shared note (its `access`) without a join; it changes with the member rows, in their transaction.
 */
export class CreateNoteMembers1765400000001 implements MigrationInterface {
  name = 'CreateNoteMembers1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE note_members (
        note_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        role ENUM('viewer','editor') NOT NULL,
        status ENUM('pending','accepted') NOT NULL,
        invited_by BIGINT UNSIGNED NOT NULL,
        invited_at DATETIME(3) NOT NULL,
        accepted_at DATETIME(3) NULL,
        PRIMARY KEY (note_id, user_id),
        KEY ix_note_members_user (user_id, status, note_id),
        CONSTRAINT fk_note_members_note FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
    await queryRunner.query('ALTER TABLE notes ADD COLUMN members SMALLINT UNSIGNED NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE notes DROP COLUMN members');
    await queryRunner.query('DROP TABLE note_members');
  }
}
