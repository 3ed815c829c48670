// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import type { AccessRole } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, ReadCache, withClient } from '@micronote/events';
import type { todosV1 } from '@micronote/proto';
import type { Clock, ImportItem, ImportOptions } from '@micronote/server-data';
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
import { checkTimeZone, isDateOnly, startOfUtcDay, toDate, userDay, viewWindow } from './todo-days';
import { checkCategory, checkPriority, checkText, DEFAULT_PRIORITY, parseInstant, PRIORITY_NAMES } from './todo-input';
import { TodoOrder } from './todo-order';
import { checkRecurrence, nextOccurrence } from './todo-recurrence';
import { TodoErrors } from './todos.errors';
import type { CompletionRow, ListAfter, ListQuery, ManualAfter, NewTodoRow, PositionRow, SubtaskCounts, TodoRow } from './todos.repository';
import { ReminderState, siblingsOf, TodosRepository, toTodo } from './todos.repository';
// jscpd:ignore-end

const CACHE_SCOPE = CacheScope.Todos;
const CURSOR_KIND = 't';
/** The cursor of an `order=manual` page: [position, id]. */
const MANUAL_CURSOR_KIND = 'p';
/** The cursor of a completions page: [the last completion id]. */
const COMPLETIONS_CURSOR_KIND = 'c';

const isCompletionAfter = (values: unknown[]): values is [string] => values.length === 1 && isId(values[0]);

function toCompletion(row: CompletionRow): todosV1.TodoCompletion {
  return {
    id: String(row.id),
    dueDate: row.due_date?.toISOString(),
    completedAt: row.completed_at.toISOString(),
    completedBy: row.completed_by === null ? undefined : String(row.completed_by),
  };
}

/** The next due date of a recurring todo being completed (null: it does not repeat, or that was the last occurrence). */
function nextDueOf(row: TodoRow): Date | null {
  if (!row.recurrence || !row.due_date) return null;
  return nextOccurrence(
    {
      rule: row.recurrence,
      start: row.recurrence_start ?? row.due_date,
      timeZone: row.recurrence_zone ?? 'UTC',
      allDay: Boolean(Number(row.all_day)),
    },
    row.due_date,
  );
}
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

const isManualAfter = (values: unknown[]): values is [string, string] =>
  values.length === 2 && typeof values[0] === 'string' && values[0].length <= TODO_LIMITS.position.max && isId(values[1]);

const manualCursor = (last: TodoRow) => cursorCodec.encode(MANUAL_CURSOR_KIND, [last.position, String(last.id)]);

/** The due date a request sets and whether it is all-day (a date without a time is, unless `allDay` says otherwise). */
function dueOf(value: string, allDay: boolean | undefined): { due: Date; allDay: boolean } {
  const due = parseInstant(value, 'dueDate');
  const isAllDay = allDay ?? isDateOnly(value);
  return { due: isAllDay ? toDate(value, due) : due, allDay: isAllDay };
}

/**
 * Whether a due date sent without `allDay` is all-day: a date without a time is; so is 00:00Z of a
 * date (how an all-day todo is read) sent back for a todo that is all-day now; any other time is not.
 */
function keepsAllDay(value: string, row: TodoRow): boolean {
  if (isDateOnly(value)) return true;
  const instant = parseInstant(value, 'dueDate');
  return Boolean(Number(row.all_day)) && instant.getTime() === startOfUtcDay(instant).getTime();
}

/** A todo id in a request field, or undefined when empty; 400 when not an id. */
function optionalId(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isId(value)) throw TodoErrors.invalid(`${field} must be a todo id`);
  return value;
}

const idOf = (value: string | number | null) => (value === null ? null : String(value));

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** How far in the past a reminder may be set (clock skew of the client): it then fires at once. */
const REMIND_PAST_SLACK_MS = 60_000;

/** A reminder time to set: an instant not more than a minute ago (an earlier one is a 400), at the earliest now. */
function remindAtOf(value: string, now: Date): Date {
  const at = parseInstant(value, 'remindAt');
  if (at.getTime() < now.getTime() - REMIND_PAST_SLACK_MS) throw TodoErrors.invalid('remindAt must not be in the past');
  return at < now ? now : at;
}

