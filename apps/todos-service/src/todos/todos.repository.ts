import type { todosV1 } from '@micronote/proto';
import { UsageQuota } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';

import type { Env } from '../config/env.validation';
import { priorityName } from './todo-input';
import { TodoErrors } from './todos.errors';

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
}

/** What a new todo is made of (the id comes from the insert). */
export type NewTodoRow = Omit<TodoRow, 'id' | 'user_id'>;

export const TODO_COLUMNS = 'id, user_id, text, completed, priority, due_date, category, completed_at, version, created_at, updated_at';

/** The list order, which is the order of ix_todos_list. */
export const LIST_ORDER = 'completed ASC, no_due ASC, due_date ASC, created_at DESC, id DESC';

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** DATETIME(3) literal of a Date, in UTC (the connection's time zone). */
export function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function toTodo(row: TodoRow): todosV1.Todo {
  return {
    id: String(row.id),
    text: row.text,
    completed: Boolean(Number(row.completed)),
    priority: priorityName(Number(row.priority)),
    dueDate: row.due_date ? row.due_date.toISOString() : undefined,
    category: row.category ?? undefined,
    completedAt: row.completed_at ? row.completed_at.toISOString() : undefined,
    version: Number(row.version),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
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

/** The columns an insert writes, and the placeholders of one row: one definition for single and batch inserts. */
const INSERT_COLUMNS =
  '(user_id, text, completed, priority, due_date, category, completed_at, version, created_at, updated_at, import_key)';
const INSERT_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function insertValues(userId: string, row: NewTodoRow, importKey: string | null): unknown[] {
  return [
    userId,
    row.text,
    row.completed,
    row.priority,
    row.due_date ? sqlTime(row.due_date) : null,
    row.category,
    row.completed_at ? sqlTime(row.completed_at) : null,
    row.version,
    sqlTime(row.created_at),
    sqlTime(row.updated_at),
    importKey,
  ];
}

/**
 * The SQL of todos-service. Every list is a keyset page over ix_todos_list (a range scan in
 * index order: no OFFSET, no filesort), whatever the filters.
 */
@Injectable()
export class TodosRepository {
  /** The per-user todo count quota (todo_usage), changed by every create, import and delete in its transaction. */
  readonly usage: UsageQuota;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Env, true>,
  ) {
    const items = config.get('MAX_TODOS_PER_USER', { infer: true });
    this.usage = new UsageQuota('todo_usage', { items }, () => TodoErrors.tooManyTodos(items));
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The todo an earlier create with the same request key (see requestKeyOf) made, if any. */
  async findByImportKey(userId: string, importKey: string): Promise<TodoRow | undefined> {
    const rows: TodoRow[] = await this.dataSource.query(`SELECT ${TODO_COLUMNS} FROM todos WHERE user_id = ? AND import_key = ?`, [
      userId,
      importKey,
    ]);
    return rows[0];
  }

  async find(userId: string, id: string): Promise<TodoRow | undefined> {
    const rows: TodoRow[] = await this.dataSource.query(`SELECT ${TODO_COLUMNS} FROM todos WHERE id = ? AND user_id = ?`, [id, userId]);
    return rows[0];
  }

  async findForUpdate(manager: EntityManager, userId: string, id: string): Promise<TodoRow | undefined> {
    const rows: TodoRow[] = await manager.query(`SELECT ${TODO_COLUMNS} FROM todos WHERE id = ? AND user_id = ? FOR UPDATE`, [id, userId]);
    return rows[0];
  }

  /** One keyset page in list order, filters applied while scanning ix_todos_list. */
  listSql(query: ListQuery): { sql: string; params: unknown[] } {
    const where = ['user_id = ?'];
    const params: unknown[] = [query.userId];
    if (query.completed !== undefined) {
      where.push('completed = ?');
      params.push(query.completed ? 1 : 0);
    }
    if (query.priority !== undefined) {
      where.push('priority = ?');
      params.push(query.priority);
    }
    if (query.category !== undefined) {
      where.push('category = ?');
      params.push(query.category);
    }
    if (query.dueBefore) {
      where.push('due_date < ?');
      params.push(sqlTime(query.dueBefore));
    }
    if (query.dueAfter) {
      where.push('due_date >= ?');
      params.push(sqlTime(query.dueAfter));
    }
    if (query.overdue === true) {
      where.push('completed = 0 AND no_due = 0 AND due_date < ?');
      params.push(sqlTime(query.now));
    } else if (query.overdue === false) {
      where.push('(completed = 1 OR no_due = 1 OR due_date >= ?)');
      params.push(sqlTime(query.now));
    }
    if (query.after) {
      const { completed, dueDate, createdAt, id } = query.after;
      const c = completed ? 1 : 0;
      // Within one (completed, no_due) group: later due dates, then older, then smaller ids.
      const newerFirst = '(created_at < ? OR (created_at = ? AND id < ?))';
      if (dueDate === null) {
        where.push(`(completed > ? OR (completed = ? AND no_due = 1 AND ${newerFirst}))`);
        params.push(c, c, createdAt, createdAt, id);
      } else {
        where.push(
          `(completed > ? OR (completed = ? AND (no_due = 1 OR (no_due = 0 AND (due_date > ? OR (due_date = ? AND ${newerFirst}))))))`,
        );
        params.push(c, c, dueDate, dueDate, createdAt, createdAt, id);
      }
    }
    return {
      sql: `SELECT ${TODO_COLUMNS} FROM todos FORCE INDEX (ix_todos_list) WHERE ${where.join(' AND ')} ORDER BY ${LIST_ORDER} LIMIT ?`,
      params: [...params, query.limit],
    };
  }

  list(query: ListQuery): Promise<TodoRow[]> {
    const { sql, params } = this.listSql(query);
    return this.dataSource.query(sql, params);
  }

  /** Inserts a todo; with an import key, one imported before is skipped (returns null). */
  async insert(
    userId: string,
    todo: NewTodoRow,
    importKey: string | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const result: { insertId: number | string; affectedRows: number } = await manager.query(
      `INSERT ${importKey ? 'IGNORE ' : ''}INTO todos ${INSERT_COLUMNS} VALUES ${INSERT_ROW}`,
      insertValues(userId, todo, importKey),
    );
    return result.affectedRows > 0 ? String(result.insertId) : null;
  }

  /** Inserts imported todos in one statement; one whose import key the user already has is skipped. Returns those inserted. */
  async insertImported(
    manager: EntityManager,
    userId: string,
    todos: { key: string; row: NewTodoRow }[],
  ): Promise<{ id: string; key: string }[]> {
    if (todos.length === 0) return [];
    const inserted: { id: string | number; import_key: string }[] = await manager.query(
      `INSERT IGNORE INTO todos ${INSERT_COLUMNS} VALUES ${todos.map(() => INSERT_ROW).join(', ')} RETURNING id, import_key`,
      todos.flatMap(({ key, row }) => insertValues(userId, row, key)),
    );
    return inserted.map((r) => ({ id: String(r.id), key: r.import_key }));
  }

  async update(manager: EntityManager, row: TodoRow): Promise<void> {
    await manager.query(
      `UPDATE todos SET text = ?, completed = ?, priority = ?, due_date = ?, category = ?, completed_at = ?, version = ?, updated_at = ?
       WHERE id = ? AND user_id = ?`,
      [
        row.text,
        row.completed,
        row.priority,
        row.due_date ? sqlTime(row.due_date) : null,
        row.category,
        row.completed_at ? sqlTime(row.completed_at) : null,
        row.version,
        sqlTime(row.updated_at),
        row.id,
        row.user_id,
      ],
    );
  }

  /** Deletes a todo and gives its place in the quota back, in one transaction; false when there was none. */
  delete(userId: string, id: string): Promise<boolean> {
    return this.transaction(async (manager) => {
      const result: { affectedRows: number } = await manager.query('DELETE FROM todos WHERE id = ? AND user_id = ?', [id, userId]);
      if (result.affectedRows === 0) return false;
      await this.usage.add(manager, userId, { items: -1, bytes: 0 });
      return true;
    });
  }

  /** Counts by (completed, priority) and by category (case-insensitively, as the filter matches; named by the first spelling in binary order). */
  async statsCounts(userId: string): Promise<StatsCounts> {
    const groups: { completed: number; priority: number; count: string | number }[] = await this.dataSource.query(
      'SELECT completed, priority, COUNT(*) AS count FROM todos WHERE user_id = ? GROUP BY completed, priority',
      [userId],
    );
    const categories: { category: string; count: string | number }[] = await this.dataSource.query(
      'SELECT MIN(category COLLATE utf8mb4_bin) AS category, COUNT(*) AS count FROM todos WHERE user_id = ? AND category IS NOT NULL GROUP BY category',
      [userId],
    );
    return {
      groups: groups.map((g) => ({ completed: Number(g.completed), priority: Number(g.priority), count: Number(g.count) })),
      categories: categories.map((c) => ({ category: c.category, count: Number(c.count) })),
    };
  }

  /** Todos not completed whose due date is before `now`: a range of ix_todos_list. */
  async overdueCount(userId: string, now: Date): Promise<number> {
    const rows: { count: string | number }[] = await this.dataSource.query(
      'SELECT COUNT(*) AS count FROM todos FORCE INDEX (ix_todos_list) WHERE user_id = ? AND completed = 0 AND no_due = 0 AND due_date < ?',
      [userId, sqlTime(now)],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** A batch of the user's todos after `afterId`, in id order (exports). */
  exportBatch(userId: string, afterId: string, limit: number): Promise<TodoRow[]> {
    return this.dataSource.query(`SELECT ${TODO_COLUMNS} FROM todos WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?`, [
      userId,
      afterId,
      limit,
    ]);
  }

  /** Which of these import keys / original todos (`<id>:<createdAt ISO>`) the user already has. */
  async existingImports(userId: string, keys: string[], originalIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(keys, 1_000)) {
      const rows: { import_key: string }[] = await this.dataSource.query(
        `SELECT import_key FROM todos WHERE user_id = ? AND import_key IN (${chunk.map(() => '?').join(', ')})`,
        [userId, ...chunk],
      );
      rows.forEach((r) => found.add(r.import_key));
    }
    for (const chunk of chunks(originalIds, 1_000)) {
      const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
        `SELECT id, created_at FROM todos WHERE user_id = ? AND id IN (${chunk.map(() => '?').join(', ')})`,
        [userId, ...chunk],
      );
      rows.forEach((r) => found.add(`${r.id}:${r.created_at.toISOString()}`));
    }
    return found;
  }

  /** Deletes up to `limit` todos of a user; returns how many. Once none are left, their usage row goes too. */
  async deleteUserBatch(userId: string, limit: number): Promise<number> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM todos WHERE user_id = ? LIMIT ?', [userId, limit]);
    if (result.affectedRows === 0) await this.usage.forget(this.dataSource.manager, userId);
    return result.affectedRows;
  }
}
