import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A row of `account_purges` (migrations/1764000000002-create-account-purges.ts): one deleted account whose notes and todos still have to go. */
@Entity({ name: 'account_purges' })
export class AccountPurgeEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  nextAttemptAt!: Date;

  @Column({ type: 'int', unsigned: true, default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;
}
