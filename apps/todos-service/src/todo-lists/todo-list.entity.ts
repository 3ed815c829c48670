import { membersEntity } from '@micronote/server-data';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `todo_lists` (migrations/1765400000101-create-todo-lists.ts): `userId` is the owner. */
@Entity({ name: 'todo_lists' })
export class TodoListEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'int', unsigned: true })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  /** Accepted members (todo_list_members), maintained with the member rows (MemberRows); never written by the list's own writes. */
  @Column({ type: 'smallint', unsigned: true, insert: false, update: false })
  members!: number;
}

/** `todo_list_members`: who a list is shared with (the owner is never a row). */
export const TodoListMemberEntity = membersEntity('todo_list_members', 'list_id');
