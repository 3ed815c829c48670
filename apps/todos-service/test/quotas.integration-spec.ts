import { status as GrpcStatus } from '@grpc/grpc-js';
import type { todosV1 } from '@micronote/proto';
import { callUnary, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA } from '@micronote/server-core';
import type { grpcTestClient } from '@micronote/server-testing';
import { testIdentity } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { startTodosTestService } from './support/todos-test-service';

/** The per-user todo quota (MAX_TODOS_PER_USER = 5 here), on a fresh MariaDB database through real gRPC. */
describe('todos-service quota (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startTodosTestService>>;
  let app: INestApplication;
  let client: ReturnType<typeof grpcTestClient<todosV1.TodosServiceClient>>;
  let dataSource: DataSource;
  let nextUser = 7000;
  const newUser = () => String(nextUser++);

  const create = (userId: string, text = 'a todo') =>
    callUnary(
      client.service,
      'createTodo',
      { userId, text, priority: '', clientId: '', listId: '', parentId: '', timeZone: '' },
      { deadlineMs: 20_000, identity: testIdentity('todos-service', userId) },
    );
  const count = async (userId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM todos WHERE user_id = ?', [userId]))[0].n);
  const exported = (id: string): todosV1.Todo => ({
    allDay: false,
    position: '',
    subtasksTotal: 0,
    subtasksCompleted: 0,
    id,
    text: `imported ${id}`,
    completed: false,
    priority: 'low',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  async function rejection(promise: Promise<unknown>) {
    const error = await promise.then(
      () => {
        throw new Error('expected a gRPC error');
      },
      (e: { code: number; metadata: { get(k: string): unknown[] } }) => e,
    );
    const details = error.metadata?.get(ERROR_DETAILS_METADATA)[0];
    return {
      code: error.code,
      domainCode: error.metadata?.get(ERROR_CODE_METADATA)[0],
      details: details ? JSON.parse(String(details)) : undefined,
    };
  }

  beforeAll(async () => {
    service = await startTodosTestService({ MAX_TODOS_PER_USER: '5' });
    ({ app, client } = service);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await service?.close();
  });

  it('refuses the todo past MAX_TODOS_PER_USER with PERMISSION_DENIED / QUOTA_EXCEEDED; deleting one frees a place', async () => {
    const user = newUser();
    const todos = [];
    for (let i = 0; i < 5; i++) todos.push(await create(user, `t${i}`));
    expect(await rejection(create(user, 'one too many'))).toEqual({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'QUOTA_EXCEEDED',
      details: { quota: 'todos', limit: 5 },
    });
    await create(newUser());
    await callUnary(
      client.service,
      'deleteTodo',
      { userId: user, id: todos[0].id, clientId: '' },
      { deadlineMs: 5_000, identity: testIdentity('todos-service', user) },
    );
    await create(user, 'fits again');
    expect(await count(user)).toBe(5);
  });

  it('lets exactly one of many parallel creates take the last place (race-safe)', async () => {
    const user = newUser();
    for (let i = 0; i < 4; i++) await create(user, `t${i}`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => create(user, `racer ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await count(user)).toBe(5);
    const fresh = newUser();
    const first = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => create(fresh, `first ${i}`)));
    expect(first.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await count(fresh)).toBe(5);
  });

  it('refuses an import that would go over the quota whole, and imports one that fits', async () => {
    const user = newUser();
    await create(user);
    const five = ['a', 'b', 'c', 'd', 'e'].map(exported);
    expect(
      (
        await rejection(
          callUnary(
            client.service,
            'importTodos',
            { userId: user, todos: five },
            { deadlineMs: 20_000, identity: testIdentity('todos-service', user) },
          ),
        )
      ).domainCode,
    ).toBe('QUOTA_EXCEEDED');
    expect(await count(user)).toBe(1);
    expect(
      await callUnary(
        client.service,
        'importTodos',
        { userId: user, todos: five.slice(0, 4) },
        { deadlineMs: 20_000, identity: testIdentity('todos-service', user) },
      ),
    ).toEqual({
      created: 4,
      skipped: 0,
    });
    expect((await rejection(create(user))).domainCode).toBe('QUOTA_EXCEEDED');
    // A deleted account gives its places back.
    await callUnary(
      client.service,
      'deleteUserTodos',
      { userId: user },
      { deadlineMs: 20_000, identity: testIdentity('todos-service', undefined, 'user-service') },
    );
    for (let i = 0; i < 5; i++) await create(user);
  });
});