/** The reminder columns of an imported todo. */
function importedReminder(at: Date | null, completed: boolean, now: Date) {
  if (!at) return { remind_at: null, reminder_state: ReminderState.Pending, reminder_seq: 0 };
  const over = completed || at < now;
  return { remind_at: at, reminder_state: over ? ReminderState.Fired : ReminderState.Pending, reminder_seq: 1 };
}

/** The reminder columns of a todo reminded at `at` from now on: pending, a new number (it fires once, even if an earlier one did). */
const armed = (row: Pick<TodoRow, 'reminder_seq'>, at: Date) => ({
  remind_at: at,
  reminder_state: ReminderState.Pending,
  reminder_seq: Number(row.reminder_seq) + 1,
});

@Injectable()
export class TodosService {
  // jscpd:ignore-start -- constructor injection: the same collaborators in both twins
  constructor(
    private readonly repo: TodosRepository,
    private readonly cache: ReadCache,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lists: TodoListsService,
    private readonly order: TodoOrder,
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

  /** The counts of a top-level todo's subtasks (a subtask has none). */
  private async countsOf(row: TodoRow, manager?: EntityManager): Promise<SubtaskCounts | undefined> {
    if (row.parent_id !== null) return undefined;
    return (await this.repo.subtaskCounts([String(row.id)], manager)).get(String(row.id));
  }

  private async withCounts(row: TodoRow, manager?: EntityManager): Promise<todosV1.Todo> {
    return toTodo(row, await this.countsOf(row, manager));
  }

  /**
   * The parent a todo goes under: a top-level todo the caller may edit, locked for the rest of the
   * transaction (its subtasks are counted and placed under that lock). Another user's todo is "no
   * such todo", as a missing one is.
   */
  private async parentFor(userId: string, parentId: string, manager: EntityManager): Promise<TodoRow> {
    let parent: TodoRow;
    try {
      parent = (await this.access(userId, parentId, 'editor', manager)).row;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'TODO_NOT_FOUND') throw TodoErrors.invalid('parentId: no such todo');
      throw error;
    }
    if (parent.parent_id !== null) throw TodoErrors.invalid('parentId must be a top-level todo: subtasks nest one level');
    const counts = await this.repo.subtaskCounts([String(parent.id)], manager);
    if ((counts.get(String(parent.id))?.total ?? 0) >= TODO_LIMITS.subtasksPerTodo)
      throw TodoErrors.invalid(`a todo has at most ${TODO_LIMITS.subtasksPerTodo} subtasks`);
    return parent;
  }

  async create(request: todosV1.CreateTodoRequest): Promise<todosV1.Todo> {
    const callerId = checkUserId(request.userId);
    const parentId = optionalId(request.parentId, 'parentId');
    const text = checkText(request.text);
    const priority = request.priority ? checkPriority(request.priority) : DEFAULT_PRIORITY;
    const due = request.dueDate !== undefined ? dueOf(request.dueDate, request.allDay) : undefined;
    const category = checkCategory(request.category);
    const recurrence = request.recurrence !== undefined ? checkRecurrence(request.recurrence) : null;
    if (recurrence && !due) throw TodoErrors.invalid('recurrence needs a dueDate');
    if (recurrence && parentId) throw TodoErrors.invalid('a subtask does not repeat (its parent can)');
    const recurrenceZone = recurrence ? checkTimeZone(request.timeZone ?? '') : null;
    const remindAt = request.remindAt !== undefined ? remindAtOf(request.remindAt, this.clock.now()) : null;
    // In a list: the owner's or an editor's; the todo is the list owner's (quota, export). A
    // subtask is in its parent's list, whoever's that is.
    const list = request.listId && !parentId ? (await this.lists.access(callerId, request.listId, 'editor')).list : undefined;
    const now = this.clock.now();
    // With an Idempotency-Key a repeated create returns the todo the first one made (see notes-service).
    const requestKey = requestKeyOf(request.idempotencyKey);
    let made: { row: NewTodoRow; userId: string } | undefined;
    const ownerOf = list ? String(list.user_id) : callerId;
    // The todo and its place in the owner's quota commit together; over quota, neither does. The
    // quota row's lock also makes appends to the same siblings take turns (distinct positions).
    const created = await createOnce(this.repo, ownerOf, requestKey, async (manager) => {
      const parent = parentId ? await this.parentFor(callerId, parentId, manager) : undefined;
      if (parent && request.listId && request.listId !== idOf(parent.list_id))
        throw TodoErrors.invalid('listId: a subtask is in the list of its parent');
      const userId = parent ? String(parent.user_id) : ownerOf;
      const listId = parent ? idOf(parent.list_id) : list ? String(list.id) : null;
      await this.repo.usage.add(userId, { items: 1, bytes: 0 }, manager);
      const row: NewTodoRow = {
        text,
        completed: 0,
        priority,
        due_date: due?.due ?? null,
        category,
        completed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
        list_id: listId,
        created_by: callerId,
        completed_by: null,
        all_day: due?.allDay ? 1 : 0,
        parent_id: parent ? String(parent.id) : null,
        position: await this.order.atEnd({ userId, parentKey: parent ? String(parent.id) : '0' }, manager),
        recurrence,
        recurrence_start: recurrence ? (due?.due ?? null) : null,
        recurrence_zone: recurrenceZone,
        ...(remindAt ? armed({ reminder_seq: 0 }, remindAt) : { remind_at: null, reminder_state: ReminderState.Pending, reminder_seq: 0 }),
      };
      const todoId = await this.repo.insert(userId, row, requestKey, manager);
      if (todoId === null) await this.repo.usage.add(userId, { items: -1, bytes: 0 }, manager);
      made = { row, userId };
      return todoId;
    });
    if ('earlier' in created) return this.withCounts(created.earlier);
    if (!made) throw new Error('a create committed without its row');
    const { row, userId } = made;
    const todo = toTodo({ ...row, id: created.id, user_id: userId });
    await this.feed.changedFor(CACHE_SCOPE, await this.audience(userId, row.list_id), {
      type: 'TODO_CREATED',
      todoId: created.id,
      todo,
      ...withClient(request.clientId),
    });
    return todo;
  }

