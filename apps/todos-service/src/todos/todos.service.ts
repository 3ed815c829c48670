// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import type { AccessRole } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, ReadCache, withClient } from '@micronote/events';
import type { todosV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import {
  checkUserId,
  CLOCK,
  createOnce,
  cursorCodec,
  deleteAllOf,
  importKeyOf,
  importRows,
  inIdOrder,
  isId,
  isSqlTime,
  keysetPage,
  pageSize,
  requestKeyOf,
  sqlTime,
  sqlTimeOrNull,
} from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { TodoListErrors } from '../todo-lists/todo-lists.errors';
import { TodoListsService } from '../todo-lists/todo-lists.service';
import { checkCategory, checkPriority, checkText, DEFAULT_PRIORITY, parseInstant, PRIORITY_NAMES } from './todo-input';
import { TodoErrors } from './todos.errors';
import type { ListAfter, ListQuery, NewTodoRow, TodoRow } from './todos.repository';
import { TodosRepository, toTodo } from './todos.repository';
// jscpd:ignore-end

const CACHE_SCOPE = CacheScope.Todos;
const CURSOR_KIND = 't';
const EXPORT_BATCH = 500;

/** A list cursor: [completed, due date (DATETIME literal) or null, created_at (DATETIME literal), id]. */
function isListAfter(values: unknown[]): values is [boolean, string | null, string, string] {
  const [completed, dueDate, createdAt, id] = values;
  return (
    values.length === 4 && typeof completed === 'boolean' && (dueDate === null || isSqlTime(dueDate)) && isSqlTime(createdAt) && isId(id)
  );
}

/** What a todo adds to a list page: its text (at most 4 bytes a character) plus room for the other fields. */
const pageBytes = (row: TodoRow) => row.text.length * 4 + 300;

const listCursor = (last: TodoRow) =>
  cursorCodec.encode(CURSOR_KIND, [
    Boolean(Number(last.completed)),
    sqlTimeOrNull(last.due_date),
    sqlTime(last.created_at),
    String(last.id),
  ]);

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

@Injectable()
export class TodosService {
  // jscpd:ignore-start -- constructor injection: the same collaborators in both twins
  constructor(
    private readonly repo: TodosRepository,
    private readonly cache: ReadCache,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lists: TodoListsService,
  ) {}
  // jscpd:ignore-end

  /**
   * The todo and the caller's role in it: 'owner' for their own, the list role for a todo in a
   * list shared with them (accepted); NOT_FOUND otherwise; a role below `needed` is 403.
   */
  private async access(
    userId: string,
    id: string,
    needed: AccessRole,
    manager?: EntityManager,
  ): Promise<{ row: TodoRow; role: AccessRole }> {
    const row = isId(id) ? await this.repo.findAnyUser(id, manager, manager !== undefined) : undefined;
    if (!row) throw TodoErrors.notFound();
    if (String(row.user_id) === userId) return { row, role: 'owner' };
    if (row.list_id === null) throw TodoErrors.notFound();
    const role = await this.lists.roleOf(userId, String(row.list_id), manager);
    if (!role) throw TodoErrors.notFound();
    if (role === 'viewer' && needed !== 'viewer') throw TodoListErrors.insufficientRole(needed);
    if (role === 'editor' && needed === 'owner') throw TodoListErrors.insufficientRole(needed);
    return { row, role };
  }

  /** Who hears of a change of this todo: its owner, and the accepted members of its list(s). */
  private async audience(ownerId: string, ...listIds: (string | null)[]): Promise<string[]> {
    const receivers = new Set([ownerId]);
    for (const listId of new Set(listIds)) {
      if (listId === null) continue;
      const list = await this.lists.findList(String(listId));
      if (list) for (const id of await this.lists.audience(list)) receivers.add(id);
    }
    return [...receivers];
  }

  async create(request: todosV1.CreateTodoRequest): Promise<todosV1.Todo> {
    const callerId = checkUserId(request.userId);
    // In a list: the owner's or an editor's; the todo is the list owner's (quota, export).
    const list = request.listId ? (await this.lists.access(callerId, request.listId, 'editor')).list : undefined;
    const userId = list ? String(list.user_id) : callerId;
    const now = this.clock.now();
    const row: NewTodoRow = {
      text: checkText(request.text),
      completed: 0,
      priority: request.priority ? checkPriority(request.priority) : DEFAULT_PRIORITY,
      due_date: request.dueDate !== undefined ? parseInstant(request.dueDate, 'dueDate') : null,
      category: checkCategory(request.category),
      completed_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
      list_id: list ? String(list.id) : null,
      created_by: callerId,
      completed_by: null,
    };
    // With an Idempotency-Key a repeated create returns the todo the first one made (see notes-service).
    const requestKey = requestKeyOf(request.idempotencyKey);
    // The todo and its place in the user's quota commit together; over quota, neither does.
    const created = await createOnce(this.repo, userId, requestKey, async (manager) => {
      const todoId = await this.repo.insert(userId, row, requestKey, manager);
      if (todoId !== null) await this.repo.usage.add(userId, { items: 1, bytes: 0 }, manager);
      return todoId;
    });
    if ('earlier' in created) return toTodo(created.earlier);
    const { id } = created;
    const todo = toTodo({ ...row, id, user_id: userId });
    await this.feed.changedFor(CACHE_SCOPE, await this.audience(userId, row.list_id), {
      type: 'TODO_CREATED',
      todoId: id,
      todo,
      ...withClient(request.clientId),
    });
    return todo;
  }

  async get(userId: string, id: string): Promise<todosV1.Todo> {
    checkUserId(userId);
    return toTodo((await this.access(userId, id, 'viewer')).row);
  }

  /**
   * A partial update. A stale `version` is a conflict (with the stored todo); a change bumps the
   * version by one and sets updatedAt; an update that changes nothing changes nothing.
   * `completedAt` is set when `completed` turns true and cleared when it turns false.
   */
  async update(request: todosV1.UpdateTodoRequest): Promise<todosV1.Todo> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    if (request.listId !== undefined && request.listId !== '' && !isId(request.listId))
      throw TodoErrors.invalid('listId must be a list id or empty');
    // Input is checked before anything is locked.
    const text = request.text !== undefined ? checkText(request.text) : undefined;
    const priority = request.priority !== undefined ? checkPriority(request.priority) : undefined;
    const dueDate = request.dueDate && (request.dueDate.value !== undefined ? parseInstant(request.dueDate.value, 'dueDate') : null);
    const category = request.category && checkCategory(request.category.value);
    const { todo, changed, completedNow, ownerId, lists } = await this.repo.transaction(async (manager) => {
      // Moving between lists is the owner's; editing and completing, an editor's too.
      const { row } = await this.access(userId, request.id, request.listId !== undefined ? 'owner' : 'editor', manager);
      const ownerId = String(row.user_id);
      if (request.version !== undefined && request.version !== Number(row.version)) throw TodoErrors.versionConflict(toTodo(row));
      const next: TodoRow = { ...row, completed: Number(row.completed), priority: Number(row.priority), version: Number(row.version) };
      if (text !== undefined) next.text = text;
      if (priority !== undefined) next.priority = priority;
      if (dueDate !== undefined) next.due_date = dueDate;
      if (category !== undefined) next.category = category;
      if (request.completed !== undefined) next.completed = request.completed ? 1 : 0;
      if (request.listId !== undefined) {
        // Only into a list of the todo's owner (the caller, here).
        next.list_id = request.listId === '' ? null : String((await this.lists.access(userId, request.listId, 'owner', manager)).list.id);
      }
      const completedChanged = next.completed !== Number(row.completed);
      const isChanged =
        completedChanged ||
        (next.list_id === null ? null : String(next.list_id)) !== (row.list_id === null ? null : String(row.list_id)) ||
        next.text !== row.text ||
        next.priority !== Number(row.priority) ||
        next.category !== row.category ||
        !sameTime(next.due_date, row.due_date);
      const lists = [row.list_id, next.list_id];
      if (!isChanged) return { todo: toTodo(row), changed: false, completedNow: false, ownerId, lists };
      const now = this.clock.now();
      if (completedChanged) {
        next.completed_at = next.completed ? now : null;
        next.completed_by = next.completed ? userId : null;
      }
      next.version = Number(row.version) + 1;
      next.updated_at = now;
      await this.repo.update(ownerId, next, manager);
      return { todo: toTodo(next), changed: true, completedNow: completedChanged && next.completed === 1, ownerId, lists };
    });
    if (changed) {
      await this.feed.changedFor(CACHE_SCOPE, await this.audience(ownerId, ...lists), {
        type: completedNow ? 'TODO_COMPLETED' : 'TODO_UPDATED',
        todoId: todo.id,
        todo,
        ...withClient(request.clientId),
      });
    }
    return todo;
  }

  /** Gone for good; NOT_FOUND when it does not exist or is not the caller's. */
  async delete(request: todosV1.DeleteTodoRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    const row = await this.repo.transaction(async (manager) => {
      const { row } = await this.access(userId, request.id, 'editor', manager);
      if (!(await this.repo.deleteTodo(String(row.user_id), request.id, manager))) throw TodoErrors.notFound();
      return row;
    });
    await this.feed.changedFor(CACHE_SCOPE, await this.audience(String(row.user_id), row.list_id), {
      type: 'TODO_DELETED',
      todoId: request.id,
      ...withClient(request.clientId),
    });
  }

  /**
   * A page in list order (not completed first, then due date soonest first with none last, then
   * newest). Cached, except with the `overdue` filter, whose answer changes with the clock alone.
   */
  async list(request: todosV1.ListTodosRequest): Promise<todosV1.ListTodosResponse> {
    const callerId = checkUserId(request.userId);
    // A list's todos for any of its members; else the caller's own todos (their lists' included).
    const list = request.listId ? (await this.lists.access(callerId, request.listId, 'viewer')).list : undefined;
    const userId = list ? String(list.user_id) : callerId;
    const limit = pageSize(request.limit, TODO_LIMITS.pageSize);
    const priority = request.priority ? checkPriority(request.priority) : undefined;
    const category = request.category ? (checkCategory(request.category) as string) : undefined;
    const dueBefore = request.dueBefore ? parseInstant(request.dueBefore, 'dueBefore') : undefined;
    const dueAfter = request.dueAfter ? parseInstant(request.dueAfter, 'dueAfter') : undefined;
    const values = request.cursor ? cursorCodec.decode(CURSOR_KIND, request.cursor, isListAfter) : undefined;
    const after: ListAfter | undefined = values && { completed: values[0], dueDate: values[1], createdAt: values[2], id: values[3] };
    const query: ListQuery = {
      userId,
      listId: list ? String(list.id) : undefined,
      completed: request.completed,
      priority,
      category,
      dueBefore,
      dueAfter,
      overdue: request.overdue,
      now: this.clock.now(),
      limit: limit + 1,
      after,
    };
    const rows = await this.repo.list(query);
    // Capped by bytes too, as notes are (PAGE_MAX_BYTES), though 100 todos are far below it.
    // List pages are cached at the gateway (the edge), under this service's cache version.
    return keysetPage(rows, limit, { sizeOf: pageBytes, toItem: toTodo, cursorAfter: listCursor });
  }

  /**
   * The counts are cached; the overdue count, which changes with the clock alone, is a fresh
   * range count of ix_todos_list on every call.
   */
  async stats(userId: string): Promise<todosV1.TodoStats> {
    checkUserId(userId);
    const [counts, overdueNow] = await Promise.all([
      this.cache.read(CACHE_SCOPE, userId, ['stats'], () => this.repo.statsCounts(userId)),
      this.repo.overdueCount(userId, this.clock.now()),
    ]);
    const byPriority = { low: 0, medium: 0, high: 0 };
    let total = 0;
    let completed = 0;
    for (const group of counts.groups) {
      total += group.count;
      if (group.completed) completed += group.count;
      const name = PRIORITY_NAMES[group.priority];
      if (name) byPriority[name] += group.count;
    }
    const byCategory: Record<string, number> = {};
    for (const { category, count } of counts.categories) byCategory[category] = count;
    const pending = total - completed;
    return {
      total,
      completed,
      pending,
      // A cached count can trail a concurrent write by a moment; overdue todos are pending ones.
      overdue: Math.min(overdueNow, pending),
      completionRate: total === 0 ? 0 : completed / total,
      byPriority,
      byCategory,
    };
  }

  /** Every todo of the user, in batches, oldest id first. */
  async *export(userId: string): AsyncGenerator<todosV1.Todo> {
    checkUserId(userId);
    yield* inIdOrder((afterId, limit) => this.repo.exportBatch(userId, afterId, limit), toTodo, EXPORT_BATCH);
  }

  /**
   * Imports exported todos. A todo is skipped when this user already has it: imported before
   * (same source id and creation time) or the very todo the document was exported from.
   * Quota and batches as in notes-service: over quota the import is refused whole; the new todos
   * are written IMPORT_BATCH_ROWS per transaction, each batch announced after its commit; a
   * failed batch leaves the earlier ones, and the same import run again adds the rest.
   */
  async import(request: todosV1.ImportTodosRequest): Promise<todosV1.ImportTodosResponse> {
    const userId = checkUserId(request.userId);
    const prepared = request.todos.map((todo) => {
      if (!todo.id || todo.id.length > 40) throw TodoErrors.invalid('every imported todo needs its id (at most 40 characters)');
      const createdAt = parseInstant(todo.createdAt, 'createdAt');
      const updatedAt = todo.updatedAt ? parseInstant(todo.updatedAt, 'updatedAt') : createdAt;
      const completed = Boolean(todo.completed);
      const row: NewTodoRow = {
        text: checkText(todo.text),
        completed: completed ? 1 : 0,
        priority: todo.priority ? checkPriority(todo.priority) : DEFAULT_PRIORITY,
        due_date: todo.dueDate ? parseInstant(todo.dueDate, 'dueDate') : null,
        category: todo.category ? checkCategory(todo.category) : null,
        completed_at: completed ? (todo.completedAt ? parseInstant(todo.completedAt, 'completedAt') : updatedAt) : null,
        version: 1,
        created_at: createdAt,
        updated_at: updatedAt,
        // Imported todos are in no list (the lists are not part of an export).
        list_id: null,
        created_by: userId,
        completed_by: null,
      };
      // A todo is at most 230 characters: the item quota bounds the bytes (no byte quota).
      return { key: importKeyOf(todo.id, createdAt), sourceId: todo.id, row, bytes: 0 };
    });
    return importRows(this.repo, userId, prepared, {
      sizeOf: (item) => item.row.text.length + 100,
      insert: (batch, manager) => this.repo.insertImported(userId, batch, manager),
      toMessage: toTodo,
      committed: async (todos) => {
        const events = todos.map((todo) => ({ type: 'TODO_CREATED' as const, userId, todoId: todo.id, todo }));
        await this.feed.changed(CACHE_SCOPE, userId, ...events);
      },
    });
  }

  /** Removes every todo of the user (account deletion); safe to repeat. */
  async deleteAllOfUser(userId: string): Promise<number> {
    checkUserId(userId);
    // First the memberships and the lists (with their members and todos), then the rest of the todos.
    await this.lists.deleteAllOfUser(userId);
    return deleteAllOf(this.repo, userId, () => this.cache.invalidate(CACHE_SCOPE, userId));
  }
}
