import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `notifications` (migrations/1765600000001-create-notifications.ts): one notification of one recipient. */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  /** The recipient. */
  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ name: 'actor_id', type: 'bigint', unsigned: true })
  actorId!: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 8 })
  subjectKind!: string;

  @Column({ name: 'subject_id', type: 'bigint', unsigned: true })
  subjectId!: string;

  @Column({ name: 'subject_title', type: 'varchar', length: 200 })
  subjectTitle!: string;

  @Column({ name: 'list_id', type: 'bigint', unsigned: true, nullable: true })
  listId!: string | null;

  @Column({ name: 'list_name', type: 'varchar', length: 100, nullable: true })
  listName!: string | null;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 120 })
  dedupeKey!: string;

  @Column({ name: 'read_at', type: 'datetime', precision: 3, nullable: true })
  readAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
