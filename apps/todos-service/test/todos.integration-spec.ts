import { status as GrpcStatus } from '@grpc/grpc-js';
import { PROTO_FILES, todosV1 } from '@micronote/proto';
import type { ServiceSpec } from '@micronote/server-core';
import { callMetadata, callUnary, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA, startService } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import {
  deleteRedisKeys,
  dropDatabase,
  grpcTestClient,
  subscribeToUserChanges,
  testIdentity,
  testServiceEnv,
} from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { lastValueFrom, toArray } from 'rxjs';

import type { ListQuery } from '../src/todos/todos.repository';
import { TodosRepository } from '../src/todos/todos.repository';

type Client = todosV1.TodosServiceClient;

/**
 * todos-service as a real process would run: its own fresh MariaDB database, migrated, serving
 * gRPC on a free port; called through a real gRPC client.
 */
describe('todos-service (gRPC, real MariaDB)', () => {
  let env: Record<string, string>;
  let app: INestApplication;
  let db: Connection;
  let client: ReturnType<typeof grpcTestClient<Client>>;
  let nextUser = 1000;
  const newUserId = () => String(++nextUser);

  const create = (userId: string, fields: Partial<todosV1.CreateTodoRequest> = {}) =>
    callUnary(
      client.service,
      'createTodo',
      {
        userId,
        text: 'a todo',
        priority: '',
        clientId: '',
        listId: '',
        parentId: '',
        timeZone: '',
        ...fields,
      } as todosV1.CreateTodoRequest,
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const get = (userId: string, id: string) =>
    callUnary(client.service, 'getTodo', { userId, id }, { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) });
  const update = (userId: string, id: string, fields: Partial<todosV1.UpdateTodoRequest> = {}) =>
    callUnary(
      client.service,
      'updateTodo',
      { userId, id, clientId: '', timeZone: '', ...fields },
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const remove = (userId: string, id: string) =>
    callUnary(
      client.service,
      'deleteTodo',
      { userId, id, clientId: '' },
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const list = (userId: string, fields: Partial<todosV1.ListTodosRequest> = {}) =>
    callUnary(
      client.service,
      'listTodos',
      {
        userId,
        priority: '',
        category: '',
        dueBefore: '',
        dueAfter: '',
        limit: 0,
        cursor: '',
        listId: '',
        view: '',
        order: '',
        parentId: '',
        timeZone: '',
        ...fields,
      } as todosV1.ListTodosRequest,
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const stats = (userId: string, timeZone = '') =>
    callUnary(client.service, 'getTodoStats', { userId, timeZone }, { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) });
  const bulk = (userId: string, ids: string[], action: string, fields: Partial<todosV1.BulkTodosRequest> = {}) =>
    callUnary(
      client.service,
      'bulkTodos',
      { userId, ids, action, clientId: '', ...fields },
      { deadlineMs: 30_000, identity: testIdentity('todos-service', userId) },
    );
  const completions = (userId: string, id: string, fields: Partial<todosV1.ListTodoCompletionsRequest> = {}) =>
    callUnary(
      client.service,
      'listTodoCompletions',
      { userId, id, limit: 0, cursor: '', ...fields },
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const move = (userId: string, id: string, after = '', before = '') =>
    callUnary(
      client.service,
      'moveTodo',
      { userId, id, after, before, clientId: '' },
      { deadlineMs: 5_000, identity: testIdentity('todos-service', userId) },
    );
  const exportAll = (userId: string) =>
    lastValueFrom(
      client.service.exportTodos({ userId }, callMetadata({ identity: testIdentity('todos-service', userId) })).pipe(toArray()),
    );
  const importTodos = (userId: string, todos: todosV1.Todo[]) =>
    callUnary(client.service, 'importTodos', { userId, todos }, { deadlineMs: 10_000, identity: testIdentity('todos-service', userId) });
  const deleteUserTodos = (userId: string) =>
    callUnary(
      client.service,
      'deleteUserTodos',
      { userId },
      { deadlineMs: 10_000, identity: testIdentity('todos-service', undefined, 'user-service') },
    );

  /** Every todo of the list, page by page. */
  async function listAll(userId: string, fields: Partial<todosV1.ListTodosRequest> = {}): Promise<todosV1.Todo[]> {
    const items: todosV1.Todo[] = [];
    let cursor = '';
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(userId, { ...fields, cursor });
      items.push(...page.items);
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    // The reminder scheduler's own transactions would add to the counts of transactions here (test/reminders.integration-spec.ts covers it).
    env = { ...(await testServiceEnv('micronote_todos')), REMINDERS_ENABLED: 'false' };
    Object.assign(process.env, env);
    // Config is validated when the module is imported: import after the env is set.
    const { migrate } = await import('../src/database');
    const { AppModule } = await import('../src/app.module');
    await migrate();
    const spec: ServiceSpec = {
      name: 'todos-service',
      module: AppModule,
      packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
      protoFile: PROTO_FILES.todos,
      serviceName: `${todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME}.${todosV1.TODOS_SERVICE_NAME}`,
    };
    app = await startService(spec);
    client = grpcTestClient<Client>({
      packageName: spec.packageName,
      protoFile: spec.protoFile,
      url: `127.0.0.1:${env['GRPC_PORT']}`,
      serviceName: todosV1.TODOS_SERVICE_NAME,
    });
    db = await createConnection({ uri: `${env['MYSQL_URL']}/${env['DB_NAME']}`, timezone: 'Z' });
  });

  afterAll(async () => {
    client?.close();
    await db?.end();
    await app?.close();
    await dropDatabase(env['DB_NAME']);
    await deleteRedisKeys(env['REDIS_KEY_PREFIX']);
    delete process.env['REMINDERS_ENABLED'];
  });

  async function rejection(
    promise: Promise<unknown>,
  ): Promise<{ code: number; details: string; domainCode: unknown; extra: Record<string, unknown> }> {
    const error = await promise.then(
      () => {
        throw new Error('expected a gRPC error');
      },
      (e: { code: number; details: string; metadata: { get(k: string): unknown[] } }) => e,
    );
    const rawExtra = error.metadata.get(ERROR_DETAILS_METADATA)[0];
    return {
      code: error.code,
      details: error.details,
      domainCode: error.metadata.get(ERROR_CODE_METADATA)[0],
      extra: typeof rawExtra === 'string' ? (JSON.parse(rawExtra) as Record<string, unknown>) : {},
    };
  }

  /** The list order of the spec, computed independently of the SQL. */
  function specOrder(a: todosV1.Todo, b: todosV1.Todo): number {
    if (a.completed !== b.completed) return a.completed ? 1 : -1;
    if (!a.dueDate !== !b.dueDate) return a.dueDate ? -1 : 1;
    if (a.dueDate && b.dueDate && a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
    if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
    return BigInt(a.id) > BigInt(b.id) ? -1 : 1;
  }

  describe('create and get', () => {
    it('creates once per Idempotency-Key: a repeated create returns the first todo', async () => {
      const userId = newUserId();
      const first = await create(userId, { text: 'Once', idempotencyKey: 'todo-key-1' });
      expect(await create(userId, { text: 'Once', idempotencyKey: 'todo-key-1' })).toEqual(first);
      const other = newUserId();
      expect((await create(other, { text: 'Once', idempotencyKey: 'todo-key-1' })).id).not.toBe(first.id);
      expect((await list(userId)).items).toHaveLength(1);
    });

    it('creates a todo with medium priority by default and reads it back', async () => {
      const userId = newUserId();
      const todo = await create(userId, { text: '  Buy milk  ' });
      expect(todo).toEqual({
        id: expect.stringMatching(/^[1-9]\d*$/),
        text: 'Buy milk',
        completed: false,
        priority: 'medium',
        version: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: todo.createdAt,
        createdBy: userId,
        allDay: false,
        // The first todo of the user: the first fractional index.
        position: 'a0',
        subtasksTotal: 0,
        subtasksCompleted: 0,
      });
      expect(todo.dueDate).toBeUndefined();
      expect(todo.category).toBeUndefined();
      expect(todo.completedAt).toBeUndefined();
      const read = await get(userId, todo.id);
      expect(read).toMatchObject({
        id: todo.id,
        text: 'Buy milk',
        priority: 'medium',
        version: 1,
        createdAt: todo.createdAt,
        createdBy: userId,
      });
    });

    it('stores a date-only due date as 00:00 UTC and a date-time with an offset as its UTC instant', async () => {
      const userId = newUserId();
      const dated = await create(userId, { dueDate: '2026-05-01', priority: 'high', category: ' Work ' });
      expect(dated).toMatchObject({ dueDate: '2026-05-01T00:00:00.000Z', priority: 'high', category: 'Work' });
      const timed = await create(userId, { dueDate: '2026-05-01T08:15:30.250+02:00' });
      expect((await get(userId, timed.id)).dueDate).toBe('2026-05-01T06:15:30.250Z');
      const [rows] = await db.query('SELECT priority, due_date, no_due FROM todos WHERE id = ?', [dated.id]);
      expect(rows).toEqual([{ priority: 2, due_date: new Date('2026-05-01T00:00:00Z'), no_due: 0 }]);
    });

    it.each([
      ['empty text', { text: '' }],
      ['blank text', { text: '  \t ' }],
      ['text of 201 characters', { text: 't'.repeat(201) }],
      ['a bad priority', { priority: 'urgent' }],
      ['a category of 31 characters', { category: 'c'.repeat(31) }],
      ['an empty category', { category: '' }],
      ['an impossible date', { dueDate: '2026-02-29' }],
      ['a date in words', { dueDate: 'next friday' }],
    ])('refuses %s with INVALID_ARGUMENT and a clear message', async (_, fields) => {
      const error = await rejection(create(newUserId(), fields));
      expect(error).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'VALIDATION_FAILED',
        details: expect.stringMatching(/must be/),
      });
    });

    it('accepts exactly 200 characters of text and 30 of category', async () => {
      const todo = await create(newUserId(), { text: 'x'.repeat(200), category: 'c'.repeat(30) });
      expect(todo.text).toHaveLength(200);
    });

    it('answers NOT_FOUND for a malformed or unknown id', async () => {
      const userId = newUserId();
      for (const id of ['abc', '0', '-1', '99999999999']) {
        expect(await rejection(get(userId, id))).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'TODO_NOT_FOUND' });
      }
    });
  });

  describe('update', () => {
    it('sets completedAt when completed turns true, clears it when it turns false, one version per change', async () => {
      const userId = newUserId();
      const todo = await create(userId, { text: 'Write report' });
      const done = await update(userId, todo.id, { completed: true });
      expect(done).toMatchObject({ completed: true, version: 2, completedAt: expect.stringMatching(/Z$/) });
      expect(Date.parse(done.completedAt as string)).toBeGreaterThanOrEqual(Date.parse(todo.createdAt));
      expect(done.updatedAt).toBe(done.completedAt);

      const again = await update(userId, todo.id, { completed: true });
      expect(again).toEqual(done);

      const undone = await update(userId, todo.id, { completed: false });
      expect(undone).toMatchObject({ completed: false, version: 3 });
      expect(undone.completedAt).toBeUndefined();
      expect(await get(userId, todo.id)).toEqual(undone);
    });

    it('updates only the given fields, clears nullable ones with an empty value and does not bump on a no-op', async () => {
      const userId = newUserId();
      const todo = await create(userId, { text: 'Plan trip', dueDate: '2026-06-01', category: 'Travel', priority: 'low' });
      const edited = await update(userId, todo.id, { priority: 'high' });
      expect(edited).toMatchObject({
        text: 'Plan trip',
        priority: 'high',
        dueDate: '2026-06-01T00:00:00.000Z',
        category: 'Travel',
        version: 2,
      });

      const noop = await update(userId, todo.id, {
        text: 'Plan trip ',
        priority: 'high',
        dueDate: { value: '2026-06-01T00:00:00Z' },
        category: { value: 'Travel' },
      });
      expect(noop).toEqual(edited);

      const cleared = await update(userId, todo.id, { dueDate: {}, category: {} });
      expect(cleared).toMatchObject({ version: 3 });
      expect(cleared.dueDate).toBeUndefined();
      expect(cleared.category).toBeUndefined();
      const [rows] = await db.query('SELECT due_date, category, no_due, version FROM todos WHERE id = ?', [todo.id]);
      expect(rows).toEqual([{ due_date: null, category: null, no_due: 1, version: 3 }]);
    });

    it('refuses a stale version with ABORTED TODO_VERSION_CONFLICT and the current todo, changing nothing', async () => {
      const userId = newUserId();
      const todo = await create(userId, { text: 'Original' });
      const current = await update(userId, todo.id, { text: 'Tab one', version: 1 });
      const error = await rejection(update(userId, todo.id, { text: 'Tab two', version: 1 }));
      expect(error).toMatchObject({ code: GrpcStatus.ABORTED, domainCode: 'TODO_VERSION_CONFLICT' });
      // `current` as the proto TodoVersionConflict carries it (the gateway makes it REST).
      expect(error.extra).toEqual({ current });
      expect(await get(userId, todo.id)).toEqual(current);
      // Even an update that would change nothing is checked against the version.
      expect((await rejection(update(userId, todo.id, { version: 7 }))).domainCode).toBe('TODO_VERSION_CONFLICT');
    });

    it.each([
      ['empty text', { text: '' }],
      ['a bad priority', { priority: 'MEDIUM' }],
      ['a bad due date', { dueDate: { value: '2026-13-01' } }],
      ['a long category', { category: { value: 'x'.repeat(31) } }],
    ])('refuses %s with INVALID_ARGUMENT', async (_, fields) => {
      const userId = newUserId();
      const todo = await create(userId);
      expect(await rejection(update(userId, todo.id, fields))).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'VALIDATION_FAILED',
      });
      expect((await get(userId, todo.id)).version).toBe(1);
    });
  });

  describe('delete', () => {
    it('deletes for good; a second delete and a read are NOT_FOUND', async () => {
      const userId = newUserId();
      const todo = await create(userId);
      await remove(userId, todo.id);
      expect((await rejection(get(userId, todo.id))).code).toBe(GrpcStatus.NOT_FOUND);
      expect((await rejection(remove(userId, todo.id))).code).toBe(GrpcStatus.NOT_FOUND);
      const [rows] = await db.query('SELECT COUNT(*) AS n FROM todos WHERE id = ?', [todo.id]);
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  it("answers another user's todo with NOT_FOUND for every verb, and leaves it alone", async () => {
    const owner = newUserId();
    const stranger = newUserId();
    const todo = await create(owner, { text: 'Mine' });
    expect(await rejection(get(stranger, todo.id))).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'TODO_NOT_FOUND' });
    expect(await rejection(update(stranger, todo.id, { text: 'Yours now', completed: true }))).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    expect(await rejection(update(stranger, todo.id, { version: 99 }))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
    expect(await rejection(remove(stranger, todo.id))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
    expect((await list(stranger)).items).toEqual([]);
    expect(await get(owner, todo.id)).toEqual(todo);
  });

  describe('list', () => {
    const userId = String(500);
    let all: todosV1.Todo[];
    const now = Date.now();
    const day = 24 * 60 * 60 * 1000;
    const iso = (ms: number) => new Date(ms).toISOString();

    beforeAll(async () => {
      // 30 todos: some done, some overdue, some without a due date, some sharing a due date.
      const specs: Partial<todosV1.CreateTodoRequest & { done: boolean }>[] = [];
      for (let i = 0; i < 30; i++) {
        specs.push({
          text: `todo ${i}`,
          priority: ['low', 'medium', 'high'][i % 3],
          category: i % 4 === 0 ? undefined : ['Work', 'Home', 'work'][i % 3],
          dueDate: i % 5 === 0 ? undefined : i % 7 === 0 ? iso(now + 3 * day) : iso(now + ((i % 6) - 3) * day),
          done: i % 4 === 1,
        });
      }
      for (const { done, ...fields } of specs) {
        const todo = await create(userId, fields);
        if (done) await update(userId, todo.id, { completed: true });
      }
      all = (await list(userId, { limit: 100 })).items;
    });

    it('orders: not completed first, then due date soonest first with none last, then newest', async () => {
      expect(all).toHaveLength(30);
      expect(all.map((t) => t.id)).toEqual([...all].sort(specOrder).map((t) => t.id));
      // Ties on the due date exist and are broken newest first.
      const sameDue = all.filter((t) => !t.completed && t.dueDate === iso(now + 3 * day));
      expect(sameDue.length).toBeGreaterThan(1);
      expect(sameDue.map((t) => BigInt(t.id))).toEqual([...sameDue.map((t) => BigInt(t.id))].sort((a, b) => (a > b ? -1 : 1)));
      expect(all.findIndex((t) => t.completed)).toBe(all.filter((t) => !t.completed).length);
    });

    it.each([1, 4, 7, 29, 30])('pages of %i give every todo once, in order', async (limit) => {
      const paged = await listAll(userId, { limit });
      expect(paged.map((t) => t.id)).toEqual(all.map((t) => t.id));
    });

    it('defaults to 20 per page', async () => {
      const page = await list(userId);
      expect(page.items).toHaveLength(20);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('filters by completed, priority and category (case-insensitively), in list order, across pages', async () => {
      expect((await listAll(userId, { completed: true, limit: 3 })).map((t) => t.id)).toEqual(
        all.filter((t) => t.completed).map((t) => t.id),
      );
      expect((await listAll(userId, { completed: false, limit: 3 })).map((t) => t.id)).toEqual(
        all.filter((t) => !t.completed).map((t) => t.id),
      );
      expect((await listAll(userId, { priority: 'high', limit: 3 })).map((t) => t.id)).toEqual(
        all.filter((t) => t.priority === 'high').map((t) => t.id),
      );
      const work = all.filter((t) => t.category?.toLowerCase() === 'work');
      expect(work.length).toBeGreaterThan(0);
      expect((await listAll(userId, { category: 'WORK', limit: 3 })).map((t) => t.id)).toEqual(work.map((t) => t.id));
    });

    it('filters by due date: dueAfter inclusive, dueBefore exclusive, no due date never matches', async () => {
      const after = iso(now - day);
      const before = iso(now + 2 * day);
      const expected = all.filter((t) => t.dueDate && t.dueDate >= after && t.dueDate < before);
      expect(expected.length).toBeGreaterThan(0);
      expect((await listAll(userId, { dueAfter: after, dueBefore: before, limit: 4 })).map((t) => t.id)).toEqual(expected.map((t) => t.id));
      const exact = all.find((t) => t.dueDate)?.dueDate as string;
      expect((await list(userId, { dueAfter: exact, limit: 100 })).items.map((t) => t.dueDate)).toContain(exact);
      expect((await list(userId, { dueBefore: exact, limit: 100 })).items.map((t) => t.dueDate)).not.toContain(exact);
    });

    it('filters overdue (not completed, due in the past) and not overdue', async () => {
      const nowIso = new Date().toISOString();
      const overdue = all.filter((t) => !t.completed && t.dueDate && t.dueDate < nowIso);
      expect(overdue.length).toBeGreaterThan(0);
      expect((await listAll(userId, { overdue: true, limit: 2 })).map((t) => t.id)).toEqual(overdue.map((t) => t.id));
      const ids = new Set(overdue.map((t) => t.id));
      expect((await listAll(userId, { overdue: false, limit: 5 })).map((t) => t.id)).toEqual(
        all.filter((t) => !ids.has(t.id)).map((t) => t.id),
      );
      expect((await list(userId, { overdue: true, completed: true })).items).toEqual([]);
    });

    it('refuses a bad cursor, a bad limit and bad filters with INVALID_ARGUMENT', async () => {
      const page = await list(userId, { limit: 2 });
      const tampered = Buffer.from(JSON.stringify(['t', false, null, 'yesterday', '1'])).toString('base64url');
      const good = page.nextCursor as string;
      for (const cursor of ['%%%', 'bm90IGpzb24', tampered, `${good}!`, good.slice(0, -4), 'x'.repeat(513)]) {
        expect(await rejection(list(userId, { cursor }))).toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          domainCode: 'INVALID_CURSOR',
        });
      }
      for (const fields of [
        { limit: 101 },
        { limit: -5 },
        { priority: 'none' },
        { dueBefore: '2026-02-30' },
        { dueAfter: 'soon' },
        { category: 'c'.repeat(31) },
      ]) {
        expect(await rejection(list(userId, fields))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });
      }
    });

    it('sees its own writes at once (the cached list is invalidated)', async () => {
      const other = newUserId();
      expect((await list(other)).items).toEqual([]);
      const todo = await create(other, { text: 'fresh' });
      expect((await list(other)).items.map((t) => t.id)).toEqual([todo.id]);
      await update(other, todo.id, { completed: true });
      expect((await list(other, { completed: false })).items).toEqual([]);
      expect((await list(other)).items[0]).toMatchObject({ completed: true, version: 2 });
      await remove(other, todo.id);
      expect((await list(other)).items).toEqual([]);
    });

    it('gives the numbers of stats', async () => {
      const nowIso = new Date().toISOString();
      const completed = all.filter((t) => t.completed).length;
      const byCategory: Record<string, number> = {};
      for (const t of all)
        if (t.category)
          byCategory[t.category === 'work' ? 'Work' : t.category] = (byCategory[t.category === 'work' ? 'Work' : t.category] ?? 0) + 1;
      expect(await stats(userId)).toEqual({
        total: 30,
        completed,
        pending: 30 - completed,
        overdue: all.filter((t) => !t.completed && t.dueDate && t.dueDate < nowIso).length,
        completionRate: completed / 30,
        byPriority: { low: 10, medium: 10, high: 10 },
        byCategory,
      });
    });
  });

  describe('stats', () => {
    it('is all zeros for a user without todos', async () => {
      expect(await stats(newUserId())).toEqual({
        total: 0,
        completed: 0,
        pending: 0,
        overdue: 0,
        completionRate: 0,
        byPriority: { low: 0, medium: 0, high: 0 },
        byCategory: {},
      });
    });

    it('follows writes at once', async () => {
      const userId = newUserId();
      const late = await create(userId, { dueDate: '2020-01-01', category: 'Chores', priority: 'low' });
      await create(userId, { dueDate: '2999-01-01' });
      expect(await stats(userId)).toMatchObject({ total: 2, pending: 2, overdue: 1, completionRate: 0, byCategory: { Chores: 1 } });
      await update(userId, late.id, { completed: true });
      expect(await stats(userId)).toMatchObject({
        total: 2,
        completed: 1,
        pending: 1,
        overdue: 0,
        completionRate: 0.5,
        byPriority: { low: 1, medium: 1, high: 0 },
      });
    });
  });

  describe('export, import, delete all', () => {
    it('exports every todo in id order, imports them idempotently and deletes a user’s todos in batches', async () => {
      const source = newUserId();
      const created: todosV1.Todo[] = [];
      for (let i = 0; i < 5; i++)
        created.push(
          await create(source, { text: `export ${i}`, dueDate: i % 2 ? '2026-07-01' : undefined, category: i ? 'Cat' : undefined }),
        );
      await update(source, created[1].id, { completed: true });
      const exported = await exportAll(source);
      expect(exported.map((t) => t.id)).toEqual(created.map((t) => t.id));
      expect(exported[1]).toMatchObject({ completed: true, completedAt: expect.any(String), version: 2 });

      // Into another account: everything once, then nothing.
      const target = newUserId();
      expect(await importTodos(target, exported)).toEqual({ created: 5, skipped: 0 });
      expect(await importTodos(target, exported)).toEqual({ created: 0, skipped: 5 });
      const imported = await listAll(target);
      expect(imported).toHaveLength(5);
      const copy = imported.find((t) => t.text === 'export 1');
      expect(copy).toMatchObject({
        completed: true,
        completedAt: exported[1].completedAt,
        createdAt: exported[1].createdAt,
        dueDate: '2026-07-01T00:00:00.000Z',
        version: 1,
      });

      // Back into the account it came from: its originals are recognised.
      expect(await importTodos(source, exported)).toEqual({ created: 0, skipped: 5 });
      expect(await exportAll(source)).toHaveLength(5);

      // A bad todo in the document: nothing is written.
      const bad = await rejection(importTodos(newUserId(), [exported[0], { ...exported[2], text: '' }]));
      expect(bad).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });

      expect(await deleteUserTodos(target)).toEqual({ deleted: 5 });
      expect(await deleteUserTodos(target)).toEqual({ deleted: 0 });
      expect((await list(target)).items).toEqual([]);
      expect(await exportAll(source)).toHaveLength(5);
    });

    it('imports in batches of 500 rows per transaction; a failed batch leaves the ones before it, and the same import again adds the rest', async () => {
      const user = newUserId();
      const todos = Array.from({ length: 1_200 }, (_, i) => ({
        id: `src-${i}`,
        text: `bulk ${i}`,
        completed: false,
        priority: 'low',
        version: 1,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      })) as todosV1.Todo[];
      const repo = app.get(TodosRepository);
      const real = repo.insertImported.bind(repo);
      let batch = 0;
      const failing = jest.spyOn(repo, 'insertImported').mockImplementation(async (...args) => {
        batch += 1;
        if (batch === 2) throw new Error('the database went away');
        return real(...args);
      });
      expect((await rejection(importTodos(user, todos))).code).toBe(GrpcStatus.INTERNAL);
      failing.mockRestore();
      const [[{ n }]] = (await db.query('SELECT COUNT(*) AS n FROM todos WHERE user_id = ?', [user])) as unknown as [[{ n: number }]];
      expect(Number(n)).toBe(500);
      const transactions = jest.spyOn(repo, 'transaction');
      expect(await importTodos(user, todos)).toEqual({ created: 700, skipped: 500 });
      expect(transactions).toHaveBeenCalledTimes(2); // 500 + 200
      transactions.mockRestore();
      expect((await stats(user)).total).toBe(1_200);
    });

    it('imports a todo whose parentId is an earlier todo of the import as its subtask, in order, also when the parent was imported before', async () => {
      const user = newUserId();
      const todo = (id: string, parentId?: string) =>
        ({
          id,
          text: id,
          completed: false,
          priority: 'medium',
          version: 1,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          parentId,
        }) as todosV1.Todo;
      expect(await importTodos(user, [todo('p'), todo('a', 'p'), todo('q'), todo('b', 'p')])).toEqual({ created: 4, skipped: 0 });
      const top = await listAll(user);
      const parent = top.find((t) => t.text === 'p');
      expect(
        top
          .filter((t) => !t.parentId)
          .map((t) => t.text)
          .sort(),
      ).toEqual(['p', 'q']);
      expect(parent).toMatchObject({ subtasksTotal: 2 });
      const [rows] = (await db.query('SELECT text, parent_id FROM todos WHERE user_id = ? AND parent_id IS NOT NULL ORDER BY position', [
        user,
      ])) as unknown as [{ text: string; parent_id: string }[]];
      expect(rows.map((r) => [r.text, String(r.parent_id)])).toEqual([
        ['a', parent?.id],
        ['b', parent?.id],
      ]);
      // Again, with one more subtask: the parent is found by its import key.
      expect(await importTodos(user, [todo('p'), todo('a', 'p'), todo('b', 'p'), todo('c', 'p')])).toEqual({ created: 1, skipped: 3 });
      const [[{ n }]] = (await db.query('SELECT COUNT(*) AS n FROM todos WHERE user_id = ? AND parent_id = ?', [
        user,
        parent?.id,
      ])) as unknown as [[{ n: number }]];
      expect(Number(n)).toBe(3);
    });

    it('exports nothing for a user without todos', async () => {
      expect(await exportAll(newUserId())).toEqual([]);
    });
  });

  it("streams the user's todo events (completed ones as TODO_COMPLETED) until the client cancels", async () => {
    const userId = '7001';
    const changes = subscribeToUserChanges('todos', { url: `127.0.0.1:${env['GRPC_PORT']}`, userId });
    await new Promise((r) => setTimeout(r, 200));
    const todo = await create(userId, { text: 'streamed' });
    await create('7002', { text: 'not yours' });
    await update(userId, todo.id, { completed: true });
    const got = await changes.until(2).finally(() => changes.close());
    expect(got.map((e) => [e.type, e.todoId])).toEqual([
      ['TODO_CREATED', todo.id],
      ['TODO_COMPLETED', todo.id],
    ]);
    expect(got[1].todo).toMatchObject({ completed: true, completedAt: expect.any(String) });
  });

  describe('subtasks', () => {
    it('puts a subtask under a top-level todo, lists it only under its parent and counts it there', async () => {
      const userId = newUserId();
      const parent = await create(userId, { text: 'pack' });
      const sub = await create(userId, { text: 'passport', parentId: parent.id });
      expect(sub).toMatchObject({ parentId: parent.id, subtasksTotal: 0 });
      expect((await list(userId)).items.map((t) => [t.text, t.subtasksTotal, t.subtasksCompleted])).toEqual([['pack', 1, 0]]);
      expect((await list(userId, { parentId: parent.id })).items.map((t) => t.id)).toEqual([sub.id]);
      await update(userId, sub.id, { completed: true });
      expect(await get(userId, parent.id)).toMatchObject({ subtasksTotal: 1, subtasksCompleted: 1 });
    });

    it('nests one level only and never under what is not yours (400, the same for a missing todo)', async () => {
      const userId = newUserId();
      const parent = await create(userId);
      const sub = await create(userId, { parentId: parent.id });
      const other = await create(newUserId());
      for (const [fields, message] of [
        [{ parentId: sub.id }, /top-level/],
        [{ parentId: other.id }, /no such todo/],
        [{ parentId: '999999999' }, /no such todo/],
        [{ parentId: 'x' }, /todo id/],
      ] as const) {
        const error = await rejection(create(userId, fields));
        expect([error.code, error.details]).toEqual([GrpcStatus.INVALID_ARGUMENT, expect.stringMatching(message)]);
      }
      // A todo with subtasks cannot become one; a todo cannot be its own.
      const lone = await create(userId);
      expect((await rejection(update(userId, parent.id, { parentId: { value: lone.id } }))).details).toMatch(/with subtasks/);
      expect((await rejection(update(userId, lone.id, { parentId: { value: lone.id } }))).details).toMatch(/own subtask/);
      // Moved under a parent and back to the top level.
      expect(await update(userId, lone.id, { parentId: { value: parent.id } })).toMatchObject({ parentId: parent.id });
      expect((await update(userId, lone.id, { parentId: {} })).parentId).toBeUndefined();
      expect(await get(userId, parent.id)).toMatchObject({ subtasksTotal: 1 });
    });

    it('completing the parent completes its open subtasks (announced), reopening leaves them', async () => {
      const userId = newUserId();
      const parent = await create(userId);
      const [a, b] = [await create(userId, { parentId: parent.id }), await create(userId, { parentId: parent.id })];
      await update(userId, a.id, { completed: true });
      const changes = subscribeToUserChanges('todos', { url: `127.0.0.1:${env['GRPC_PORT']}`, userId });
      await new Promise((r) => setTimeout(r, 200));
      expect(await update(userId, parent.id, { completed: true })).toMatchObject({
        completed: true,
        subtasksTotal: 2,
        subtasksCompleted: 2,
      });
      const got = await changes.until(2).finally(() => changes.close());
      expect(got.map((e) => [e.type, e.todoId])).toEqual([
        ['TODO_COMPLETED', parent.id],
        ['TODO_COMPLETED', b.id],
      ]);
      expect((await get(userId, a.id)).version).toBe(a.version + 1);
      await update(userId, parent.id, { completed: false });
      expect(await get(userId, parent.id)).toMatchObject({ completed: false, subtasksCompleted: 2 });
    });

    it('deleting the parent deletes its subtasks and gives their places in the quota back', async () => {
      const userId = newUserId();
      const parent = await create(userId);
      for (let i = 0; i < 3; i++) await create(userId, { parentId: parent.id });
      const usage = async () =>
        Number(
          ((await db.query('SELECT items FROM todo_usage WHERE user_id = ?', [userId])) as unknown as [{ items: number }[]])[0][0].items,
        );
      expect(await usage()).toBe(4);
      await remove(userId, parent.id);
      const [[{ n }]] = (await db.query('SELECT COUNT(*) AS n FROM todos WHERE user_id = ?', [userId])) as unknown as [[{ n: number }]];
      expect(Number(n)).toBe(0);
      expect(await usage()).toBe(0);
    });

    it('holds at most 200 subtasks per todo', async () => {
      const userId = newUserId();
      const parent = await create(userId);
      await db.query(
        `INSERT INTO todos (user_id, text, priority, version, created_at, updated_at, parent_id, position)
         SELECT ?, CONCAT('sub ', s.seq), 1, 1, NOW(3), NOW(3), ?, CONCAT('a', s.seq) FROM seq_1_to_200 s`,
        [userId, parent.id],
      );
      expect((await rejection(create(userId, { parentId: parent.id }))).details).toMatch(/at most 200 subtasks/);
    });
  });

  describe('bulk', () => {
    it('completes, reopens, updates and deletes many todos, each on its own (missing or not yours: NOT_FOUND)', async () => {
      const userId = newUserId();
      const mine = await Promise.all(Array.from({ length: 5 }, (_, i) => create(userId, { text: `bulk ${i}` })));
      const theirs = await create(newUserId());
      const ids = [...mine.map((t) => t.id), theirs.id, '999999999'];
      const codes = (response: todosV1.BulkTodosResponse) => response.items.map((item) => item.grpcCode);
      expect(codes(await bulk(userId, ids, 'complete'))).toEqual([0, 0, 0, 0, 0, GrpcStatus.NOT_FOUND, GrpcStatus.NOT_FOUND]);
      expect((await list(userId, { completed: true })).items).toHaveLength(5);
      expect(await get(newUserId(), theirs.id).catch((e) => e.code)).toBe(GrpcStatus.NOT_FOUND);
      await bulk(userId, [mine[0].id], 'reopen');
      const updated = await bulk(
        userId,
        mine.map((t) => t.id),
        'update',
        { priority: 'high', dueDate: { value: '2026-09-01' }, category: { value: 'Home' } },
      );
      expect(codes(updated)).toEqual([0, 0, 0, 0, 0]);
      expect(await get(userId, mine[3].id)).toMatchObject({
        priority: 'high',
        dueDate: '2026-09-01T00:00:00.000Z',
        allDay: true,
        category: 'Home',
      });
      await bulk(
        userId,
        mine.map((t) => t.id),
        'update',
        { category: {} },
      );
      expect((await get(userId, mine[3].id)).category).toBeUndefined();
      expect(codes(await bulk(userId, [mine[1].id, mine[2].id], 'delete'))).toEqual([0, 0]);
      expect(await listAll(userId)).toHaveLength(3);
      expect((await get(userId, theirs.id).catch((e) => e)).code).toBe(GrpcStatus.NOT_FOUND);
    });

    it.each<[string, string[], string, Partial<todosV1.BulkTodosRequest>]>([
      ['no ids', [], 'complete', {}],
      ['501 ids', Array.from({ length: 501 }, (_, i) => String(i + 1)), 'complete', {}],
      ['a repeated id', ['1', '1'], 'complete', {}],
      ['a malformed id', ['x'], 'complete', {}],
      ['an unknown action', ['1'], 'archive', {}],
      ['update without fields', ['1'], 'update', {}],
      ['fields without update', ['1'], 'complete', { priority: 'high' }],
      ['a bad field', ['1'], 'update', { priority: 'urgent' }],
      ['a bad due date', ['1'], 'update', { dueDate: { value: '2026-02-30' } }],
    ])('refuses %s as a whole (INVALID_ARGUMENT, nothing changed)', async (_, ids, action, fields) => {
      const userId = newUserId();
      const todo = await create(userId);
      const error = await rejection(
        bulk(
          userId,
          ids.map((id) => (id === '1' ? todo.id : id)),
          action,
          fields,
        ),
      );
      expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(await get(userId, todo.id)).toMatchObject({ version: 1 });
    });
  });

  describe('recurrence', () => {
    it('completing a recurring todo moves it to the next occurrence, reopens its subtasks and records the completion', async () => {
      const userId = newUserId();
      // 09:00 in Berlin every Monday and Thursday, from Monday 23 March 2026 (DST starts on the 29th).
      const todo = await create(userId, {
        text: 'gym',
        dueDate: '2026-03-23T08:00:00Z',
        recurrence: 'freq=weekly;byday=mo,th',
        timeZone: 'Europe/Berlin',
      });
      expect(todo.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TH');
      const sub = await create(userId, { text: 'towel', parentId: todo.id });
      await update(userId, sub.id, { completed: true });
      const first = await update(userId, todo.id, { completed: true });
      expect(first).toMatchObject({ completed: false, dueDate: '2026-03-26T08:00:00.000Z', version: todo.version + 1 });
      expect(first.completedAt).toBeUndefined();
      expect(await get(userId, sub.id)).toMatchObject({ completed: false });
      const second = await update(userId, todo.id, { completed: true });
      // Monday 30 March, 09:00 summer time.
      expect(second.dueDate).toBe('2026-03-30T07:00:00.000Z');
      const page = await completions(userId, todo.id, { limit: 1 });
      expect(page.items.map((c) => c.dueDate)).toEqual(['2026-03-26T08:00:00.000Z']);
      const rest = await completions(userId, todo.id, { cursor: page.nextCursor as string });
      expect(rest.items.map((c) => [c.dueDate, c.completedBy])).toEqual([['2026-03-23T08:00:00.000Z', userId]]);
      expect(rest.nextCursor).toBeUndefined();
      // The two completions count as completed todos; the todo itself is open (and so is its subtask).
      expect(await stats(userId)).toMatchObject({ total: 3, completed: 2, pending: 1 });
    });

    it('completes for good after the last occurrence (COUNT) and stops repeating when the recurrence is cleared', async () => {
      const userId = newUserId();
      const todo = await create(userId, { dueDate: '2026-05-01', recurrence: 'FREQ=DAILY;COUNT=2' });
      expect(await update(userId, todo.id, { completed: true })).toMatchObject({
        completed: false,
        dueDate: '2026-05-02T00:00:00.000Z',
        allDay: true,
      });
      const last = await update(userId, todo.id, { completed: true });
      expect(last).toMatchObject({ completed: true, dueDate: '2026-05-02T00:00:00.000Z' });
      expect((await completions(userId, todo.id)).items).toHaveLength(1);
      const other = await create(userId, { dueDate: '2026-05-01', recurrence: 'FREQ=DAILY' });
      expect((await update(userId, other.id, { recurrence: {} })).recurrence).toBeUndefined();
      expect(await update(userId, other.id, { completed: true })).toMatchObject({ completed: true });
    });

    it('refuses a bad rule, a rule without a due date, a repeating subtask, and completions of what is not yours', async () => {
      const userId = newUserId();
      const todo = await create(userId, { dueDate: '2026-05-01', recurrence: 'FREQ=DAILY' });
      for (const fields of [
        { recurrence: 'FREQ=HOURLY', dueDate: '2026-05-01' },
        { recurrence: 'FREQ=DAILY;BYSETPOS=1', dueDate: '2026-05-01' },
        { recurrence: 'FREQ=DAILY' },
        { recurrence: 'FREQ=DAILY', dueDate: '2026-05-01', parentId: todo.id },
        { recurrence: 'FREQ=DAILY', dueDate: '2026-05-01', timeZone: 'Mars/Olympus' },
      ]) {
        expect((await rejection(create(userId, fields))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
      }
      expect((await rejection(update(userId, todo.id, { dueDate: {} }))).details).toMatch(/needs a dueDate/);
      expect((await rejection(completions(newUserId(), todo.id))).code).toBe(GrpcStatus.NOT_FOUND);
      expect((await rejection(completions(userId, todo.id, { cursor: 'bogus' }))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    });
  });

  describe('manual order', () => {
    const manual = async (userId: string, fields: Partial<todosV1.ListTodosRequest> = {}) =>
      (await listAll(userId, { order: 'manual', ...fields })).map((t) => t.text);

    it('appends new todos, and moves one between, before the first or after the last of its siblings', async () => {
      const userId = newUserId();
      const [a, b, c] = [await create(userId, { text: 'a' }), await create(userId, { text: 'b' }), await create(userId, { text: 'c' })];
      expect(await manual(userId)).toEqual(['a', 'b', 'c']);
      const moved = await move(userId, c.id, a.id, b.id);
      expect(moved.version).toBe(c.version + 1);
      expect(await manual(userId)).toEqual(['a', 'c', 'b']);
      await move(userId, a.id, '', c.id);
      await move(userId, b.id, '', c.id);
      expect(await manual(userId)).toEqual(['a', 'b', 'c']);
      await move(userId, a.id, c.id);
      expect(await manual(userId)).toEqual(['b', 'c', 'a']);
      await move(userId, a.id, '', b.id);
      expect(await manual(userId)).toEqual(['a', 'b', 'c']);
      // Neither neighbour: the start.
      await move(userId, c.id);
      expect(await manual(userId, { limit: 1 })).toEqual(['c', 'a', 'b']);
    });

    it('refuses a neighbour that is not beside it (another parent, another user, missing) with 400', async () => {
      const userId = newUserId();
      const [a, b] = [await create(userId), await create(userId)];
      const sub = await create(userId, { parentId: a.id });
      const theirs = await create(newUserId());
      for (const args of [
        [sub.id, ''],
        ['', theirs.id],
        ['999999999', ''],
        ['x', ''],
        [b.id, b.id],
      ] as const) {
        expect((await rejection(move(userId, b.id, ...args))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
      }
      expect((await rejection(move(userId, b.id, b.id))).details).toMatch(/next to itself/);
      expect((await rejection(move(newUserId(), b.id, a.id))).code).toBe(GrpcStatus.NOT_FOUND);
    });

    it('orders subtasks among themselves', async () => {
      const userId = newUserId();
      const parent = await create(userId);
      const [x, y] = [await create(userId, { text: 'x', parentId: parent.id }), await create(userId, { text: 'y', parentId: parent.id })];
      await move(userId, y.id, '', x.id);
      expect(await manual(userId, { parentId: parent.id })).toEqual(['y', 'x']);
    });

    it('still sorts right after 1,000 moves into the same gap (positions compared as bytes, by MariaDB and here alike)', async () => {
      const userId = newUserId();
      const [first, m, n] = [
        await create(userId, { text: 'first' }),
        await create(userId, { text: 'm' }),
        await create(userId, { text: 'n' }),
        await create(userId, { text: 'last' }),
      ];
      // Each move halves the gap after `first`: the worst case for key length.
      let [mover, other] = [m, n];
      for (let i = 0; i < 1_000; i++) {
        await move(userId, mover.id, first.id, other.id);
        [mover, other] = [other, mover];
      }
      const items = await listAll(userId, { order: 'manual' });
      expect(items.map((t) => t.text)).toEqual(['first', other.text, mover.text, 'last']);
      const positions = items.map((t) => t.position);
      expect([...positions].sort((p, q) => Buffer.compare(Buffer.from(p), Buffer.from(q)))).toEqual(positions);
      expect(new Set(positions).size).toBe(4);
      expect(Math.max(...positions.map((p) => p.length))).toBeLessThanOrEqual(512);
    }, 120_000);
  });

  describe("due times and views in the user's zone", () => {
    let clock: Clock;
    let realNow: () => Date;

    beforeAll(() => {
      clock = app.get<Clock>(CLOCK);
      realNow = clock.now;
      // 23:30 in Berlin on the last day of winter time (clocks go forward at 02:00 on the 29th).
      clock.now = () => new Date('2026-03-28T22:30:00.000Z');
    });

    afterAll(() => {
      clock.now = realNow;
    });

    it('keeps all-day todos as dates and timed ones as instants', async () => {
      const userId = newUserId();
      expect(await create(userId, { dueDate: '2026-05-01' })).toMatchObject({ dueDate: '2026-05-01T00:00:00.000Z', allDay: true });
      const timed = await create(userId, { dueDate: '2026-05-01T09:00:00+02:00' });
      expect(timed).toMatchObject({ dueDate: '2026-05-01T07:00:00.000Z', allDay: false });
      expect(await update(userId, timed.id, { allDay: true })).toMatchObject({ dueDate: '2026-05-01T00:00:00.000Z', allDay: true });
      expect(await update(userId, timed.id, { dueDate: { value: '2026-05-02T10:00:00Z' } })).toMatchObject({ allDay: false });
      // The date it was read with, sent back: still all-day.
      await update(userId, timed.id, { allDay: true });
      expect(await update(userId, timed.id, { dueDate: { value: '2026-05-02T00:00:00.000Z' }, text: 'moved' })).toMatchObject({
        allDay: true,
      });
      const cleared = await update(userId, timed.id, { dueDate: {} });
      expect([cleared.dueDate, cleared.allDay]).toEqual([undefined, false]);
    });

    it('answers today and upcoming by the calendar of the zone asked for (DST included)', async () => {
      const userId = newUserId();
      const todo = async (text: string, dueDate: string, allDay?: boolean) => create(userId, { text, dueDate, allDay });
      await todo('later tonight', '2026-03-28T22:45:00Z'); // 23:45 in Berlin
      await todo('just after midnight', '2026-03-28T23:30:00Z'); // 00:30 on the 29th in Berlin
      await todo('all day today', '2026-03-28');
      await todo('all day yesterday', '2026-03-27');
      await todo('all day tomorrow', '2026-03-29');
      await todo('this morning yesterday', '2026-03-27T10:00:00Z');
      await todo('all day in 6 days', '2026-04-03');
      await todo('all day in 7 days', '2026-04-04');
      await todo('late on day 6', '2026-04-03T21:30:00Z'); // 23:30 CEST on 3 April
      await todo('early on day 7', '2026-04-03T22:30:00Z'); // 00:30 CEST on 4 April
      const done = await todo('done today', '2026-03-28');
      await update(userId, done.id, { completed: true });
      await create(userId, { text: 'no date' });
      const view = async (name: string, timeZone: string) => (await listAll(userId, { view: name, timeZone })).map((t) => t.text).sort();

      expect(await view('today', 'Europe/Berlin')).toEqual([
        'all day today',
        'all day yesterday',
        'later tonight',
        'this morning yesterday',
      ]);
      expect(await view('upcoming', 'Europe/Berlin')).toEqual(
        ['all day in 6 days', 'all day today', 'all day tomorrow', 'just after midnight', 'late on day 6', 'later tonight'].sort(),
      );
      // Already the 29th at UTC+14: yesterday's and today's all-day todos are overdue or due.
      expect(await view('today', 'Pacific/Kiritimati')).toEqual(
        ['all day today', 'all day tomorrow', 'all day yesterday', 'just after midnight', 'later tonight', 'this morning yesterday'].sort(),
      );
      // No zone: UTC (still the 28th).
      expect(await view('today', '')).toEqual(await view('today', 'UTC'));
      expect(await stats(userId, 'Europe/Berlin')).toMatchObject({ overdue: 2 });
      expect(await stats(userId, 'Pacific/Kiritimati')).toMatchObject({ overdue: 3 });
      expect((await listAll(userId, { overdue: true, timeZone: 'Pacific/Kiritimati' })).length).toBe(3);
    });

    it('refuses an unknown zone, view or order with 400', async () => {
      const userId = newUserId();
      for (const fields of [{ timeZone: 'Mars/Olympus' }, { view: 'tomorrow' }, { order: 'random' }, { parentId: 'x' }]) {
        expect((await rejection(list(userId, fields))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
      }
      expect((await rejection(stats(userId, 'Not/AZone'))).details).toMatch(/IANA/);
    });
  });

  describe('query plans', () => {
    const userId = '900';

    beforeAll(async () => {
      // Enough rows, for this user and others, that the plan is the one a real table gets.
      await db.query(
        `INSERT INTO todos (user_id, text, completed, priority, due_date, category, version, created_at, updated_at)
         SELECT 900 + s.seq % 5, CONCAT('bulk ', s.seq), s.seq % 3 = 0, s.seq % 3, IF(s.seq % 4 = 0, NULL, '2026-01-01' + INTERVAL (s.seq % 90) DAY),
                IF(s.seq % 2, 'Work', NULL), 1, '2026-01-01' + INTERVAL s.seq SECOND, '2026-01-01'
         FROM seq_1_to_5000 s`,
      );
      await db.query('ANALYZE TABLE todos');
    });

    async function explain(query: Partial<ListQuery>): Promise<{ key: string; Extra: string; type: string; key_len: string }> {
      const repo = app.get(TodosRepository);
      const { sql, params } = repo.listSql({ userId, parentKey: '0', now: new Date(), today: new Date(), limit: 21, ...query });
      const [rows] = await db.query(`EXPLAIN ${sql}`, params);
      const plan = rows as { key: string; Extra: string; type: string; key_len: string }[];
      expect(plan).toHaveLength(1);
      return plan[0];
    }

    it.each<[string, Partial<ListQuery>]>([
      ['the default list', {}],
      ['the completed filter', { completed: true }],
      ['the not-completed filter', { completed: false }],
      [
        'a later page of the default list',
        { after: { completed: false, dueDate: '2026-02-01 00:00:00.000', createdAt: '2026-01-01 00:10:00.000', id: '300' } },
      ],
      [
        'a later page in the no-due-date part',
        { after: { completed: false, dueDate: null, createdAt: '2026-01-01 00:10:00.000', id: '300' } },
      ],
      ['the overdue filter', { overdue: true }],
      ['a priority and category filter', { priority: 2, category: 'Work' }],
    ])('%s is a scan of ix_todos_list in index order (no filesort)', async (_, query) => {
      const plan = await explain(query);
      expect(plan.key).toBe('ix_todos_list');
      expect(plan.Extra ?? '').not.toMatch(/filesort/i);
      expect(plan.Extra ?? '').not.toMatch(/temporary/i);
    });

    it.each<[string, Partial<ListQuery>, string]>([
      ['the manual order', { manual: {} }, 'ix_todos_manual'],
      ['a later page of the manual order', { manual: { after: { position: 'a5', id: '300' } } }, 'ix_todos_manual'],
      ['the today view', { window: { to: new Date('2026-02-01'), toDate: new Date('2026-02-01') } }, 'ix_todos_list'],
      [
        'the upcoming view',
        {
          window: {
            from: new Date('2026-01-20'),
            to: new Date('2026-01-27'),
            fromDate: new Date('2026-01-20'),
            toDate: new Date('2026-01-27'),
          },
        },
        'ix_todos_list',
      ],
      ["a todo's subtasks", { parentKey: '5' }, 'ix_todos_list'],
    ])('%s is a scan of its index in order (no filesort)', async (_, query, index) => {
      const plan = await explain(query);
      expect(plan.key).toBe(index);
      expect(plan.Extra ?? '').not.toMatch(/filesort|temporary/i);
    });

    it("reads a later page of the manual order as a range on (position, id), not from the user's first entry", async () => {
      const plan = await explain({ manual: { after: { position: 'a5', id: '300' } } });
      expect(plan.type).toBe('range');
      // user_id and parent_key are 8 bytes each (+1 NULL flag): more means position is in the range.
      expect(Number(plan.key_len)).toBeGreaterThan(17);
    });

    it('serves the default list from the index range of the user and the keyset', async () => {
      expect((await explain({})).type).toMatch(/^(ref|range)$/);
      expect((await explain({ completed: true })).type).toMatch(/^(ref|range)$/);
      expect(
        (
          await explain({
            after: { completed: false, dueDate: '2026-02-01 00:00:00.000', createdAt: '2026-01-01 00:10:00.000', id: '300' },
          })
        ).type,
      ).toBe('range');
    });

    it('pages the bulk rows in the same order the spec defines', async () => {
      const items = await listAll(userId, { limit: 100 });
      expect(items.length).toBe(1000);
      expect(items.map((t) => t.id)).toEqual([...items].sort(specOrder).map((t) => t.id));
    });
  });

  describe('time passing (the injected clock)', () => {
    let clock: Clock;
    let realNow: () => Date;
    let offsetMs = 0;

    beforeAll(() => {
      // The service's own clock, moved forward by these tests.
      clock = app.get<Clock>(CLOCK);
      realNow = clock.now;
      clock.now = () => new Date(realNow().getTime() + offsetMs);
    });

    afterAll(() => {
      clock.now = realNow;
    });

    it('makes a todo overdue in stats and in the overdue list once its due time passes, with no write in between', async () => {
      const userId = newUserId();
      const soon = await create(userId, { text: 'due in an hour', dueDate: new Date(Date.now() + 60 * 60 * 1000).toISOString() });
      await create(userId, { text: 'no due date' });
      expect(await stats(userId)).toMatchObject({ total: 2, overdue: 0 });
      expect((await list(userId, { overdue: true })).items).toEqual([]);
      expect((await list(userId)).items.map((t) => t.id)[0]).toBe(soon.id);

      offsetMs = 2 * 60 * 60 * 1000;
      expect(await stats(userId)).toMatchObject({ total: 2, pending: 2, overdue: 1 });
      expect((await list(userId, { overdue: true })).items.map((t) => t.id)).toEqual([soon.id]);
      expect((await list(userId, { overdue: false })).items.map((t) => t.text)).toEqual(['no due date']);

      const done = await update(userId, soon.id, { completed: true });
      expect(Date.parse(done.completedAt as string)).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
      expect(await stats(userId)).toMatchObject({ overdue: 0, completed: 1 });
      offsetMs = 0;
    });
  });

  it('re-running the migrations applies nothing', async () => {
    const { migrate } = await import('../src/database');
    await expect(migrate()).resolves.toEqual([]);
  });
});
