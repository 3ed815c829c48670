// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import type { todosV1 } from '@micronote/proto';
import type { BoundQuery, ColumnValues } from '@micronote/server-data';
import {
  inChunks,
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
import { TodoCompletionEntity, TodoEntity } from './todo.entity';
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
  all_day: number;
  /** The todo this one is a subtask of, or null. */
  parent_id: string | null;
  /** Fractional index among its siblings (same user_id and parent_id). */
  position: string;
  /** The RRULE, its DTSTART and the zone of its wall clock (all null: it does not repeat). */
  recurrence: string | null;
  recurrence_start: Date | null;
  recurrence_zone: string | null;
  /** The reminder: its time, state (see ReminderState) and number (`<id>:<seq>` names it). */
  remind_at: Date | null;
  reminder_state: number;
  reminder_seq: number;
}

/** `reminder_state`: waiting for its time, fired, or over without firing (completed first). */
export const ReminderState = { Pending: 0, Fired: 1, Over: 2 } as const;

/** A todo_completions row as mysql2 returns it. */
export interface CompletionRow {
  id: string;
  due_date: Date | null;
  completed_at: Date;
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
  'all_day',
  'parent_id',
  'position',
  'recurrence',
  'recurrence_start',
  'recurrence_zone',
  'remind_at',
  'reminder_state',
  'reminder_seq',
];

export const TodoUsageEntity = usageEntity('todo_usage');

/** The entities of todos-service's database. */
export const TODO_ENTITIES = [TodoEntity, TodoCompletionEntity, TodoUsageEntity, TodoListEntity, TodoListMemberEntity];

const idOrUndefined = (id: string | number | null | undefined) => (id === null || id === undefined ? undefined : String(id));

/** A todo's subtasks: how many, how many completed. */
export interface SubtaskCounts {
  total: number;
  completed: number;
}

const NO_SUBTASKS: SubtaskCounts = { total: 0, completed: 0 };

export function toTodo(row: TodoRow, subtasks: SubtaskCounts = NO_SUBTASKS): todosV1.Todo {
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
    allDay: Boolean(Number(row.all_day)),
    parentId: idOrUndefined(row.parent_id),
    position: row.position,
    subtasksTotal: subtasks.total,
    subtasksCompleted: subtasks.completed,
    recurrence: row.recurrence ?? undefined,
    remindAt: isoOrUndefined(row.remind_at),
  };
}

/** The siblings a todo is ordered among: its owner's todos with the same parent (0: top-level). */
export interface Siblings {
  userId: string;
  parentKey: string;
}

export const siblingsOf = (row: Pick<TodoRow, 'user_id' | 'parent_id'>): Siblings => ({
  userId: String(row.user_id),
  parentKey: row.parent_id === null ? '0' : String(row.parent_id),
});

/** Where a page starts: after the sort key (completed, due date or null, created_at, id) of the last todo seen. */
export interface ListAfter {
  completed: boolean;
  /** DATETIME(3) literal, or null for "no due date". */
  dueDate: string | null;
  /** DATETIME(3) literal. */
  createdAt: string;
  id: string;
}

/** Where an `order=manual` page starts: after this (position, id). */
export interface ManualAfter {
  position: string;
  id: string;
}

/** The due-date ranges of `view=today|upcoming` and of "overdue" (see todo-days.ts). */
export interface DueWindow {
  /** Timed todos due in [from, to); all-day todos whose date (00:00Z) is in [fromDate, toDate). */
  from?: Date;
  to: Date;
  fromDate?: Date;
  toDate: Date;
}

export interface ListQuery {
  userId: string;
  /** The subtasks of this todo ('0': the top-level todos). */
  parentKey: string;
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
  /** The start of the user's day as a date (00:00Z of it): all-day todos before it are overdue. */
  today: Date;
  /** Open todos due in this window only (a view). */
  window?: DueWindow;
  limit: number;
  after?: ListAfter;
  /** `order=manual`: by (position, id), starting after this. */
  manual?: { after?: ManualAfter };
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
    all_day: row.all_day,
    parent_id: row.parent_id,
    position: row.position,
    recurrence: row.recurrence,
    recurrence_start: sqlTimeOrNull(row.recurrence_start),
    recurrence_zone: row.recurrence_zone,
    remind_at: sqlTimeOrNull(row.remind_at),
    reminder_state: row.reminder_state,
    reminder_seq: row.reminder_seq,
  };
}

