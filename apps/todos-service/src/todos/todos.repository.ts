// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import type { todosV1 } from '@micronote/proto';
import type { BoundQuery, ColumnValues } from '@micronote/server-data';
import {
  isoOrUndefined,
  OwnedRows,
  Prepared,
  sqlTime,
  sqlTimeOrNull,
  usageEntity,
  UsageQuota,
  versionAndTimes,
} from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import type { Env } from '../config/env.validation';
import { TodoListEntity, TodoListMemberEntity } from '../todo-lists/todo-list.entity';
import { TodoEntity } from './todo.entity';
import { priorityName } from './todo-input';
import { TodoErrors } from './todos.errors';
// jscpd:ignore-end

/** A todos row as mysql2 returns it (BIGINTs as strings, DATETIMEs as UTC Dates). */
export interface TodoRow {
  id: string;
  user_id: string;
  text: string;
  completed: number;
  priority: number;
  due_date: Date | null;
  category: string | null;
  completed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** The list it is in (whose owner is user_id), or null. */
  list_id: string | null;
  created_by: string | null;
  completed_by: string | null;
}

/** What a new todo is made of (the id comes from the insert). */
export type NewTodoRow = Omit<TodoRow, 'id' | 'user_id'>;

const TODO_COLUMNS = [
  'id',
  'user_id',
  'text',
  'completed',
  'priority',
  'due_date',
  'category',
  'completed_at',
  'version',
  'created_at',
  'updated_at',
  'list_id',
  'created_by',
  'completed_by',
];

export const TodoUsageEntity = usageEntity('todo_usage');

/** The entities of todos-service's database. */
export const TODO_ENTITIES = [TodoEntity, TodoUsageEntity, TodoListEntity, TodoListMemberEntity];

const idOrUndefined = (id: string | number | null | undefined) => (id === null || id === undefined ? undefined : String(id));

export function toTodo(row: TodoRow): todosV1.Todo {
  return {
    id: String(row.id),
    text: row.text,
    completed: Boolean(Number(row.completed)),
    priority: priorityName(Number(row.priority)),
    dueDate: isoOrUndefined(row.due_date),
    category: row.category ?? undefined,
    completedAt: isoOrUndefined(row.completed_at),
    ...versionAndTimes(row),
    listId: idOrUndefined(row.list_id),
    createdBy: idOrUndefined(row.created_by),
    completedBy: idOrUndefined(row.completed_by),
  };
}

/** Where a page starts: after the sort key (completed, due date or null, created_at, id) of the last todo seen. */
export interface ListAfter {
  completed: boolean;
  /** DATETIME(3) literal, or null for "no due date". */
  dueDate: string | null;
  /** DATETIME(3) literal. */
  createdAt: string;
  id: string;
}

export interface ListQuery {
  userId: string;
  /** Only the todos of this list (of `userId`, its owner). */
  listId?: string;
  completed?: boolean;
  /** Stored priority code. */
  priority?: number;
  category?: string;
  /** Due strictly before this instant. */
  dueBefore?: Date;
  /** Due at or after this instant. */
  dueAfter?: Date;
  /** true: only overdue todos; false: only those that are not (as of `now`). */
  overdue?: boolean;
  /** The clock's time: what "overdue" is measured against. */
  now: Date;
  limit: number;
  after?: ListAfter;
}

/** Counts the stats are made of that do not depend on the time of day (so they can be cached). */
export interface StatsCounts {
  groups: { completed: number; priority: number; count: number }[];
  categories: { category: string; count: number }[];
}

/** A todo's columns as an insert or update writes them. */
function todoValues(row: NewTodoRow): ColumnValues {
  return {
    text: row.text,
    completed: row.completed,
    priority: row.priority,
    due_date: sqlTimeOrNull(row.due_date),
    category: row.category,
    completed_at: sqlTimeOrNull(row.completed_at),
    version: row.version,
    created_at: sqlTime(row.created_at),
    updated_at: sqlTime(row.updated_at),
    list_id: row.list_id,
    created_by: row.created_by,
    completed_by: row.completed_by,
  };
}

