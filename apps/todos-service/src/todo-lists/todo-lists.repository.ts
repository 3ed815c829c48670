import type { MemberRole } from '@micronote/contracts';
import type { WriteResult } from '@micronote/server-data';
import { DataAccess, MemberRows, Prepared, sqlTime } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { TodoEntity } from '../todos/todo.entity';
import { TodoListEntity, TodoListMemberEntity } from './todo-list.entity';

/** A todo_lists row as mysql2 returns it. */
export interface TodoListRow {
  id: string;
  user_id: string;
  name: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** Accepted members (the maintained todo_lists.members). */
  members: number;
}

/** A list shared with the caller, with their role or pending invitation. */
export type MembershipRow = TodoListRow & { role: MemberRole; invited_at: Date };

const LIST_COLUMNS = ['id', 'user_id', 'name', 'version', 'created_at', 'updated_at', 'members'];
/** How many lists shared with one user (accepted, or invitations) one listing shows at most. */
export const MEMBERSHIPS_LISTED = 200;

/** The members of todo lists: the twins' one MemberRows (notes-service has note_members the same way). */
export class TodoListMembers extends MemberRows {
  constructor(dataSource: DataSource) {
    super(dataSource, { entity: TodoListMemberEntity, item: TodoListEntity, itemColumn: 'list_id' });
  }
}

/** The data access of todo lists and their members (the todos themselves: TodosRepository). */
@Injectable()
export class TodoListsRepository extends DataAccess {
  readonly members: TodoListMembers;
  private readonly ofMember: Prepared;
  private readonly findOne: Prepared;
  private readonly lockOne: Prepared;
  private readonly ofOwner: Prepared;
  private readonly countOfOwner: Prepared;
  private readonly insertOne: Prepared;
  private readonly renameOne: Prepared;
  private readonly deleteOne: Prepared;

  constructor(dataSource: DataSource) {
    super(dataSource);
    this.members = new TodoListMembers(dataSource);
    const select = () => {
      const builder = dataSource.createQueryBuilder().from(TodoListEntity, 'l');
      for (const column of LIST_COLUMNS) builder.addSelect(`l.${column}`, column);
      return builder;
    };
    this.ofMember = new Prepared(
      select()
        .addSelect('m.role', 'role')
        .addSelect('m.invited_at', 'invited_at')
        .innerJoin(TodoListMemberEntity, 'm', 'm.list_id = l.id')
        .where('m.user_id = :userId AND m.status = :status')
        .orderBy('m.invited_at', 'DESC')
        .addOrderBy('l.id', 'DESC'),
      { limit: true },
    );
    this.findOne = new Prepared(select().where('l.id = :id'));
    this.lockOne = new Prepared(select().where('l.id = :id').setLock('pessimistic_write'));
    this.ofOwner = new Prepared(select().where('l.user_id = :userId').orderBy('l.name', 'ASC').addOrderBy('l.id', 'ASC'));
    this.countOfOwner = new Prepared(
      dataSource.createQueryBuilder().select('COUNT(*)', 'count').from(TodoListEntity, 'l').where('l.user_id = :userId'),
    );
    this.insertOne = new Prepared(
      dataSource
        .createQueryBuilder()
        .insert()
        .into(TodoListEntity)
        .values({
          userId: () => ':userId',
          name: () => ':name',
          version: () => '1',
          createdAt: () => ':now',
          updatedAt: () => ':now',
        })
        .updateEntity(false),
    );
    this.renameOne = new Prepared(
      dataSource
        .createQueryBuilder()
        .update(TodoListEntity)
        .set({ name: () => ':name', version: () => 'version + 1', updatedAt: () => ':now' })
        .where('id = :id'),
    );
    this.deleteOne = new Prepared(dataSource.createQueryBuilder().delete().from(TodoListEntity).where('id = :id'));
  }

  /** The list whoever owns it (the service decides access); locked for the caller's transaction when `lock`. */
  async find(id: string, manager: EntityManager = this.manager, lock = false): Promise<TodoListRow | undefined> {
    const rows = await (lock ? this.lockOne : this.findOne).run<TodoListRow[]>(manager, { id });
    return rows[0];
  }

  /** The lists the user owns, by name. */
  ownedBy(userId: string, manager: EntityManager = this.manager): Promise<TodoListRow[]> {
    return this.ofOwner.run(manager, { userId });
  }

  async countOwnedBy(userId: string, manager: EntityManager): Promise<number> {
    const rows = await this.countOfOwner.run<{ count: string | number }[]>(manager, { userId });
    return Number(rows[0]?.count ?? 0);
  }

  /** The lists shared with the user (`accepted`) or to which they are invited (`pending`), newest invitation first. */
  sharedWith(userId: string, status: 'accepted' | 'pending'): Promise<MembershipRow[]> {
    return this.ofMember.run(this.manager, { userId, status, limit: MEMBERSHIPS_LISTED });
  }

  async insert(userId: string, name: string, now: Date, manager: EntityManager): Promise<string> {
    const result = await this.insertOne.run<WriteResult>(manager, { userId, name, now: sqlTime(now) });
    return String(result.insertId);
  }

  async rename(id: string, name: string, now: Date, manager: EntityManager): Promise<void> {
    await this.renameOne.run(manager, { id, name, now: sqlTime(now) });
  }

  /** Deletes the list; its members and its todos go with it (ON DELETE CASCADE). */
  async delete(id: string, manager: EntityManager): Promise<boolean> {
    const result = await this.deleteOne.run<WriteResult>(manager, { id });
    return result.affectedRows > 0;
  }

  /** The open (not completed) todos per list. */
  async openCounts(ids: readonly string[], manager: EntityManager = this.manager): Promise<Map<string, number>> {
    const counts = new Map<string, number>(ids.map((id) => [String(id), 0]));
    if (ids.length === 0) return counts;
    const open: { id: string; count: string | number }[] = await manager
      .createQueryBuilder()
      .select('t.list_id', 'id')
      .addSelect('COUNT(*)', 'count')
      .from(TodoEntity, 't')
      .where('t.list_id IN (:...ids) AND t.completed = 0', { ids })
      .groupBy('t.list_id')
      .getRawMany();
    for (const row of open) counts.set(String(row.id), Number(row.count));
    return counts;
  }
}
