import type { todosV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';

import { TodoOrder } from './todo-order';
import type { ListQuery, TodoRow } from './todos.repository';
import { TodosService } from './todos.service';

const NOW = new Date('2026-03-10T12:00:00.000Z');

function row(overrides: Partial<TodoRow> = {}): TodoRow {
  return {
    id: '42',
    user_id: '7',
    text: 'Buy milk',
    completed: 0,
    priority: 1,
    due_date: null,
    category: null,
    completed_at: null,
    version: 3,
    created_at: new Date('2026-03-01T08:00:00.000Z'),
    updated_at: new Date('2026-03-02T08:00:00.000Z'),
    list_id: null,
    created_by: null,
    completed_by: null,
    all_day: 0,
    parent_id: null,
    position: 'a1',
    recurrence: null,
    recurrence_start: null,
    recurrence_zone: null,
    remind_at: null,
    reminder_state: 0,
    reminder_seq: 0,
    ...overrides,
  };
}

function update(overrides: Partial<todosV1.UpdateTodoRequest> = {}): todosV1.UpdateTodoRequest {
  return { userId: '7', id: '42', clientId: '', timeZone: '', ...overrides };
}

describe(TodosService.name, () => {
  let repo: {
    transaction: jest.Mock;
    find: jest.Mock;
    findForUpdate: jest.Mock;
    findAnyUser: jest.Mock;
    insert: jest.Mock;
    update: jest.Mock;
    deleteTodo: jest.Mock;
    list: jest.Mock;
    statsCounts: jest.Mock;
    overdueCount: jest.Mock;
    exportBatch: jest.Mock;
    existingImports: jest.Mock;
    insertImported: jest.Mock;
    importedParents: jest.Mock;
    deleteUserBatch: jest.Mock;
    subtaskCounts: jest.Mock;
    subtasks: jest.Mock;
    edgeSibling: jest.Mock;
    siblingBeside: jest.Mock;
    completionCount: jest.Mock;
    manager: unknown;
    usage: { add: jest.Mock; read: jest.Mock; check: jest.Mock };
  };
  let cache: { read: jest.Mock; invalidate: jest.Mock };
  let feed: { changed: jest.Mock; changedFor: jest.Mock };
  let lists: { access: jest.Mock; roleOf: jest.Mock; findList: jest.Mock; audience: jest.Mock; deleteAllOfUser: jest.Mock };
  let clock: { now: jest.Mock };
  let service: TodosService;

  beforeEach(() => {
    const manager = { name: 'tx' };
    repo = {
      transaction: jest.fn((work: (m: unknown) => Promise<unknown>) => work(manager)),
      find: jest.fn(async () => row()),
      findForUpdate: jest.fn(async () => row()),
      // By id whoever owns it: the owner-scoped mocks above, as user 7 (so their assertions hold).
      findAnyUser: jest.fn((id: string, m: unknown, lock: boolean) => (lock ? repo.findForUpdate('7', id, m) : repo.find('7', id))),
      insert: jest.fn(async () => '43'),
      update: jest.fn(async () => undefined),
      deleteTodo: jest.fn(async () => true),
      list: jest.fn(async () => []),
      statsCounts: jest.fn(async () => ({ groups: [], categories: [] })),
      overdueCount: jest.fn(async () => 0),
      exportBatch: jest.fn(async () => []),
      existingImports: jest.fn(async () => new Set<string>()),
      insertImported: jest.fn(async (_u: string, todos: { key: string }[]) => todos.map(({ key }, i) => ({ id: String(100 + i), key }))),
      importedParents: jest.fn(async () => new Map<string, string>()),
      deleteUserBatch: jest.fn(async () => 0),
      subtaskCounts: jest.fn(async () => new Map()),
      subtasks: jest.fn(async () => []),
      edgeSibling: jest.fn(async () => ({ id: '41', position: 'a1' })),
      siblingBeside: jest.fn(async () => undefined),
      completionCount: jest.fn(async () => 0),
      manager: { name: 'plain' },
      usage: { add: jest.fn(async () => undefined), read: jest.fn(async () => ({ items: 0, bytes: 0 })), check: jest.fn() },
    };
    cache = {
      read: jest.fn((_scope: string, _user: string, _key: unknown, load: () => Promise<unknown>) => load()),
      invalidate: jest.fn(async () => undefined),
    };
    feed = {
      changed: jest.fn(async () => undefined),
      changedFor: jest.fn((scope: string, ids: string[], ...events: object[]) =>
        Promise.all(ids.map((id) => feed.changed(scope, id, ...events.map((e) => ({ ...e, userId: id }))))),
      ),
    };
    lists = {
      access: jest.fn(),
      roleOf: jest.fn(async () => null),
      findList: jest.fn(async () => undefined),
      audience: jest.fn(async () => []),
      deleteAllOfUser: jest.fn(async () => undefined),
    };
    clock = { now: jest.fn(() => NOW) };
    service = new TodosService(repo as never, cache as never, feed as never, clock, lists as never, new TodoOrder(repo as never));
  });

  const expectDomainError = async (promise: Promise<unknown>, code: string, status: GrpcStatus) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, status });
    return error as DomainError;
  };

  describe('create', () => {
    it('trims, defaults the priority to medium and stamps both times with the clock', async () => {
      const todo = await service.create({
        listId: '',
        parentId: '',
        timeZone: '',
        userId: '7',
        text: '  Buy milk ',
        priority: '',
        category: ' Home ',
        clientId: 'tab',
      });
      expect(todo).toEqual({
        id: '43',
        text: 'Buy milk',
        completed: false,
        priority: 'medium',
        dueDate: undefined,
        category: 'Home',
        completedAt: undefined,
        version: 1,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        listId: undefined,
        createdBy: '7',
        completedBy: undefined,
        allDay: false,
        parentId: undefined,
        // After the last of its siblings (a1).
        position: 'a2',
        subtasksTotal: 0,
        subtasksCompleted: 0,
      });
      expect(repo.edgeSibling).toHaveBeenCalledWith({ userId: '7', parentKey: '0' }, 'last', { name: 'tx' });
      expect(repo.insert).toHaveBeenCalledWith(
        '7',
        expect.objectContaining({ text: 'Buy milk', priority: 1, category: 'Home', completed: 0 }),
        null, // no Idempotency-Key
        { name: 'tx' },
      );
      expect(repo.usage.add).toHaveBeenCalledWith('7', { items: 1, bytes: 0 }, { name: 'tx' });
      expect(feed.changed).toHaveBeenCalledWith('todos', '7', expect.objectContaining({ userId: '7' }));
    });

    it('reads a date-only due date as 00:00 UTC and keeps a date-time as its UTC instant', async () => {
      expect(
        (
          await service.create({
            listId: '',
            parentId: '',
            timeZone: '',
            userId: '7',
            text: 'a',
            priority: 'high',
            dueDate: '2026-04-01',
            clientId: '',
          })
        ).dueDate,
      ).toBe('2026-04-01T00:00:00.000Z');
      expect(
        (
          await service.create({
            listId: '',
            parentId: '',
            timeZone: '',
            userId: '7',
            text: 'a',
            priority: 'low',
            dueDate: '2026-04-01T09:30:00+02:00',
            clientId: '',
          })
        ).dueDate,
      ).toBe('2026-04-01T07:30:00.000Z');
    });

    it('makes a date without a time all-day, and an all-day date-time its own calendar date', async () => {
      const create = (dueDate: string, allDay?: boolean) =>
        service.create({ listId: '', parentId: '', timeZone: '', userId: '7', text: 'a', priority: '', dueDate, allDay, clientId: '' });
      await expect(create('2026-04-01')).resolves.toMatchObject({ dueDate: '2026-04-01T00:00:00.000Z', allDay: true });
      await expect(create('2026-04-01', false)).resolves.toMatchObject({ dueDate: '2026-04-01T00:00:00.000Z', allDay: false });
      // 23:30 in New York is already the 2nd in UTC; the date the user named is the 1st.
      await expect(create('2026-04-01T23:30:00-04:00', true)).resolves.toMatchObject({ dueDate: '2026-04-01T00:00:00.000Z', allDay: true });
      await expect(create('2026-04-01T23:30:00-04:00')).resolves.toMatchObject({ dueDate: '2026-04-02T03:30:00.000Z', allDay: false });
    });

    it.each([
      ['empty text', { text: '' }],
      ['blank text', { text: '   ' }],
      ['text of 201 characters', { text: 'x'.repeat(201) }],
      ['an unknown priority', { priority: 'urgent' }],
      ['a priority in capitals', { priority: 'HIGH' }],
      ['a category of 31 characters', { category: 'c'.repeat(31) }],
      ['a blank category', { category: '  ' }],
      ['an impossible date', { dueDate: '2026-02-30' }],
      ['a date that is not ISO', { dueDate: '03/10/2026' }],
      ['hour 24', { dueDate: '2026-03-10T24:00:00Z' }],
      ['a year before 1000', { dueDate: '0999-12-31' }],
      ['an empty due date', { dueDate: '' }],
      ['a malformed user id', { userId: 'abc' }],
      ['a parent that is not an id', { parentId: 'x1' }],
    ])('refuses %s with INVALID_ARGUMENT', async (_, override) => {
      await expectDomainError(
        service.create({ listId: '', parentId: '', timeZone: '', userId: '7', text: 'ok', priority: '', clientId: '', ...override }),
        'VALIDATION_FAILED',
        GrpcStatus.INVALID_ARGUMENT,
      );
      expect(repo.insert).not.toHaveBeenCalled();
    });

    it('counts characters as the database does: 200 emoji fit', async () => {
      await expect(
        service.create({ listId: '', parentId: '', timeZone: '', userId: '7', text: '😀'.repeat(200), priority: '', clientId: '' }),
      ).resolves.toMatchObject({
        id: '43',
      });
    });
  });

  describe('update', () => {
    it('sets completedAt from the clock when completed turns true, and bumps the version once', async () => {
      const todo = await service.update(update({ completed: true }));
      expect(todo).toMatchObject({ completed: true, completedAt: NOW.toISOString(), version: 4, updatedAt: NOW.toISOString() });
      expect(repo.update).toHaveBeenCalledWith('7', expect.objectContaining({ completed: 1, completed_at: NOW, version: 4 }), {
        name: 'tx',
      });
      expect(feed.changed).toHaveBeenCalledWith('todos', '7', expect.objectContaining({ userId: '7' }));
    });

    it('clears completedAt when completed turns false', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ completed: 1, completed_at: new Date('2026-03-05T00:00:00Z') }));
      const todo = await service.update(update({ completed: false }));
      expect(todo).toMatchObject({ completed: false, completedAt: undefined, version: 4 });
      expect(repo.update).toHaveBeenCalledWith('7', expect.objectContaining({ completed: 0, completed_at: null }), expect.anything());
    });

    it('keeps completedAt when a completed todo is edited without touching completed', async () => {
      const completedAt = new Date('2026-03-05T00:00:00Z');
      repo.findForUpdate.mockResolvedValueOnce(row({ completed: 1, completed_at: completedAt }));
      const todo = await service.update(update({ text: 'Buy oat milk', completed: true }));
      expect(todo).toMatchObject({ text: 'Buy oat milk', completed: true, completedAt: completedAt.toISOString(), version: 4 });
    });

    it('answers a stale version with ABORTED TODO_VERSION_CONFLICT and the stored todo, writing nothing', async () => {
      const error = await expectDomainError(service.update(update({ version: 2, text: 'x' })), 'TODO_VERSION_CONFLICT', GrpcStatus.ABORTED);
      expect(error.details).toEqual({ current: expect.objectContaining({ id: '42', text: 'Buy milk', version: 3 }) });
      expect(repo.update).not.toHaveBeenCalled();
      expect(feed.changed).not.toHaveBeenCalled();
    });

    it('accepts the current version', async () => {
      await expect(service.update(update({ version: 3, priority: 'high' }))).resolves.toMatchObject({ priority: 'high', version: 4 });
    });

    it('changes nothing for an update that changes nothing (same values, trimmed text, same instant)', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ due_date: new Date('2026-04-01T00:00:00Z'), category: 'Home' }));
      const todo = await service.update(
        update({
          text: ' Buy milk ',
          completed: false,
          priority: 'medium',
          dueDate: { value: '2026-04-01T02:00:00+02:00' },
          category: { value: 'Home' },
          version: 3,
        }),
      );
      expect(todo).toMatchObject({ version: 3, updatedAt: '2026-03-02T08:00:00.000Z' });
      expect(repo.update).not.toHaveBeenCalled();
      expect(feed.changed).not.toHaveBeenCalled();
      expect(clock.now).not.toHaveBeenCalled();
    });

    it('clears the due date and the category with an empty NullableString', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ due_date: new Date('2026-04-01T00:00:00Z'), category: 'Home' }));
      const todo = await service.update(update({ dueDate: {}, category: {} }));
      expect(todo).toMatchObject({ dueDate: undefined, category: undefined, version: 4 });
      expect(repo.update).toHaveBeenCalledWith('7', expect.objectContaining({ due_date: null, category: null }), expect.anything());
    });

    it('answers NOT_FOUND for a todo that is not the caller’s, and for a malformed id without asking the database', async () => {
      repo.findForUpdate.mockResolvedValueOnce(undefined);
      await expectDomainError(service.update(update({ text: 'x' })), 'TODO_NOT_FOUND', GrpcStatus.NOT_FOUND);
      repo.findForUpdate.mockClear();
      await expectDomainError(service.update(update({ id: '01', text: 'x' })), 'TODO_NOT_FOUND', GrpcStatus.NOT_FOUND);
      expect(repo.findForUpdate).not.toHaveBeenCalled();
    });

    it('checks the input before locking anything', async () => {
      await expectDomainError(service.update(update({ priority: 'urgent' })), 'VALIDATION_FAILED', GrpcStatus.INVALID_ARGUMENT);
      await expectDomainError(service.update(update({ text: '' })), 'VALIDATION_FAILED', GrpcStatus.INVALID_ARGUMENT);
      await expectDomainError(service.update(update({ dueDate: { value: 'tomorrow' } })), 'VALIDATION_FAILED', GrpcStatus.INVALID_ARGUMENT);
      expect(repo.transaction).not.toHaveBeenCalled();
    });
  });

  describe('reminders', () => {
    const AT = new Date('2026-03-10T13:00:00.000Z');
    const written = () => repo.update.mock.calls[0]?.[1] as TodoRow | undefined;

    it('arms a reminder on create: pending, reminder number 1', async () => {
      await service.create({
        listId: '',
        parentId: '',
        timeZone: '',
        userId: '7',
        text: 'Call',
        priority: '',
        clientId: '',
        remindAt: AT.toISOString(),
      });
      expect(repo.insert).toHaveBeenCalledWith(
        '7',
        expect.objectContaining({ remind_at: AT, reminder_state: 0, reminder_seq: 1 }),
        null,
        expect.anything(),
      );
    });

    it('refuses a reminder more than a minute in the past, and takes one within the minute as now', async () => {
      const base = { listId: '', parentId: '', timeZone: '', userId: '7', text: 'Call', priority: '', clientId: '' };
      await expectDomainError(
        service.create({ ...base, remindAt: '2026-03-10T11:58:00Z' }),
        'VALIDATION_FAILED',
        GrpcStatus.INVALID_ARGUMENT,
      );
      await service.create({ ...base, remindAt: '2026-03-10T11:59:30Z' });
      expect(repo.insert).toHaveBeenCalledWith('7', expect.objectContaining({ remind_at: NOW }), null, expect.anything());
    });

    it('re-arms a fired reminder only for a new time; the same time sent back changes nothing', async () => {
      repo.findForUpdate.mockResolvedValue(row({ remind_at: AT, reminder_state: 1, reminder_seq: 4 }));
      await service.update(update({ remindAt: { value: AT.toISOString() } }));
      expect(repo.update).not.toHaveBeenCalled();
      const later = new Date(AT.getTime() + 60_000);
      const todo = await service.update(update({ remindAt: { value: later.toISOString() } }));
      expect(written()).toMatchObject({ remind_at: later, reminder_state: 0, reminder_seq: 5, version: 4 });
      expect(todo.remindAt).toBe(later.toISOString());
    });

    it('removes a reminder with an empty NullableString', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ remind_at: AT, reminder_seq: 1 }));
      const todo = await service.update(update({ remindAt: {} }));
      expect(written()).toMatchObject({ remind_at: null });
      expect(todo.remindAt).toBeUndefined();
    });

    it('cancels a pending reminder when the todo is completed, and reopening does not bring it back', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ remind_at: AT, reminder_seq: 1 }));
      await service.update(update({ completed: true }));
      expect(written()).toMatchObject({ completed: 1, reminder_state: 2, reminder_seq: 1 });
      repo.findForUpdate.mockResolvedValueOnce(row({ completed: 1, remind_at: AT, reminder_state: 2, reminder_seq: 1 }));
      await service.update(update({ completed: false }));
      expect(repo.update.mock.calls[1][1]).toMatchObject({ completed: 0, reminder_state: 2 });
    });

    it('moves a recurring todo’s reminder with its due date, keeping the offset, as a new reminder', async () => {
      const due = new Date('2026-03-10T09:00:00.000Z');
      repo.findForUpdate.mockResolvedValueOnce(
        row({
          due_date: due,
          recurrence: 'FREQ=DAILY',
          recurrence_start: due,
          recurrence_zone: 'UTC',
          remind_at: new Date('2026-03-10T08:45:00.000Z'),
          reminder_state: 1,
          reminder_seq: 2,
        }),
      );
      Object.assign(repo, { addCompletion: jest.fn(async () => undefined) });
      await service.update(update({ completed: true }));
      expect(written()).toMatchObject({
        completed: 0,
        due_date: new Date('2026-03-11T09:00:00.000Z'),
        remind_at: new Date('2026-03-11T08:45:00.000Z'),
        reminder_state: 0,
        reminder_seq: 3,
      });
    });

    it('snoozes: a new reminder `minutes` from now, announced; a completed todo or a bad number of minutes is a 400', async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ remind_at: AT, reminder_state: 1, reminder_seq: 2 }));
      const todo = await service.snooze({ userId: '7', id: '42', minutes: 10, clientId: 'tab' });
      expect(written()).toMatchObject({ remind_at: new Date(NOW.getTime() + 600_000), reminder_state: 0, reminder_seq: 3, version: 4 });
      expect(todo.remindAt).toBe('2026-03-10T12:10:00.000Z');
      expect(feed.changed).toHaveBeenCalledWith('todos', '7', expect.objectContaining({ type: 'TODO_UPDATED', clientId: 'tab' }));
      await expectDomainError(
        service.snooze({ userId: '7', id: '42', minutes: 0, clientId: '' }),
        'VALIDATION_FAILED',
        GrpcStatus.INVALID_ARGUMENT,
      );
      repo.findForUpdate.mockResolvedValueOnce(row({ completed: 1 }));
      await expectDomainError(
        service.snooze({ userId: '7', id: '42', minutes: 5, clientId: '' }),
        'VALIDATION_FAILED',
        GrpcStatus.INVALID_ARGUMENT,
      );
    });
  });

  describe('shared lists', () => {
    it('is NOT_FOUND for a stranger to a todo in a list (no role)', async () => {
      repo.find.mockResolvedValueOnce(row({ user_id: '9', list_id: '5' }));
      await expect(service.get('7', '42')).rejects.toMatchObject({ code: 'TODO_NOT_FOUND' });
    });

    it('lets a viewer read but answers INSUFFICIENT_ROLE to a viewer write', async () => {
      repo.find.mockResolvedValueOnce(row({ user_id: '9', list_id: '5' }));
      lists.roleOf.mockResolvedValue('viewer');
      await expect(service.get('7', '42')).resolves.toMatchObject({ id: '42', listId: '5' });
      repo.findForUpdate.mockResolvedValueOnce(row({ user_id: '9', list_id: '5' }));
      await expect(service.update(update({ completed: true }))).rejects.toMatchObject({ code: 'INSUFFICIENT_ROLE' });
    });

    it("an editor's completion is the owner's todo, stamped with who completed it, and reaches every member", async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ user_id: '9', list_id: '5' }));
      lists.roleOf.mockResolvedValue('editor');
      lists.findList.mockResolvedValue({ id: '5', user_id: '9' });
      lists.audience.mockResolvedValue(['9', '7', '8']);
      const todo = await service.update(update({ completed: true }));
      expect(todo).toMatchObject({ completed: true, completedBy: '7', listId: '5' });
      expect(repo.update).toHaveBeenCalledWith('9', expect.anything(), { name: 'tx' });
      expect(feed.changedFor).toHaveBeenCalledWith('todos', ['9', '7', '8'], expect.objectContaining({ type: 'TODO_COMPLETED' }));
    });

    it("moving a todo between lists is the owner's only", async () => {
      repo.findForUpdate.mockResolvedValueOnce(row({ user_id: '9', list_id: '5' }));
      lists.roleOf.mockResolvedValue('editor');
      await expect(service.update(update({ listId: '' }))).rejects.toMatchObject({ code: 'INSUFFICIENT_ROLE' });
    });
  });

  describe('delete', () => {
    it('announces a delete (cache and events)', async () => {
      await service.delete({ userId: '7', id: '42', clientId: '' });
      expect(repo.deleteTodo).toHaveBeenCalledWith('7', '42', { name: 'tx' });
      expect(feed.changed).toHaveBeenCalledWith('todos', '7', expect.objectContaining({ userId: '7' }));
    });

    it('answers NOT_FOUND when nothing was deleted', async () => {
      repo.deleteTodo.mockResolvedValueOnce(false);
      await expectDomainError(service.delete({ userId: '7', id: '42', clientId: '' }), 'TODO_NOT_FOUND', GrpcStatus.NOT_FOUND);
      expect(feed.changed).not.toHaveBeenCalled();
    });
  });

  describe('list', () => {
    const request = (overrides: Partial<todosV1.ListTodosRequest> = {}): todosV1.ListTodosRequest => ({
      userId: '7',
      listId: '',
      priority: '',
      category: '',
      dueBefore: '',
      dueAfter: '',
      limit: 0,
      cursor: '',
      view: '',
      order: '',
      parentId: '',
      timeZone: '',
      ...overrides,
    });

    it('measures overdue against the injected clock', async () => {
      await service.list(request({ overdue: true }));
      expect(repo.list).toHaveBeenCalledWith(expect.objectContaining({ overdue: true, now: NOW, limit: 21 }));
    });

    it('hands out a cursor after a full page and continues from it', async () => {
      const rows = [
        row({ id: '9', due_date: new Date('2026-04-01T00:00:00Z') }),
        row({ id: '8', created_at: new Date('2026-03-01T08:00:00.123Z') }),
        row({ id: '5' }),
      ];
      repo.list.mockResolvedValueOnce(rows);
      const first = await service.list(request({ limit: 2 }));
      expect(first.items.map((t) => t.id)).toEqual(['9', '8']);
      expect(first.nextCursor).toEqual(expect.any(String));
      await service.list(request({ limit: 2, cursor: first.nextCursor }));
      expect(repo.list).toHaveBeenLastCalledWith(
        expect.objectContaining({ after: { completed: false, dueDate: null, createdAt: '2026-03-01 08:00:00.123', id: '8' } }),
      );
    });

    it('gives no cursor on the last page', async () => {
      repo.list.mockResolvedValueOnce([row()]);
      expect((await service.list(request({ limit: 2 }))).nextCursor).toBeUndefined();
    });

    it.each([
      ['a limit of 101', { limit: 101 }],
      ['a negative limit', { limit: -1 }],
      ['an unknown priority', { priority: 'urgent' }],
      ['a bad dueBefore', { dueBefore: '2026-13-01' }],
      ['a bad dueAfter', { dueAfter: 'yesterday' }],
      ['a category of 31 characters', { category: 'c'.repeat(31) }],
    ])('refuses %s with INVALID_ARGUMENT', async (_, override) => {
      await expectDomainError(service.list(request(override)), 'VALIDATION_FAILED', GrpcStatus.INVALID_ARGUMENT);
    });

    it.each([
      ['garbage', 'not a cursor!'],
      ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
      ['a cursor of another list', Buffer.from(JSON.stringify(['l', true, '2026-01-01 00:00:00.000', '1'])).toString('base64url')],
      ['a cursor with a bad id', Buffer.from(JSON.stringify(['t', false, null, '2026-01-01 00:00:00.000', '0'])).toString('base64url')],
    ])('refuses %s as a cursor with INVALID_CURSOR', async (_, cursor) => {
      await expectDomainError(service.list(request({ cursor })), 'INVALID_CURSOR', GrpcStatus.INVALID_ARGUMENT);
      expect(repo.list).not.toHaveBeenCalled();
    });

    it('passes the filters on as stored values and UTC instants', async () => {
      await service.list(request({ priority: 'high', category: ' Work ', dueBefore: '2026-05-01', dueAfter: '2026-04-01T00:00:00-02:00' }));
      const query = repo.list.mock.calls[0][0] as ListQuery;
      expect(query).toMatchObject({ priority: 2, category: 'Work' });
      expect(query.dueBefore?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
      expect(query.dueAfter?.toISOString()).toBe('2026-04-01T02:00:00.000Z');
    });
  });

  describe('stats', () => {
    it('adds up the counts and takes overdue from the clock', async () => {
      repo.statsCounts.mockResolvedValueOnce({
        groups: [
          { completed: 0, priority: 0, count: 2 },
          { completed: 0, priority: 2, count: 1 },
          { completed: 1, priority: 1, count: 1 },
        ],
        categories: [{ category: 'Work', count: 3 }],
      });
      repo.overdueCount.mockResolvedValueOnce(2);
      expect(await service.stats({ userId: '7', timeZone: '' })).toEqual({
        total: 4,
        completed: 1,
        pending: 3,
        overdue: 2,
        completionRate: 0.25,
        byPriority: { low: 2, medium: 1, high: 1 },
        byCategory: { Work: 3 },
      });
      expect(repo.overdueCount).toHaveBeenCalledWith('7', NOW, new Date('2026-03-10T00:00:00.000Z'));
      expect(cache.read).toHaveBeenCalledWith('todos', '7', ['stats'], expect.any(Function));
    });

    it('has a completion rate of 0 without todos', async () => {
      expect(await service.stats({ userId: '7', timeZone: '' })).toMatchObject({
        total: 0,
        completionRate: 0,
        overdue: 0,
        byPriority: { low: 0, medium: 0, high: 0 },
        byCategory: {},
      });
    });
  });

  describe('import', () => {
    const exported = (id: string, createdAt: string, extra: Partial<todosV1.Todo> = {}): todosV1.Todo => ({
      id,
      text: `todo ${id}`,
      completed: false,
      priority: 'low',
      allDay: false,
      position: '',
      subtasksTotal: 0,
      subtasksCompleted: 0,
      version: 5,
      createdAt,
      updatedAt: createdAt,
      ...extra,
    });

    it('skips todos imported before, the caller’s own originals and duplicates within the document', async () => {
      repo.existingImports.mockResolvedValueOnce(new Set(['1:2026-01-01T00:00:00.000Z']));
      const result = await service.import({
        userId: '7',
        todos: [
          exported('1', '2026-01-01T00:00:00.000Z'),
          exported('2', '2026-01-02T00:00:00Z', { completed: true }),
          exported('2', '2026-01-02T00:00:00.000Z'),
          exported('abc', '2026-01-03T00:00:00.000Z', { category: 'Home', dueDate: '2026-02-01' }),
        ],
      });
      expect(result).toEqual({ created: 2, skipped: 2 });
      expect(repo.existingImports).toHaveBeenCalledWith(
        '7',
        ['1:2026-01-01T00:00:00.000Z', '2:2026-01-02T00:00:00.000Z', '2:2026-01-02T00:00:00.000Z', 'abc:2026-01-03T00:00:00.000Z'],
        ['1', '2'],
      );
      expect(repo.insertImported).toHaveBeenCalledWith(
        '7',
        [
          expect.objectContaining({
            key: '2:2026-01-02T00:00:00.000Z',
            row: expect.objectContaining({ completed: 1, completed_at: new Date('2026-01-02T00:00:00Z'), version: 1 }),
          }),
          expect.objectContaining({ key: 'abc:2026-01-03T00:00:00.000Z' }),
        ],
        { name: 'tx' },
      );
      expect(repo.usage.check).toHaveBeenCalledWith({ items: 0, bytes: 0 }, { items: 2, bytes: 0 });
      expect(repo.usage.add).toHaveBeenCalledWith('7', { items: 2, bytes: 0 }, { name: 'tx' });
      expect(feed.changed).toHaveBeenCalledTimes(1);
    });

    it('counts a todo the unique key ignored as skipped', async () => {
      repo.insertImported.mockResolvedValueOnce([]);
      expect(await service.import({ userId: '7', todos: [exported('1', '2026-01-01T00:00:00Z')] })).toEqual({ created: 0, skipped: 1 });
      expect(feed.changed).not.toHaveBeenCalled();
    });

    it('imports a todo whose parentId is an earlier todo of the request as its subtask, after the top-level ones', async () => {
      repo.importedParents.mockResolvedValueOnce(new Map([['p:2026-01-01T00:00:00.000Z', '100']]));
      const result = await service.import({
        userId: '7',
        todos: [
          exported('p', '2026-01-01T00:00:00Z'),
          exported('s1', '2026-01-01T00:00:00Z', { parentId: 'p', recurrence: 'FREQ=DAILY', dueDate: '2026-02-01' }),
          exported('s2', '2026-01-01T00:00:00Z', { parentId: 'p' }),
        ],
      });
      expect(result).toEqual({ created: 3, skipped: 0 });
      expect(repo.importedParents).toHaveBeenCalledWith('7', ['p:2026-01-01T00:00:00.000Z']);
      expect(repo.insertImported).toHaveBeenCalledTimes(2);
      expect(repo.insertImported).toHaveBeenLastCalledWith(
        '7',
        [
          expect.objectContaining({
            key: 's1:2026-01-01T00:00:00.000Z',
            row: expect.objectContaining({ parent_id: '100', recurrence: null }),
          }),
          expect.objectContaining({ key: 's2:2026-01-01T00:00:00.000Z', row: expect.objectContaining({ parent_id: '100' }) }),
        ],
        { name: 'tx' },
      );
    });

    it('imports a subtask whose parent is gone at the top level', async () => {
      repo.importedParents.mockResolvedValueOnce(new Map());
      await service.import({
        userId: '7',
        todos: [exported('p', '2026-01-01T00:00:00Z'), exported('s', '2026-01-01T00:00:00Z', { parentId: 'p' })],
      });
      expect(repo.insertImported).toHaveBeenLastCalledWith(
        '7',
        [expect.objectContaining({ row: expect.objectContaining({ parent_id: null }) })],
        { name: 'tx' },
      );
    });

    it.each([
      ['a parent later in the request', [exported('s', '2026-01-01T00:00:00Z', { parentId: 'p' }), exported('p', '2026-01-01T00:00:00Z')]],
      [
        'a subtask as parent',
        [
          exported('p', '2026-01-01T00:00:00Z'),
          exported('s', '2026-01-01T00:00:00Z', { parentId: 'p' }),
          exported('x', '2026-01-01T00:00:00Z', { parentId: 's' }),
        ],
      ],
    ])('refuses %s before writing anything', async (_, todos) => {
      await expectDomainError(service.import({ userId: '7', todos }), 'VALIDATION_FAILED', GrpcStatus.INVALID_ARGUMENT);
      expect(repo.transaction).not.toHaveBeenCalled();
    });

    it('refuses a document with a bad todo before writing anything', async () => {
      await expectDomainError(
        service.import({ userId: '7', todos: [exported('1', '2026-01-01T00:00:00Z'), exported('2', 'not a time')] }),
        'VALIDATION_FAILED',
        GrpcStatus.INVALID_ARGUMENT,
      );
      expect(repo.transaction).not.toHaveBeenCalled();
    });
  });

  it('exports in id batches until a short batch', async () => {
    repo.exportBatch
      .mockResolvedValueOnce(Array.from({ length: 500 }, (_, i) => row({ id: String(i + 1) })))
      .mockResolvedValueOnce([row({ id: '501' })]);
    const ids: string[] = [];
    for await (const todo of service.export('7')) ids.push(todo.id);
    expect(ids).toHaveLength(501);
    expect(repo.exportBatch).toHaveBeenNthCalledWith(2, '7', '500', 500);
  });

  it('deletes a user’s todos in batches until none is left', async () => {
    repo.deleteUserBatch.mockResolvedValueOnce(5_000).mockResolvedValueOnce(3).mockResolvedValueOnce(0);
    expect(await service.deleteAllOfUser('7')).toBe(5_003);
    expect(cache.invalidate).toHaveBeenCalledWith('todos', '7');
  });
});
