import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * notifications: the in-app notifications of a user (README "Notifications"). One row per
 * recipient; `dedupe_key` makes the same event notified twice one row (UNIQUE with the user).
 * `actor_id` is who did it (no foreign key: the actor's account may go, the notification stays);
 * the recipient's rows go with their account (ON DELETE CASCADE). ix_notifications_page serves
 * the newest-first pages, ix_notifications_unread the unread count.
 */
export class CreateNotifications1765600000001 implements MigrationInterface {
  name = 'CreateNotifications1765600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        kind VARCHAR(20) NOT NULL,
        actor_id BIGINT UNSIGNED NOT NULL,
        subject_kind VARCHAR(8) NOT NULL,
        subject_id BIGINT UNSIGNED NOT NULL,
        subject_title VARCHAR(200) NOT NULL,
        list_id BIGINT UNSIGNED NULL,
        list_name VARCHAR(100) NULL,
        dedupe_key VARCHAR(120) NOT NULL,
        read_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY ux_notifications_dedupe (user_id, dedupe_key),
        KEY ix_notifications_page (user_id, id),
        KEY ix_notifications_unread (user_id, read_at),
        CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notifications');
  }
}
