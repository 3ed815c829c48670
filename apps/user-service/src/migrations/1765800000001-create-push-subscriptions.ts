import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * push_subscriptions: the browsers a user subscribed to Web Push (README "Web Push"). An endpoint
 * is unique across users (`endpoint_hash`, SHA-256 of it, because a unique key on 1024 utf8mb4
 * characters is too long for InnoDB): it is one browser profile's subscription, so when another
 * user subscribes the same browser it moves to them, and the previous user's reminders stop
 * showing there. The rows go with their account (ON DELETE CASCADE); ix_push_subscriptions_user
 * serves the sends and the per-user limit (oldest first by created_at).
 */
export class CreatePushSubscriptions1765800000001 implements MigrationInterface {
  name = 'CreatePushSubscriptions1765800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE push_subscriptions (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        endpoint VARCHAR(1024) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        endpoint_hash BINARY(32) NOT NULL,
        p256dh VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        auth VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        created_at DATETIME(3) NOT NULL,
        last_success_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY ux_push_subscriptions_endpoint (endpoint_hash),
        KEY ix_push_subscriptions_user (user_id, created_at),
        CONSTRAINT fk_push_subscriptions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE push_subscriptions');
  }
}