/** Within one (completed, no_due) group of the list order: later due dates, then older, then smaller ids. */
const NEWER_FIRST = '(t.created_at < :createdAt OR (t.created_at = :createdAt AND t.id < :id))';

/**
 * The data access of todos-service (TypeORM query builder; statements built once, see Prepared).
 * Every list is a keyset page over ix_todos_list (a range scan in index order: no OFFSET, no
 * filesort), whatever the filters.
 */
@Injectable()
export class TodosRepository extends OwnedRows<TodoRow, NewTodoRow, ListQuery> {
  private readonly overdue: Prepared;
  private readonly findAnyById: Prepared;
  private readonly lockAnyById: Prepared;
  private readonly countInList: Prepared;

  constructor(dataSource: DataSource, config: ConfigService<Env, true>) {
    const items = config.get('MAX_TODOS_PER_USER', { infer: true });
    super(
      dataSource,
      {
        entity: TodoEntity,
        columns: TODO_COLUMNS,
        updates: [
          'text',
          'completed',
          'priority',
          'due_date',
          'category',
          'completed_at',
          'version',
          'updated_at',
          'list_id',
          'completed_by',
        ],
        insertOnly: ['created_by'],
        values: todoValues,
      },
      new UsageQuota(dataSource, TodoUsageEntity, { items }, () => TodoErrors.tooManyTodos(items)),
    );
    this.overdue = new Prepared(
      this.dataSource
        .createQueryBuilder()
        .select('COUNT(*)', 'count')
        .from(TodoEntity, 't')
        .useIndex('ix_todos_list')
        .where('t.user_id = :userId AND t.completed = 0 AND t.no_due = 0 AND t.due_date < :now'),
    );
    // By id alone: for todos in shared lists, whose access the service decides (see TodosService.access).
    this.findAnyById = new Prepared(this.select('t').where('t.id = :id'));
    this.lockAnyById = new Prepared(this.select('t').where('t.id = :id').setLock('pessimistic_write'));
    this.countInList = new Prepared(
      this.dataSource.createQueryBuilder().select('COUNT(*)', 'count').from(TodoEntity, 't').where('t.list_id = :listId'),
    );
  }

  /** The todo whoever owns it (the service checks the caller's access); locked inside a transaction when `lock`. */
  async findAnyUser(id: string, manager: EntityManager = this.manager, lock = false): Promise<TodoRow | undefined> {
    const rows = await (lock ? this.lockAnyById : this.findAnyById).run<TodoRow[]>(manager, { id });
    return rows[0];
  }

  /** How many todos the list holds (what its deletion gives back to the owner's quota). */
  async countOfList(listId: string, manager: EntityManager): Promise<number> {
    const rows = await this.countInList.run<{ count: string | number }[]>(manager, { listId });
    return Number(rows[0]?.count ?? 0);
  }

