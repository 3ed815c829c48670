import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `todos` (migrations/1764000000002-create-todos.ts); read as raw rows (TodoRow), written through the query builder. */
@Entity({ name: 'todos' })
export class TodoEntity {
  /** BIGINT, read as a string (bigNumberStrings). */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  text!: string;

  @Column({ type: 'tinyint' })
  completed!: number;

  /** 0 low, 1 medium, 2 high. */
  @Column({ type: 'tinyint', unsigned: true })
  priority!: number;

  @Column({ name: 'due_date', type: 'datetime', precision: 3, nullable: true })
  dueDate!: Date | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  category!: string | null;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'int', unsigned: true })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  /** `<source id>:<createdAt>` of an import, `req:<hash>` of a create with an Idempotency-Key; unique per user. */
  @Column({ name: 'import_key', type: 'varchar', length: 80, nullable: true })
  importKey!: string | null;

  /** The list the todo is in (migrations/1765400000101-create-todo-lists.ts); the list's owner is `userId`. */
  @Column({ name: 'list_id', type: 'bigint', unsigned: true, nullable: true })
  listId!: string | null;

  @Column({ name: 'created_by', type: 'bigint', unsigned: true, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'completed_by', type: 'bigint', unsigned: true, nullable: true })
  completedBy!: string | null;

  /** Due on the date of due_date, no time (migrations/1765500000001-todo-day-and-order.ts). */
  @Column({ name: 'all_day', type: 'tinyint' })
  allDay!: number;

  /** The todo this one is a subtask of (one level; deleting it deletes its subtasks). */
  @Column({ name: 'parent_id', type: 'bigint', unsigned: true, nullable: true })
  parentId!: string | null;

  /** Fractional index among its siblings (ASCII, compared as bytes). */
  @Column({ type: 'varchar', length: 512 })
  position!: string;

  /** An RRULE (migrations/1765500000002-todo-recurrence.ts), its DTSTART and the zone of its wall clock. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  recurrence!: string | null;

  @Column({ name: 'recurrence_start', type: 'datetime', precision: 3, nullable: true })
  recurrenceStart!: Date | null;

  @Column({ name: 'recurrence_zone', type: 'varchar', length: 64, nullable: true })
  recurrenceZone!: string | null;

  /** The reminder (migrations/1765800000001-todo-reminders.ts): when, 0 pending / 1 fired / 2 over, and which one. */
  @Column({ name: 'remind_at', type: 'datetime', precision: 3, nullable: true })
  remindAt!: Date | null;

  @Column({ name: 'reminder_state', type: 'tinyint', unsigned: true })
  reminderState!: number;

  @Column({ name: 'reminder_seq', type: 'int', unsigned: true })
  reminderSeq!: number;

  /** Derived by MariaDB (remind_at of a pending reminder of an open todo): never written. */
  @Column({ name: 'reminder_due', type: 'datetime', precision: 3, nullable: true, insert: false, update: false })
  reminderDue!: Date | null;

  /** Derived by MariaDB (parent_id or 0): never written. */
  @Column({ name: 'parent_key', type: 'bigint', unsigned: true, insert: false, update: false })
  parentKey!: string;

  /** Derived by MariaDB (due_date IS NULL): never written. */
  @Column({ name: 'no_due', type: 'tinyint', insert: false, update: false })
  noDue!: number;
}

/** A completed occurrence of a recurring todo (migrations/1765500000002-todo-recurrence.ts). */
@Entity({ name: 'todo_completions' })
export class TodoCompletionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'todo_id', type: 'bigint', unsigned: true })
  todoId!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ name: 'due_date', type: 'datetime', precision: 3, nullable: true })
  dueDate!: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3 })
  completedAt!: Date;

  @Column({ name: 'completed_by', type: 'bigint', unsigned: true, nullable: true })
  completedBy!: string | null;
}
