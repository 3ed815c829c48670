import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.time_zone and users.locale: the profile's IANA zone name and BCP 47 tag (README "Profile:
 * time zone and locale"), NULL until the user picks one. Stored canonical (as Intl spells them);
 * the lengths are USER_LIMITS.timeZone / USER_LIMITS.locale. Appended nullable columns without a
 * default: an instant ALTER on MariaDB, no table rebuild.
 */
export class AddUserTimeZoneAndLocale1765700000001 implements MigrationInterface {
  name = 'AddUserTimeZoneAndLocale1765700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN time_zone VARCHAR(64) NULL, ADD COLUMN locale VARCHAR(35) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users DROP COLUMN time_zone, DROP COLUMN locale');
  }
}