/** Overdue: open, due, and past `now` (timed) or before the user's today (all-day). */
const OVERDUE = 't.completed = 0 AND t.no_due = 0 AND ((t.all_day = 0 AND t.due_date < :now) OR (t.all_day = 1 AND t.due_date < :today))';
const NOT_OVERDUE =
  '(t.completed = 1 OR t.no_due = 1 OR (t.all_day = 0 AND t.due_date >= :now) OR (t.all_day = 1 AND t.due_date >= :today))';

/** Rows per UPDATE of a renumbering. */
const POSITION_BATCH = 500;

/** A sibling's place in the manual order. */
export interface PositionRow {
  id: string;
  position: string;
}

function windowValues(window: DueWindow) {
  const windowStart = window.from && window.fromDate && (window.from < window.fromDate ? window.from : window.fromDate);
  const windowEnd = window.to > window.toDate ? window.to : window.toDate;
  return {
    from: window.from && sqlTime(window.from),
    fromDate: window.fromDate && sqlTime(window.fromDate),
    to: sqlTime(window.to),
    toDate: sqlTime(window.toDate),
    windowStart: windowStart && sqlTime(windowStart),
    windowEnd: sqlTime(windowEnd),
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
  private readonly lastSibling: Prepared;
  private readonly firstSibling: Prepared;
  private readonly siblingAfter: Prepared;
  private readonly siblingBefore: Prepared;
  private readonly allSiblings: Prepared;
  private readonly subtasksOf: Prepared;
  private readonly lockSubtasksOf: Prepared;
  private readonly insertCompletion: Prepared;
  private readonly completionsFirst: Prepared;
  private readonly completionsBefore: Prepared;
  private readonly countCompletions: Prepared;

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
          'all_day',
          'parent_id',
          'position',
          'recurrence',
          'recurrence_start',
          'recurrence_zone',
          'remind_at',
          'reminder_state',
          'reminder_seq',
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
        .where(`t.user_id = :userId AND t.parent_key = 0 AND ${OVERDUE}`),
    );
    const siblings = () =>
      this.dataSource
        .createQueryBuilder()
        .select('t.id', 'id')
        .addSelect('t.position', 'position')
        .from(TodoEntity, 't')
        .useIndex('ix_todos_manual')
        .where('t.user_id = :userId AND t.parent_key = :parentKey');
    this.lastSibling = new Prepared(siblings().orderBy('t.position', 'DESC').addOrderBy('t.id', 'DESC'), { limit: true });
    this.firstSibling = new Prepared(siblings().orderBy('t.position', 'ASC').addOrderBy('t.id', 'ASC'), { limit: true });
    this.siblingAfter = new Prepared(siblings().andWhere('t.position > :position').orderBy('t.position', 'ASC').addOrderBy('t.id', 'ASC'), {
      limit: true,
    });
    this.siblingBefore = new Prepared(
      siblings().andWhere('t.position < :position').orderBy('t.position', 'DESC').addOrderBy('t.id', 'DESC'),
      { limit: true },
    );
    this.allSiblings = new Prepared(siblings().orderBy('t.position', 'ASC').addOrderBy('t.id', 'ASC'));
    const subtasks = () => this.select('t').useIndex('ix_todos_parent').where('t.parent_id = :parentId');
    this.subtasksOf = new Prepared(subtasks());
    this.lockSubtasksOf = new Prepared(subtasks().setLock('pessimistic_write'));
    this.insertCompletion = new Prepared(
      this.dataSource
        .createQueryBuilder()
        .insert()
        .into(TodoCompletionEntity)
        .values({
          todoId: () => ':todoId',
          userId: () => ':userId',
          dueDate: () => ':dueDate',
          completedAt: () => ':completedAt',
          completedBy: () => ':completedBy',
        })
        .updateEntity(false),
    );
    const completions = () =>
      this.dataSource
        .createQueryBuilder()
        .select('c.id', 'id')
        .addSelect('c.due_date', 'due_date')
        .addSelect('c.completed_at', 'completed_at')
        .addSelect('c.completed_by', 'completed_by')
        .from(TodoCompletionEntity, 'c')
        .where('c.todo_id = :todoId');
    this.completionsFirst = new Prepared(completions().orderBy('c.id', 'DESC'), { limit: true });
    this.completionsBefore = new Prepared(completions().andWhere('c.id < :beforeId').orderBy('c.id', 'DESC'), { limit: true });
    this.countCompletions = new Prepared(
      this.dataSource.createQueryBuilder().select('COUNT(*)', 'count').from(TodoCompletionEntity, 'c').where('c.user_id = :userId'),
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

  /**
   * One keyset page, filters applied while scanning: in list order over ix_todos_list (or
   * ix_todos_in_list for one list), or with `manual` by (position, id) over ix_todos_manual.
   */
  listSql(query: ListQuery): BoundQuery {
    const has = {
      completed: query.completed !== undefined,
      priority: query.priority !== undefined,
      category: query.category !== undefined,
      dueBefore: query.dueBefore !== undefined,
      dueAfter: query.dueAfter !== undefined,
      listId: query.listId !== undefined,
      window: query.window !== undefined,
      windowFrom: query.window?.from !== undefined,
    };
    const overdue = query.overdue === undefined ? 'u' : query.overdue ? 't' : 'f';
    const after = query.manual ? (query.manual.after ? 'M' : 'm') : !query.after ? 'u' : query.after.dueDate === null ? 'n' : 'd';
    const key = `${Object.values(has).map(Number).join('')}${overdue}${after}`;
    const manual = query.manual !== undefined;
    return this.keysetQuery(
      key,
      () => {
        // One list's todos: a range of ix_todos_in_list, in the same order.
        const builder = has.listId
          ? this.select('t')
              .useIndex(manual ? 'ix_todos_manual' : 'ix_todos_in_list')
              .where('t.list_id = :listId AND t.user_id = :userId AND t.parent_key = :parentKey')
          : this.select('t')
              .useIndex(manual ? 'ix_todos_manual' : 'ix_todos_list')
              .where('t.user_id = :userId AND t.parent_key = :parentKey');
        if (has.completed) builder.andWhere('t.completed = :completed');
        if (has.priority) builder.andWhere('t.priority = :priority');
        if (has.category) builder.andWhere('t.category = :category');
        if (has.dueBefore) builder.andWhere('t.due_date < :dueBefore');
        if (has.dueAfter) builder.andWhere('t.due_date >= :dueAfter');
        if (has.window) {
          // Open and due in the window; the outer bounds keep it one range of the index.
          builder.andWhere('t.completed = 0 AND t.no_due = 0 AND t.due_date < :windowEnd');
          if (has.windowFrom) {
            builder.andWhere('t.due_date >= :windowStart');
            builder.andWhere(
              '((t.all_day = 0 AND t.due_date >= :from AND t.due_date < :to) OR (t.all_day = 1 AND t.due_date >= :fromDate AND t.due_date < :toDate))',
            );
          } else builder.andWhere('((t.all_day = 0 AND t.due_date < :to) OR (t.all_day = 1 AND t.due_date < :toDate))');
        }
        if (overdue === 't') builder.andWhere(OVERDUE);
        if (overdue === 'f') builder.andWhere(NOT_OVERDUE);
        if (after === 'M') builder.andWhere('t.position >= :position AND (t.position > :position OR t.id > :id)');
        if (after === 'n') builder.andWhere(`(t.completed > :c OR (t.completed = :c AND t.no_due = 1 AND ${NEWER_FIRST}))`);
        if (after === 'd')
          builder.andWhere(
            `(t.completed > :c OR (t.completed = :c AND (t.no_due = 1 OR (t.no_due = 0 AND (t.due_date > :dueDate OR (t.due_date = :dueDate AND ${NEWER_FIRST}))))))`,
          );
        if (manual) {
          builder.orderBy('t.position', 'ASC').addOrderBy('t.id', 'ASC');
          // FORCE, not USE (TypeORM writes only USE INDEX): with USE, MariaDB reads a deep page at
          // 1M todos as a `ref` on (user_id, parent_key) from the user's first entry and filters
          // (P17: 1,202 pages for 21 rows, 8.7x the 1k user's time); forced, it is a range on all
          // four key parts (90 pages).
          return { getQuery: () => builder.getQuery().replace(/\bUSE INDEX\b/, 'FORCE INDEX') };
        }
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
        parentKey: query.parentKey,
        listId: query.listId,
        completed: query.completed ? 1 : 0,
        priority: query.priority,
        category: query.category,
        dueBefore: query.dueBefore && sqlTime(query.dueBefore),
        dueAfter: query.dueAfter && sqlTime(query.dueAfter),
        now: sqlTime(query.now),
        today: sqlTime(query.today),
        ...(query.window && windowValues(query.window)),
        c: query.after?.completed ? 1 : 0,
        dueDate: query.after?.dueDate ?? undefined,
        createdAt: query.after?.createdAt,
        id: query.manual?.after?.id ?? query.after?.id,
        position: query.manual?.after?.position,
        limit: query.limit,
      },
    );
  }

  /** The last / first of the siblings in position order (undefined: there are none). */
  async edgeSibling(siblings: Siblings, edge: 'first' | 'last', manager: EntityManager): Promise<PositionRow | undefined> {
    const rows = await (edge === 'last' ? this.lastSibling : this.firstSibling).run<PositionRow[]>(manager, { ...siblings, limit: 1 });
    return rows[0];
  }

  /** The nearest sibling strictly after / before `position`. */
  async siblingBeside(
    siblings: Siblings,
    position: string,
    side: 'after' | 'before',
    manager: EntityManager,
  ): Promise<PositionRow | undefined> {
    const statement = side === 'after' ? this.siblingAfter : this.siblingBefore;
    const rows = await statement.run<PositionRow[]>(manager, { ...siblings, position, limit: 1 });
    return rows[0];
  }

  /** Every sibling in position order (a renumbering). */
  siblingsInOrder(siblings: Siblings, manager: EntityManager): Promise<PositionRow[]> {
    return this.allSiblings.run(manager, siblings);
  }

  /** Sets positions by id, in batches (a renumbering; versions stay: the order is not the todos' content). */
  async setPositions(positions: readonly { id: string; position: string }[], manager: EntityManager): Promise<void> {
    for (let start = 0; start < positions.length; start += POSITION_BATCH) {
      const batch = positions.slice(start, start + POSITION_BATCH);
      const cases = batch.map(() => 'WHEN ? THEN ?').join(' ');
      await manager.query(`UPDATE todos SET position = CASE id ${cases} END WHERE id IN (${batch.map(() => '?').join(', ')})`, [
        ...batch.flatMap((p) => [p.id, p.position]),
        ...batch.map((p) => p.id),
      ]);
    }
  }

  /** Records a completed occurrence of a recurring todo (inside the completion's transaction). */
  async addCompletion(
    todo: Pick<TodoRow, 'id' | 'user_id' | 'due_date'>,
    completedAt: Date,
    completedBy: string,
    manager: EntityManager,
  ): Promise<void> {
    await this.insertCompletion.run(manager, {
      todoId: todo.id,
      userId: todo.user_id,
      dueDate: sqlTimeOrNull(todo.due_date),
      completedAt: sqlTime(completedAt),
      completedBy,
    });
  }

  /** A todo's completions, newest first, after the completion `beforeId` (a keyset page of ix_todo_completions_todo). */
  completions(todoId: string, beforeId: string | undefined, limit: number): Promise<CompletionRow[]> {
    return (beforeId ? this.completionsBefore : this.completionsFirst).run(this.manager, { todoId, beforeId, limit });
  }

  /** How many occurrences of the user's recurring todos were completed (the stats count them). */
  async completionCount(userId: string): Promise<number> {
    const rows = await this.countCompletions.run<{ count: string | number }[]>(this.manager, { userId });
    return Number(rows[0]?.count ?? 0);
  }

  /** A todo's subtasks (locked inside a transaction when `lock`). */
  subtasks(parentId: string, manager: EntityManager = this.manager, lock = false): Promise<TodoRow[]> {
    return (lock ? this.lockSubtasksOf : this.subtasksOf).run(manager, { parentId });
  }

  /** The subtask counts of these todos (absent: none), in one grouped range read of ix_todos_parent. */
  async subtaskCounts(parentIds: readonly string[], manager: EntityManager = this.manager): Promise<Map<string, SubtaskCounts>> {
    const counts = new Map<string, SubtaskCounts>();
    if (parentIds.length === 0) return counts;
    const [sql, params] = this.dataSource
      .createQueryBuilder()
      .select('t.parent_id', 'parent_id')
      .addSelect('COUNT(*)', 'total')
      .addSelect('SUM(t.completed)', 'done')
      .from(TodoEntity, 't')
      .useIndex('ix_todos_parent')
      .where('t.parent_id IN (:...parentIds)', { parentIds })
      .groupBy('t.parent_id')
      .getQueryAndParameters();
    const rows: { parent_id: string; total: string | number; done: string | number }[] = await manager.query(sql, params);
    for (const row of rows) counts.set(String(row.parent_id), { total: Number(row.total), completed: Number(row.done) });
    return counts;
  }

  /**
   * Up to `limit` todos whose pending reminder is due at `now`, soonest first, locked for the
   * caller's transaction; rows another transaction holds (another scheduler's claim, or a write to
   * the todo in flight) are skipped, not waited for. A range scan of ix_todos_reminder_due.
   */
  async claimDueReminders(now: Date, limit: number, manager: EntityManager): Promise<TodoRow[]> {
    const columns = TODO_COLUMNS.map((column) => `t.${column}`).join(', ');
    return manager.query(
      `SELECT ${columns} FROM todos t FORCE INDEX (ix_todos_reminder_due)
       WHERE t.reminder_due <= ? ORDER BY t.reminder_due, t.id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [sqlTime(now), limit],
    );
  }

  /** Records that these reminders fired (rows the caller's transaction claimed: by primary key, nothing else is touched). */
  async markRemindersFired(rows: readonly Pick<TodoRow, 'id'>[], manager: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(`UPDATE todos SET reminder_state = ${ReminderState.Fired} WHERE id IN (${rows.map(() => '?').join(', ')})`, [
      ...rows.map((row) => row.id),
    ]);
  }

  /** Of the user's imported todos under these import keys, the ids of those that can have subtasks (top-level, in no list), by key. */
  async importedParents(userId: string, keys: readonly string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const chunk of inChunks(keys)) {
      const rows: { id: string | number; import_key: string }[] = await this.dataSource
        .createQueryBuilder()
        .select('t.id', 'id')
        .addSelect('t.import_key', 'import_key')
        .from(TodoEntity, 't')
        .where('t.user_id = :userId AND t.import_key IN (:...chunk) AND t.parent_id IS NULL AND t.list_id IS NULL', { userId, chunk })
        .getRawMany();
      rows.forEach((row) => ids.set(row.import_key, String(row.id)));
    }
    return ids;
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
      .where('t.user_id = :userId AND t.parent_key = 0', { userId })
      .groupBy('t.completed')
      .addGroupBy('t.priority')
      .getRawMany();
    const categories: { category: string; count: string | number }[] = await this.dataSource
      .createQueryBuilder()
      .select('MIN(t.category COLLATE utf8mb4_bin)', 'category')
      .addSelect('COUNT(*)', 'count')
      .from(TodoEntity, 't')
      .where('t.user_id = :userId AND t.parent_key = 0 AND t.category IS NOT NULL', { userId })
      .groupBy('t.category')
      .getRawMany();
    return {
      groups: groups.map((g) => ({ completed: Number(g.completed), priority: Number(g.priority), count: Number(g.count) })),
      categories: categories.map((c) => ({ category: c.category, count: Number(c.count) })),
    };
  }

  /** Top-level todos not completed whose due time has passed (all-day: whose date is before `today`): a range of ix_todos_list. */
  async overdueCount(userId: string, now: Date, today: Date): Promise<number> {
    const rows = await this.overdue.run<{ count: string | number }[]>(this.manager, { userId, now: sqlTime(now), today: sqlTime(today) });
    return Number(rows[0]?.count ?? 0);
  }
}
