import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  /** BIGINT, read as a string (bigNumberStrings). */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** Stored lower-case; unique. */
  @Column({ type: 'varchar', length: 100 })
  email!: string;

  /** Unique case-insensitively (the column's collation is case-insensitive). */
  @Column({ type: 'varchar', length: 20 })
  username!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  /** IANA zone name, canonical (`canonicalTimeZone`); null: none chosen. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  /** BCP 47 tag, canonical (`canonicalLocale`); null: none chosen. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  locale!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
