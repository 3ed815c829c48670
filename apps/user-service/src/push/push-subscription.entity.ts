import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `push_subscriptions` (migrations/1765800000001-create-push-subscriptions.ts): one browser's Web Push subscription. */
@Entity({ name: 'push_subscriptions' })
export class PushSubscriptionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 1024 })
  endpoint!: string;

  /** SHA-256 of `endpoint` (the unique key). */
  @Column({ name: 'endpoint_hash', type: 'binary', length: 32 })
  endpointHash!: Buffer;

  @Column({ type: 'varchar', length: 128 })
  p256dh!: string;

  @Column({ type: 'varchar', length: 64 })
  auth!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'last_success_at', type: 'datetime', precision: 3, nullable: true })
  lastSuccessAt!: Date | null;
}
