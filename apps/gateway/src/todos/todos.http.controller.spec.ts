import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { todosV1, userV1 } from '@micronote/proto';
import { ERROR_CODE_METADATA, ERROR_DETAILS_METADATA } from '@micronote/server-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Observable } from 'rxjs';
import { of, throwError } from 'rxjs';

import { Notifier } from '../sharing/notifier';
import { createHttpTestApp, grpcStub } from '../testing/http-test-app';
import { TimeZoneResolver } from '../users/time-zone-resolver';
import { TodosHttpController } from './todos.http.controller';

const stored: todosV1.Todo = {
  id: '42',
  text: 'Buy milk',
  completed: false,
  priority: 'medium',
  allDay: false,
  position: 'a0',
  subtasksTotal: 0,
  subtasksCompleted: 0,
  version: 2,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-02T00:00:00.000Z',
};

const { subtasksTotal: _total, subtasksCompleted: _completed, ...scalars } = stored;
const rest = {
  ...scalars,
  dueDate: null,
  category: null,
  completedAt: null,
  listId: null,
  parentId: null,
  recurrence: null,
  remindAt: null,
  subtasks: { total: 0, completed: 0 },
};

/** The HTTP surface only: guard, validation, id pipe, REST shapes and error mapping; todos-service is a stub. */
describe(TodosHttpController.name, () => {
  let app: NestFastifyApplication;
  let token: string;
  const todos = {
    listTodos: jest.fn((): Observable<todosV1.ListTodosResponse> => of({ items: [stored], nextCursor: 'abc' })),
    createTodo: jest.fn(() => of(stored)),
    getTodo: jest.fn(() => of(stored)),
    updateTodo: jest.fn(() => of(stored)),
    deleteTodo: jest.fn(() => of({})),
    getTodoStats: jest.fn(() => of({ total: 1, completed: 0, pending: 1, overdue: 0, completionRate: 0, byCategory: {} })),
    getTodoList: jest.fn(() => of({ id: '5', name: 'Groceries' })),
    listListMembers: jest.fn(() =>
      of({
        ownerId: '3',
        items: [
          { userId: '7', role: 'editor', status: 'accepted' },
          { userId: '8', role: 'viewer', status: 'accepted' },
          { userId: '9', role: 'editor', status: 'pending' },
        ],
      }),
    ),
  };
  const users = {
    createNotifications: jest.fn(() => of({ created: 2 })),
    getUser: jest.fn(() => of({ id: '7', timeZone: 'Europe/Berlin' })),
  };

  beforeAll(async () => {
    let sign: (userId: string) => Promise<string>;
    ({ app, token: sign } = await createHttpTestApp(
      [TodosHttpController],
      [
        grpcStub(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME, todos),
        grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, users),
        Notifier,
        TimeZoneResolver,
      ],
    ));
    token = await sign('7');
  });

  afterAll(() => app.close());
  beforeEach(() => jest.clearAllMocks());

  describe('the time zone of the views and stats', () => {
    it('is the X-Time-Zone header, else the profile zone; the profile is asked only when the answer depends on the day', async () => {
      await send('GET', '/api/todos/stats', undefined, { 'x-time-zone': 'asia/tokyo' });
      expect(todos.getTodoStats).toHaveBeenLastCalledWith(
        expect.objectContaining({ timeZone: 'Asia/Tokyo' }),
        expect.anything(),
        expect.anything(),
      );
      await send('GET', '/api/todos?view=today');
      expect(todos.listTodos).toHaveBeenLastCalledWith(
        expect.objectContaining({ view: 'today', timeZone: 'Europe/Berlin' }),
        expect.anything(),
        expect.anything(),
      );
      users.getUser.mockClear();
      await send('GET', '/api/todos?priority=high');
      expect(todos.listTodos).toHaveBeenLastCalledWith(expect.objectContaining({ timeZone: '' }), expect.anything(), expect.anything());
      expect(users.getUser).not.toHaveBeenCalled();
    });

    it('answers 400 INVALID_TIME_ZONE for a zone Intl does not know', async () => {
      const response = await send('GET', '/api/todos?view=upcoming', undefined, { 'x-time-zone': 'Mars/Olympus' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'INVALID_TIME_ZONE' });
      expect(todos.listTodos).not.toHaveBeenCalled();
    });
  });

  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...headers } });

  it.each([
    ['GET', '/api/todos'],
    ['POST', '/api/todos'],
    ['GET', '/api/todos/stats'],
    ['GET', '/api/todos/1'],
    ['PATCH', '/api/todos/1'],
    ['PUT', '/api/todos/1'],
    ['DELETE', '/api/todos/1'],
  ])('%s %s requires a token', async (method, url) => {
    const response = await app.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(401);
    expect(Object.values(todos).every((fn) => fn.mock.calls.length === 0)).toBe(true);
  });

  it.each(['abc', '0', '01', '-1', '1.5', '12345678901234567890', '1e3'])(
    'answers 400 for the id %s without calling todos-service',
    async (id) => {
      for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
        const response = await send(method, `/api/todos/${id}`, method === 'PATCH' || method === 'PUT' ? { text: 'x' } : undefined);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'id must be a positive integer id' });
      }
      expect(todos.getTodo).not.toHaveBeenCalled();
      expect(todos.updateTodo).not.toHaveBeenCalled();
      expect(todos.deleteTodo).not.toHaveBeenCalled();
    },
  );

  it('lists with the filters converted, and REST nulls for unset fields', async () => {
    const response = await send(
      'GET',
      '/api/todos?completed=false&overdue=true&priority=high&category=%20Work%20&dueBefore=2026-05-01&limit=5&cursor=abc',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [rest], nextCursor: 'abc' });
    expect(todos.listTodos).toHaveBeenCalledWith(
      {
        userId: '7',
        completed: false,
        overdue: true,
        priority: 'high',
        category: 'Work',
        dueBefore: '2026-05-01',
        dueAfter: '',
        limit: 5,
        cursor: 'abc',
        listId: '',
        view: '',
        order: '',
        parentId: '',
        // overdue= depends on the day: the profile's zone (no header).
        timeZone: 'Europe/Berlin',
      },
      expect.any(Metadata),
      expect.anything(),
    );
  });

  it('answers nextCursor null on the last page', async () => {
    todos.listTodos.mockReturnValueOnce(of({ items: [], nextCursor: undefined }));
    expect((await send('GET', '/api/todos')).json()).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    'completed=maybe',
    'completed=1',
    'completed=true&completed=false',
    'overdue=yes',
    'limit=0',
    'limit=101',
    'limit=ten',
    'limit=2.5',
    'priority=urgent',
    'category=',
    `category=${'c'.repeat(31)}`,
    'dueBefore=tomorrow',
    'dueAfter=2026-02-30',
    `cursor=${'c'.repeat(513)}`,
    'sort=text',
  ])('answers 400 for the query %s', async (query) => {
    const response = await send('GET', `/api/todos?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(todos.listTodos).not.toHaveBeenCalled();
  });

  it('creates with 201, trimming and passing the client id; null fields are simply absent', async () => {
    const response = await send('POST', '/api/todos', { text: '  Buy milk ', dueDate: null, category: null }, { 'x-client-id': 'tab-1' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(rest);
    expect(todos.createTodo).toHaveBeenCalledWith(
      {
        userId: '7',
        text: 'Buy milk',
        priority: '',
        dueDate: undefined,
        category: undefined,
        clientId: 'tab-1',
        listId: '',
        allDay: undefined,
        idempotencyKey: undefined,
        parentId: '',
        recurrence: undefined,
        remindAt: undefined,
        timeZone: '',
      },
      expect.anything(),
      expect.anything(),
    );
  });

  it.each([
    ['an unknown field', { text: 'x', done: true }],
    ['no text', {}],
    ['empty text', { text: '' }],
    ['blank text', { text: '   ' }],
    ['text of 201 characters', { text: 't'.repeat(201) }],
    ['a number for text', { text: 5 }],
    ['a bad priority', { text: 'x', priority: 'urgent' }],
    ['a null priority', { text: 'x', priority: null }],
    ['a bad date', { text: 'x', dueDate: 'next week' }],
    ['an impossible date', { text: 'x', dueDate: '2026-02-30' }],
    ['an empty category', { text: 'x', category: '' }],
    ['a category of 31 characters', { text: 'x', category: 'c'.repeat(31) }],
  ])('answers 400 to a create with %s', async (_, body) => {
    const response = await send('POST', '/api/todos', body);
    expect(response.statusCode).toBe(400);
    expect(todos.createTodo).not.toHaveBeenCalled();
  });

  it.each(['PATCH', 'PUT'])('%s updates with null as "clear" and absent as "unchanged"', async (method) => {
    const response = await send(method, '/api/todos/42', { completed: true, dueDate: null, category: 'Home', version: 2 });
    expect(response.statusCode).toBe(200);
    expect(todos.updateTodo).toHaveBeenCalledWith(
      {
        userId: '7',
        id: '42',
        text: undefined,
        completed: true,
        priority: undefined,
        dueDate: {},
        category: { value: 'Home' },
        version: 2,
        clientId: '',
        allDay: undefined,
        listId: undefined,
        parentId: undefined,
        recurrence: undefined,
        remindAt: undefined,
        timeZone: '',
      },
      expect.anything(),
      expect.anything(),
    );
  });

  it.each([
    ['an unknown field', { title: 'x' }],
    ['a string for completed', { completed: 'true' }],
    ['null for completed', { completed: null }],
    ['null for text', { text: null }],
    ['version 0', { version: 0 }],
    ['a fractional version', { version: 1.5 }],
    ['a string version', { version: '2' }],
  ])('answers 400 to an update with %s', async (_, body) => {
    expect((await send('PATCH', '/api/todos/42', body)).statusCode).toBe(400);
    expect(todos.updateTodo).not.toHaveBeenCalled();
  });

  it('answers a version conflict with 409 and the stored todo todos-service sent (proto TodoVersionConflict) in its REST shape', async () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_METADATA, 'TODO_VERSION_CONFLICT');
    const details: todosV1.TodoVersionConflict = { current: { ...stored, category: 'Home' } };
    metadata.set(ERROR_DETAILS_METADATA, JSON.stringify(details));
    todos.updateTodo.mockReturnValueOnce(
      throwError(() => ({ code: GrpcStatus.ABORTED, details: 'The todo was changed elsewhere', metadata })),
    );
    const response = await send('PATCH', '/api/todos/42', { text: 'x', version: 1 });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'TODO_VERSION_CONFLICT',
      message: 'The todo was changed elsewhere',
      current: { ...rest, category: 'Home' },
      requestId: expect.any(String),
    });
  });

  it('maps NOT_FOUND to 404', async () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_METADATA, 'TODO_NOT_FOUND');
    todos.getTodo.mockReturnValueOnce(throwError(() => ({ code: GrpcStatus.NOT_FOUND, details: 'Todo not found', metadata })));
    const response = await send('GET', '/api/todos/42');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'TODO_NOT_FOUND', message: 'Todo not found' });
  });

  it('deletes with 204', async () => {
    const response = await send('DELETE', '/api/todos/42');
    expect(response.statusCode).toBe(204);
    expect(todos.deleteTodo).toHaveBeenCalledWith({ userId: '7', id: '42', clientId: '' }, expect.anything(), expect.anything());
  });

  it('routes /stats before /:id and fills in missing priority counts', async () => {
    const response = await send('GET', '/api/todos/stats');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      total: 1,
      completed: 0,
      pending: 1,
      overdue: 0,
      completionRate: 0,
      byPriority: { low: 0, medium: 0, high: 0 },
      byCategory: {},
    });
    expect(todos.getTodo).not.toHaveBeenCalled();
  });

  it("completing a todo in a list notifies the list's owner and accepted members, not the actor or a pending invitee", async () => {
    const completed = { ...stored, completed: true, completedAt: '2026-03-03T00:00:00.000Z', listId: '5' };
    todos.updateTodo.mockReturnValueOnce(of(completed));
    const response = await send('PATCH', '/api/todos/42', { completed: true });
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(users.createNotifications).toHaveBeenCalledWith(
      expect.objectContaining({
        userId: '7',
        recipientIds: ['3', '8'],
        kind: 'TODO_COMPLETED',
        subjectKind: 'todo',
        subjectId: '42',
        listId: '5',
        listName: 'Groceries',
        dedupeKey: 'todo-completed:42:2026-03-03T00:00:00.000Z',
      }),
      expect.anything(),
      expect.anything(),
    );
    // A todo of no list, or an edit that does not complete: nobody to tell.
    users.createNotifications.mockClear();
    todos.updateTodo.mockReturnValueOnce(of({ ...completed, listId: undefined }));
    await send('PATCH', '/api/todos/42', { completed: true });
    await send('PATCH', '/api/todos/42', { text: 'Buy oat milk' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(users.createNotifications).not.toHaveBeenCalled();
  });
});