  async get(userId: string, id: string): Promise<todosV1.Todo> {
    checkUserId(userId);
    return this.withCounts((await this.access(userId, id, 'viewer')).row);
  }

  /**
   * A partial update. A stale `version` is a conflict (with the stored todo); a change bumps the
   * version by one and sets updatedAt; an update that changes nothing changes nothing.
   * `completedAt` is set when `completed` turns true and cleared when it turns false. Completing
   * a todo completes its open subtasks; moving it to another list takes its subtasks along.
   */
  async update(request: todosV1.UpdateTodoRequest): Promise<todosV1.Todo> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    if (request.listId !== undefined && request.listId !== '' && !isId(request.listId))
      throw TodoErrors.invalid('listId must be a list id or empty');
    // Input is checked before anything is locked.
    const text = request.text !== undefined ? checkText(request.text) : undefined;
    const priority = request.priority !== undefined ? checkPriority(request.priority) : undefined;
    // A date-time without `allDay`: decided against the stored todo below (see keepsAllDay).
    const dueValue = request.dueDate && (request.dueDate.value ?? null);
    if (dueValue) parseInstant(dueValue, 'dueDate');
    const category = request.category && checkCategory(request.category.value);
    const parentId = request.parentId && (optionalId(request.parentId.value, 'parentId') ?? null);
    if (parentId && parentId === request.id) throw TodoErrors.invalid('parentId: a todo cannot be its own subtask');
    const recurrence = request.recurrence && (request.recurrence.value !== undefined ? checkRecurrence(request.recurrence.value) : null);
    const recurrenceZone = recurrence ? checkTimeZone(request.timeZone ?? '') : null;
    const remindValue = request.remindAt && (request.remindAt.value ?? null);
    const remindAt = remindValue === undefined || remindValue === null ? remindValue : remindAtOf(remindValue, this.clock.now());
    const result = await this.repo.transaction(async (manager) => {
      // Moving between lists is the owner's; editing and completing, an editor's too.
      const { row } = await this.access(userId, request.id, request.listId !== undefined ? 'owner' : 'editor', manager);
      const ownerId = String(row.user_id);
      if (request.version !== undefined && request.version !== Number(row.version)) throw TodoErrors.versionConflict(toTodo(row));
      const next: TodoRow = { ...row, completed: Number(row.completed), priority: Number(row.priority), version: Number(row.version) };
      if (text !== undefined) next.text = text;
      if (priority !== undefined) next.priority = priority;
      if (dueValue !== undefined) {
        const due = dueValue === null ? null : dueOf(dueValue, request.allDay ?? keepsAllDay(dueValue, row));
        next.due_date = due?.due ?? null;
        next.all_day = due?.allDay ? 1 : 0;
      } else if (request.allDay !== undefined && next.due_date !== null) {
        // All-day on its own: the todo keeps its (UTC) date and loses the time of day.
        next.all_day = request.allDay ? 1 : 0;
        if (request.allDay) next.due_date = startOfUtcDay(next.due_date);
      }
      if (category !== undefined) next.category = category;
      if (request.completed !== undefined) next.completed = request.completed ? 1 : 0;
      if (request.listId !== undefined) {
        if (row.parent_id !== null) throw TodoErrors.invalid('listId: a subtask is in the list of its parent (move the parent)');
        // Only into a list of the todo's owner (the caller, here).
        next.list_id = request.listId === '' ? null : String((await this.lists.access(userId, request.listId, 'owner', manager)).list.id);
      }
      if (parentId !== undefined && parentId !== idOf(row.parent_id)) await this.reparent(userId, row, next, parentId, manager);
      if (recurrence !== undefined && recurrence !== row.recurrence) {
        // A new rule starts its series (COUNT counts) at the due date it is set on.
        next.recurrence = recurrence;
        next.recurrence_start = recurrence ? next.due_date : null;
        next.recurrence_zone = recurrenceZone;
      }
      if (next.recurrence && next.due_date === null)
        throw TodoErrors.invalid('a recurring todo needs a dueDate (set recurrence to null first)');
      if (next.recurrence && next.parent_id !== null) throw TodoErrors.invalid('a subtask does not repeat (its parent can)');
      // The same time again changes nothing (a form sent back whole does not re-fire a reminder).
      if (remindAt === null) Object.assign(next, { remind_at: null, reminder_state: ReminderState.Pending });
      else if (remindAt !== undefined && !sameTime(remindAt, row.remind_at)) Object.assign(next, armed(row, remindAt));
      const completedChanged = next.completed !== Number(row.completed);
      const listChanged = idOf(next.list_id) !== idOf(row.list_id);
      const isChanged =
        completedChanged ||
        listChanged ||
        idOf(next.parent_id) !== idOf(row.parent_id) ||
        next.text !== row.text ||
        next.priority !== Number(row.priority) ||
        next.category !== row.category ||
        Number(next.all_day) !== Number(row.all_day) ||
        next.recurrence !== row.recurrence ||
        !sameTime(next.remind_at, row.remind_at) ||
        Number(next.reminder_seq) !== Number(row.reminder_seq) ||
        !sameTime(next.due_date, row.due_date);
      const lists = [row.list_id, next.list_id];
      if (!isChanged) return { todo: await this.withCounts(row, manager), changed: [] as TodoRow[], completedNow: false, ownerId, lists };
      const now = this.clock.now();
      if (completedChanged) {
        next.completed_at = next.completed ? now : null;
        next.completed_by = next.completed ? userId : null;
      }
      // A recurring todo moves on to its next occurrence instead of staying completed; the
      // occurrence is recorded (the last one is the todo's own completion).
      const nextDue = completedChanged && next.completed === 1 ? nextDueOf(next) : null;
      if (nextDue) {
        await this.repo.addCompletion(next, now, userId, manager);
        // The reminder keeps its offset from the due date, and is a new one (it fires again).
        const reminder =
          next.remind_at && armed(next, new Date(next.remind_at.getTime() + nextDue.getTime() - (next.due_date as Date).getTime()));
        Object.assign(next, { completed: 0, completed_at: null, completed_by: null, due_date: nextDue }, reminder || {});
      } else if (completedChanged && next.completed === 1 && next.remind_at && Number(next.reminder_state) === ReminderState.Pending) {
        // Completing a todo cancels its reminder (reopening it does not bring it back: set a new one).
        next.reminder_state = ReminderState.Over;
      }
      next.version = Number(row.version) + 1;
      next.updated_at = now;
      await this.repo.update(ownerId, next, manager);
      // The subtasks follow: completed with their parent, reopened for its next occurrence, into its new list.
      const completedNow = completedChanged && next.completed === 1;
      const follow = completedNow || listChanged || nextDue !== null;
      const subtasks = row.parent_id === null && follow ? await this.repo.subtasks(String(row.id), manager, true) : [];
      const changedSubtasks: TodoRow[] = [];
      for (const subtask of subtasks) {
        const done = completedNow && !Number(subtask.completed);
        const reopened = nextDue !== null && Boolean(Number(subtask.completed));
        if (!done && !reopened && !listChanged) continue;
        const changed: TodoRow = { ...subtask, list_id: next.list_id, version: Number(subtask.version) + 1, updated_at: now };
        if (done) Object.assign(changed, { completed: 1, completed_at: now, completed_by: userId });
        if (reopened) Object.assign(changed, { completed: 0, completed_at: null, completed_by: null });
        await this.repo.update(ownerId, changed, manager);
        changedSubtasks.push(changed);
      }
      return { todo: await this.withCounts(next, manager), changed: changedSubtasks, completedNow, ownerId, lists, changedTodo: true };
    });
    if ('changedTodo' in result) {
      const audience = await this.audience(result.ownerId, ...result.lists);
      await this.feed.changedFor(
        CACHE_SCOPE,
        audience,
        {
          type: result.completedNow ? 'TODO_COMPLETED' : 'TODO_UPDATED',
          todoId: result.todo.id,
          todo: result.todo,
          ...withClient(request.clientId),
        },
        ...result.changed.map((subtask) => ({
          type:
            result.completedNow && subtask.completed_at === subtask.updated_at ? ('TODO_COMPLETED' as const) : ('TODO_UPDATED' as const),
          todoId: String(subtask.id),
          todo: toTodo(subtask),
          ...withClient(request.clientId),
        })),
      );
    }
    return result.todo;
  }

  /**
   * One change of one todo by an editor of it (a move, a snooze): `change` makes the new row from
   * the locked one; it is written as the next version and announced (TODO_UPDATED) after the commit.
   */
  private async changeOne(
    userId: string,
    id: string,
    clientId: string | undefined,
    change: (row: TodoRow, manager: EntityManager) => Promise<TodoRow>,
  ): Promise<todosV1.Todo> {
    const { todo, ownerId, listId } = await this.repo.transaction(async (manager) => {
      const { row } = await this.access(userId, id, 'editor', manager);
      const next: TodoRow = { ...(await change(row, manager)), version: Number(row.version) + 1, updated_at: this.clock.now() };
      await this.repo.update(String(row.user_id), next, manager);
      return { todo: await this.withCounts(next, manager), ownerId: String(row.user_id), listId: row.list_id };
    });
    await this.feed.changedFor(CACHE_SCOPE, await this.audience(ownerId, listId), {
      type: 'TODO_UPDATED',
      todoId: todo.id,
      todo,
      ...withClient(clientId),
    });
    return todo;
  }

  /** Puts `next` under `parentId` (or at the top level with null), at the end of its new siblings. */
  private async reparent(userId: string, row: TodoRow, next: TodoRow, parentId: string | null, manager: EntityManager): Promise<void> {
    if (parentId !== null) {
      const parent = await this.parentFor(userId, parentId, manager);
      if (String(parent.user_id) !== String(row.user_id) || idOf(parent.list_id) !== idOf(next.list_id))
        throw TodoErrors.invalid('parentId must be a todo in the same list as this one');
      if ((await this.countsOf(row, manager))?.total) throw TodoErrors.invalid('parentId: a todo with subtasks cannot become a subtask');
    }
    next.parent_id = parentId;
    next.position = await this.order.atEnd({ userId: String(row.user_id), parentKey: parentId ?? '0' }, manager);
  }

  /**
   * Places the todo between two siblings (same owner, same parent); 400 for a neighbour that is
   * not one. A move is a change: the version grows and every tab hears of it.
   */
  async move(request: todosV1.MoveTodoRequest): Promise<todosV1.Todo> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    const afterId = optionalId(request.after, 'after');
    const beforeId = optionalId(request.before, 'before');
    if (afterId === request.id || beforeId === request.id) throw TodoErrors.invalid('a todo cannot move next to itself');
    if (afterId && afterId === beforeId) throw TodoErrors.invalid('after and before must be different todos');
    return this.changeOne(userId, request.id, request.clientId, async (row, manager) => {
      const siblings = siblingsOf(row);
      const neighbour = async (id: string | undefined, field: string): Promise<PositionRow | undefined> => {
        if (id === undefined) return undefined;
        const other = await this.repo.findAnyUser(id, manager);
        const same = other && siblingsOf(other);
        if (!same || same.userId !== siblings.userId || same.parentKey !== siblings.parentKey)
          throw TodoErrors.invalid(`${field} must be a todo beside this one (same list, same parent)`);
        return { id, position: other.position };
      };
      const position = await this.order.between(siblings, await neighbour(afterId, 'after'), await neighbour(beforeId, 'before'), manager);
      return { ...row, position };
    });
  }

  /**
   * Reminds again `minutes` from now: a new reminder (it fires once, whether or not the last one
   * did). A completed todo has nothing to be reminded of (400). A change: the version grows.
   */
  async snooze(request: todosV1.SnoozeTodoRequest): Promise<todosV1.Todo> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    const { min, max } = TODO_LIMITS.reminder.snoozeMinutes;
    if (!Number.isInteger(request.minutes) || request.minutes < min || request.minutes > max)
      throw TodoErrors.invalid(`minutes must be a whole number from ${min} to ${max}`);
    return this.changeOne(userId, request.id, request.clientId, async (row) => {
      if (Number(row.completed)) throw TodoErrors.invalid('a completed todo has no reminder to snooze');
      return { ...row, ...armed(row, new Date(this.clock.now().getTime() + request.minutes * 60_000)) };
    });
  }

  /** The occurrences of a recurring todo completed so far, newest first (keyset pages); the todo's viewers may read them. */
  async completions(request: todosV1.ListTodoCompletionsRequest): Promise<todosV1.ListTodoCompletionsResponse> {
    const userId = checkUserId(request.userId);
    const { row } = await this.access(userId, request.id, 'viewer');
    const limit = pageSize(request.limit, TODO_LIMITS.completionsPage);
    const beforeId = request.cursor ? cursorCodec.decode(COMPLETIONS_CURSOR_KIND, request.cursor, isCompletionAfter)[0] : undefined;
    const rows = await this.repo.completions(String(row.id), beforeId, limit + 1);
    const items = rows.slice(0, limit);
    return {
      items: items.map(toCompletion),
      nextCursor: rows.length > limit ? cursorCodec.encode(COMPLETIONS_CURSOR_KIND, [String(items[items.length - 1].id)]) : undefined,
    };
  }

  /** Gone for good with its subtasks; NOT_FOUND when it does not exist or is not the caller's. */
  async delete(request: todosV1.DeleteTodoRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw TodoErrors.notFound();
    const { row, subtasks } = await this.repo.transaction(async (manager) => {
      const { row } = await this.access(userId, request.id, 'editor', manager);
      const ownerId = String(row.user_id);
      const subtasks = row.parent_id === null ? await this.repo.subtasks(String(row.id), manager, true) : [];
      for (const subtask of subtasks) await this.repo.deleteTodo(ownerId, String(subtask.id), manager);
      if (!(await this.repo.deleteTodo(ownerId, request.id, manager))) throw TodoErrors.notFound();
      return { row, subtasks };
    });
    const deleted = (id: string) => ({ type: 'TODO_DELETED' as const, todoId: id, ...withClient(request.clientId) });
    await this.feed.changedFor(
      CACHE_SCOPE,
      await this.audience(String(row.user_id), row.list_id),
      ...subtasks.map((subtask) => deleted(String(subtask.id))),
      deleted(request.id),
    );
  }

  /**
   * A page of top-level todos (or of one todo's subtasks with `parentId`) in list order (not
   * completed first, then due date soonest first with none last, then newest), or by position
   * with `order=manual`. Views and "overdue" are measured in `timeZone`.
   */
  async list(request: todosV1.ListTodosRequest): Promise<todosV1.ListTodosResponse> {
    const callerId = checkUserId(request.userId);
    const parentId = optionalId(request.parentId, 'parentId');
    const timeZone = checkTimeZone(request.timeZone ?? '');
    if (request.order && request.order !== 'manual') throw TodoErrors.invalid('order must be manual');
    const manual = request.order === 'manual';
    const day = userDay(this.clock.now(), timeZone);
    const window = viewWindow(request.view ?? '', day);
    // A todo's subtasks for whoever may read it; a list's todos for any of its members; else the
    // caller's own todos (their lists' included).
    const parent = parentId ? (await this.access(callerId, parentId, 'viewer')).row : undefined;
    const list = request.listId && !parent ? (await this.lists.access(callerId, request.listId, 'viewer')).list : undefined;
    const userId = parent ? String(parent.user_id) : list ? String(list.user_id) : callerId;
    const limit = pageSize(request.limit, TODO_LIMITS.pageSize);
    const priority = request.priority ? checkPriority(request.priority) : undefined;
    const category = request.category ? (checkCategory(request.category) as string) : undefined;
    const dueBefore = request.dueBefore ? parseInstant(request.dueBefore, 'dueBefore') : undefined;
    const dueAfter = request.dueAfter ? parseInstant(request.dueAfter, 'dueAfter') : undefined;
    let after: ListAfter | undefined;
    let manualAfter: ManualAfter | undefined;
    if (request.cursor && manual) {
      const [position, id] = cursorCodec.decode(MANUAL_CURSOR_KIND, request.cursor, isManualAfter);
      manualAfter = { position, id };
    } else if (request.cursor) {
      const values = cursorCodec.decode(CURSOR_KIND, request.cursor, isListAfter);
      after = { completed: values[0], dueDate: values[1], createdAt: values[2], id: values[3] };
    }
    const query: ListQuery = {
      userId,
      parentKey: parent ? String(parent.id) : '0',
      listId: list ? String(list.id) : undefined,
      completed: request.completed,
      priority,
      category,
      dueBefore,
      dueAfter,
      overdue: request.overdue,
      now: day.now,
      today: day.today,
      window,
      limit: limit + 1,
      after,
      manual: manual ? { after: manualAfter } : undefined,
    };
    const rows = await this.repo.list(query);
    const counts = parent ? new Map<string, SubtaskCounts>() : await this.repo.subtaskCounts(rows.map((row) => String(row.id)));
    // Capped by bytes too, as notes are (PAGE_MAX_BYTES), though 100 todos are far below it.
    // List pages are cached at the gateway (the edge), under this service's cache version.
    return keysetPage(rows, limit, {
      sizeOf: pageBytes,
      toItem: (row) => toTodo(row, counts.get(String(row.id))),
      cursorAfter: manual ? manualCursor : listCursor,
    });
  }

  /**
   * The counts of top-level todos are cached; the overdue count, which changes with the clock
   * alone, is a fresh range count of ix_todos_list on every call (all-day todos by `timeZone`).
   */
  async stats(request: todosV1.GetTodoStatsRequest): Promise<todosV1.TodoStats> {
    const userId = checkUserId(request.userId);
    const day = userDay(this.clock.now(), checkTimeZone(request.timeZone ?? ''));
    const [counts, overdueNow, completions] = await Promise.all([
      this.cache.read(CACHE_SCOPE, userId, ['stats'], () => this.repo.statsCounts(userId)),
      this.repo.overdueCount(userId, day.now, day.today),
      this.cache.read(CACHE_SCOPE, userId, ['completions'], () => this.repo.completionCount(userId)),
    ]);
    const byPriority = { low: 0, medium: 0, high: 0 };
    // Each completed occurrence of a recurring todo counts as a completed todo.
    let total = completions;
    let completed = completions;
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
   * A todo whose `parentId` names a top-level todo earlier in the request (by its source id) comes
   * in as its subtask, after the top-level ones (their quota is checked on its own); when that
   * parent is no longer a top-level todo outside lists (moved, deleted), at the top level.
   */
  async import(request: todosV1.ImportTodosRequest): Promise<todosV1.ImportTodosResponse> {
    const userId = checkUserId(request.userId);
    const now = this.clock.now();
    const topLevel = new Map<string, { key: string; subtasks: number }>();
    const prepared = request.todos.map((todo) => {
      if (!todo.id || todo.id.length > 40) throw TodoErrors.invalid('every imported todo needs its id (at most 40 characters)');
      const parent = todo.parentId ? topLevel.get(todo.parentId) : undefined;
      if (todo.parentId && !parent)
        throw TodoErrors.invalid('parentId of an imported todo must be the id of a top-level todo before it in the same import');
      if (parent && ++parent.subtasks > TODO_LIMITS.subtasksPerTodo)
        throw TodoErrors.invalid(`a todo has at most ${TODO_LIMITS.subtasksPerTodo} subtasks`);
      const createdAt = parseInstant(todo.createdAt, 'createdAt');
      const updatedAt = todo.updatedAt ? parseInstant(todo.updatedAt, 'updatedAt') : createdAt;
      const completed = Boolean(todo.completed);
      const due = todo.dueDate ? dueOf(todo.dueDate, todo.allDay) : undefined;
      // An imported repeating todo repeats on (its series starts again at its due date, in UTC); a subtask does not repeat.
      const recurrence = todo.recurrence && due && !parent ? checkRecurrence(todo.recurrence) : null;
      const row: NewTodoRow = {
        text: checkText(todo.text),
        completed: completed ? 1 : 0,
        priority: todo.priority ? checkPriority(todo.priority) : DEFAULT_PRIORITY,
        due_date: due?.due ?? null,
        category: todo.category ? checkCategory(todo.category) : null,
        completed_at: completed ? (todo.completedAt ? parseInstant(todo.completedAt, 'completedAt') : updatedAt) : null,
        version: 1,
        created_at: createdAt,
        updated_at: updatedAt,
        // Imported todos are in no list (the lists are not part of an export), after the user's
        // todos (positions per batch); a subtask's parent is set once its parent is stored.
        list_id: null,
        created_by: userId,
        completed_by: null,
        all_day: due?.allDay ? 1 : 0,
        parent_id: null,
        position: '',
        recurrence,
        recurrence_start: recurrence && due ? due.due : null,
        recurrence_zone: recurrence ? 'UTC' : null,
        // A reminder still ahead fires here; one whose time has passed counts as fired.
        ...importedReminder(todo.remindAt ? parseInstant(todo.remindAt, 'remindAt') : null, completed, now),
      };
      const key = importKeyOf(todo.id, createdAt);
      if (!todo.parentId) topLevel.set(todo.id, { key, subtasks: 0 });
      // A todo is at most 230 characters: the item quota bounds the bytes (no byte quota).
      return { item: { key, sourceId: todo.id, row, bytes: 0 }, parentKey: parent?.key };
    });
    const top = await importRows(
      this.repo,
      userId,
      prepared.filter((p) => !p.parentKey).map((p) => p.item),
      this.importOptions(userId),
    );
    const subtasks = prepared.filter((p): p is typeof p & { parentKey: string } => p.parentKey !== undefined);
    if (subtasks.length === 0) return top;
    const parents = await this.repo.importedParents(userId, [...new Set(subtasks.map((p) => p.parentKey))]);
    for (const { item, parentKey } of subtasks) item.row.parent_id = parents.get(parentKey) ?? null;
    const sub = await importRows(
      this.repo,
      userId,
      subtasks.map((p) => p.item),
      this.importOptions(userId),
    );
    return { created: top.created + sub.created, skipped: top.skipped + sub.skipped };
  }

  /** How {@link import} writes a batch: at the end of each todo's siblings, announced after the commit. */
  private importOptions(userId: string): ImportOptions<NewTodoRow, todosV1.Todo> {
    return {
      sizeOf: (item) => item.row.text.length + 100,
      insert: async (batch, manager) => {
        const byParent = new Map<string, ImportItem<NewTodoRow>[]>();
        for (const item of batch) {
          const parentKey = item.row.parent_id ?? '0';
          byParent.set(parentKey, [...(byParent.get(parentKey) ?? []), item]);
        }
        for (const [parentKey, siblings] of byParent) {
          const positions = await this.order.manyAtEnd({ userId, parentKey }, siblings.length, manager);
          siblings.forEach((item, i) => (item.row.position = positions[i]));
        }
        return this.repo.insertImported(userId, batch, manager);
      },
      toMessage: toTodo,
      committed: async (todos) => {
        const events = todos.map((todo) => ({ type: 'TODO_CREATED' as const, userId, todoId: todo.id, todo }));
        await this.feed.changed(CACHE_SCOPE, userId, ...events);
      },
    };
  }

  /** Removes every todo of the user (account deletion); safe to repeat. */
  async deleteAllOfUser(userId: string): Promise<number> {
    checkUserId(userId);
    // First the memberships and the lists (with their members and todos), then the rest of the todos.
    await this.lists.deleteAllOfUser(userId);
    return deleteAllOf(this.repo, userId, () => this.cache.invalidate(CACHE_SCOPE, userId));
  }
}