  /** One keyset page in list order, filters applied while scanning ix_todos_list. */
  listSql(query: ListQuery): BoundQuery {
    const has = {
      completed: query.completed !== undefined,
      priority: query.priority !== undefined,
      category: query.category !== undefined,
      dueBefore: query.dueBefore !== undefined,
      dueAfter: query.dueAfter !== undefined,
      listId: query.listId !== undefined,
    };
    const overdue = query.overdue === undefined ? 'u' : query.overdue ? 't' : 'f';
    const after = !query.after ? 'u' : query.after.dueDate === null ? 'n' : 'd';
    const key = `${Object.values(has).map(Number).join('')}${overdue}${after}`;
    return this.keysetQuery(
      key,
      () => {
        // One list's todos: a range of ix_todos_in_list, in the same order.
        const builder = has.listId
          ? this.select('t').useIndex('ix_todos_in_list').where('t.list_id = :listId AND t.user_id = :userId')
          : this.select('t').useIndex('ix_todos_list').where('t.user_id = :userId');
        if (has.completed) builder.andWhere('t.completed = :completed');
        if (has.priority) builder.andWhere('t.priority = :priority');
        if (has.category) builder.andWhere('t.category = :category');
        if (has.dueBefore) builder.andWhere('t.due_date < :dueBefore');
        if (has.dueAfter) builder.andWhere('t.due_date >= :dueAfter');
        if (overdue === 't') builder.andWhere('t.completed = 0 AND t.no_due = 0 AND t.due_date < :now');
        if (overdue === 'f') builder.andWhere('(t.completed = 1 OR t.no_due = 1 OR t.due_date >= :now)');
        if (after === 'n') builder.andWhere(`(t.completed > :c OR (t.completed = :c AND t.no_due = 1 AND ${NEWER_FIRST}))`);
        if (after === 'd')
          builder.andWhere(
            `(t.completed > :c OR (t.completed = :c AND (t.no_due = 1 OR (t.no_due = 0 AND (t.due_date > :dueDate OR (t.due_date = :dueDate AND ${NEWER_FIRST}))))))`,
          );
        // The list order, which is the order of ix_todos_list.
        builder
          .orderBy('t.completed', 'ASC')
          .addOrderBy('t.no_due', 'ASC')
          .addOrderBy('t.due_date', 'ASC')
          .addOrderBy('t.created_at', 'DESC')
          .addOrderBy('t.id', 'DESC');
        return builder;
      },
      {
        userId: query.userId,
        listId: query.listId,
        completed: query.completed ? 1 : 0,
        priority: query.priority,
        category: query.category,
        dueBefore: query.dueBefore && sqlTime(query.dueBefore),
        dueAfter: query.dueAfter && sqlTime(query.dueAfter),
        now: sqlTime(query.now),
        c: query.after?.completed ? 1 : 0,
        dueDate: query.after?.dueDate ?? undefined,
        createdAt: query.after?.createdAt,
        id: query.after?.id,
        limit: query.limit,
      },
    );
  }

  /** Deletes a todo and gives its place in the quota back, in one transaction; false when there was none. */
  deleteTodo(userId: string, id: string, manager?: EntityManager): Promise<boolean> {
    const work = async (manager: EntityManager) => {
      if (!(await this.delete(userId, id, manager))) return false;
      await this.usage.add(userId, { items: -1, bytes: 0 }, manager);
      return true;
    };
    return manager ? work(manager) : this.transaction(work);
  }

  /** Counts by (completed, priority) and by category (case-insensitively, as the filter matches; named by the first spelling in binary order). */
  async statsCounts(userId: string): Promise<StatsCounts> {
    const groups: { completed: number; priority: number; count: string | number }[] = await this.dataSource
      .createQueryBuilder()
      .select('t.completed', 'completed')
      .addSelect('t.priority', 'priority')
      .addSelect('COUNT(*)', 'count')
      .from(TodoEntity, 't')
      .where('t.user_id = :userId', { userId })
      .groupBy('t.completed')
      .addGroupBy('t.priority')
      .getRawMany();
    const categories: { category: string; count: string | number }[] = await this.dataSource
      .createQueryBuilder()
      .select('MIN(t.category COLLATE utf8mb4_bin)', 'category')
      .addSelect('COUNT(*)', 'count')
      .from(TodoEntity, 't')
      .where('t.user_id = :userId AND t.category IS NOT NULL', { userId })
      .groupBy('t.category')
      .getRawMany();
    return {
      groups: groups.map((g) => ({ completed: Number(g.completed), priority: Number(g.priority), count: Number(g.count) })),
      categories: categories.map((c) => ({ category: c.category, count: Number(c.count) })),
    };
  }

  /** Todos not completed whose due date is before `now`: a range of ix_todos_list. */
  async overdueCount(userId: string, now: Date): Promise<number> {
    const rows = await this.overdue.run<{ count: string | number }[]>(this.manager, { userId, now: sqlTime(now) });
    return Number(rows[0]?.count ?? 0);
  }
}
