import type { ChangeEvent } from '@micronote/contracts';
import { CacheScope, ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import type { notesV1, todosV1 } from '@micronote/proto';
import type { CacheEnv, RedisEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueSuffix } from '@micronote/server-testing';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { toChangeEvent } from '../src/realtime/change-event';

/**
 * The gateway's side of the events seam on a real Redis: what notes- and todos-service publish
 * (ChangeFeed with proto payloads, `@micronote/events`) reaches the browser as the REST
 * ChangeEvent of `@micronote/contracts`, through the gateway's own EventLog and mapping.
 */
describe('realtime: service events reach the socket as REST change events (real Redis)', () => {
  const prefix = `mnit${uniqueSuffix()}:`;
  const env: Partial<RedisEnv & CacheEnv> = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, READ_CACHE_TTL: 300 };
  const config = { get: (key: keyof (RedisEnv & CacheEnv)) => env[key] } as unknown as ConfigService<RedisEnv & CacheEnv, true>;
  let serviceRedis: Redis;
  let gatewayRedis: Redis;
  let serviceLog: EventLog;
  let gatewayLog: EventLog;
  let feed: ChangeFeed;

  const note: notesV1.Note = {
    id: '3',
    title: 'n',
    text: 't',
    tags: ['a'],
    isPinned: true,
    isArchived: false,
    version: 2,
    createdAt: 'c',
    updatedAt: 'u',
  };
  const todo: todosV1.Todo = {
    id: '4',
    text: 'milk',
    completed: true,
    priority: 'high',
    completedAt: 'd',
    allDay: false,
    position: 'a0',
    subtasksTotal: 0,
    subtasksCompleted: 0,
    version: 3,
    createdAt: 'c',
    updatedAt: 'u',
  };
  const { subtasksTotal: _total, subtasksCompleted: _completed, ...restScalars } = todo;

  beforeAll(() => {
    serviceRedis = createRedisClient(TEST_REDIS_URL, { name: 'service', keyPrefix: prefix });
    gatewayRedis = createRedisClient(TEST_REDIS_URL, { name: 'gateway', keyPrefix: prefix });
    serviceLog = new EventLog(serviceRedis, config);
    gatewayLog = new EventLog(gatewayRedis, config);
    feed = new ChangeFeed(new ReadCache(serviceRedis, config), serviceLog);
  });

  afterAll(async () => {
    await serviceLog.onApplicationShutdown();
    await gatewayLog.onApplicationShutdown();
    serviceRedis.disconnect();
    gatewayRedis.disconnect();
    await deleteRedisKeys(prefix);
  });

  it('maps live and caught-up events alike, exactly as the browser expects them', async () => {
    const live: ChangeEvent[] = [];
    const stop = gatewayLog.watch('u1', '0-0', { onEvent: (e) => live.push(toChangeEvent(e)), onResync: () => undefined });
    await feed.changed(CacheScope.Notes, 'u1', { type: 'NOTE_UPDATED', userId: 'u1', noteId: '3', note, clientId: 'tab' });
    await feed.changed(CacheScope.Todos, 'u1', { type: 'TODO_COMPLETED', userId: 'u1', todoId: '4', todo });
    await feed.changed(CacheScope.Notes, 'u1', { type: 'NOTE_DELETED', userId: 'u1', noteId: '3' });
    for (let i = 0; i < 150 && live.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(live).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        type: 'NOTE_UPDATED',
        userId: 'u1',
        noteId: '3',
        clientId: 'tab',
        note: { ...note, deletedAt: null },
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        type: 'TODO_COMPLETED',
        userId: 'u1',
        todoId: '4',
        todo: {
          ...restScalars,
          dueDate: null,
          category: null,
          listId: null,
          parentId: null,
          recurrence: null,
          remindAt: null,
          subtasks: { total: 0, completed: 0 },
        },
      },
      { id: expect.any(String), at: expect.any(String), type: 'NOTE_DELETED', userId: 'u1', noteId: '3' },
    ]);
    expect((await gatewayLog.replay('u1', '0-0')).events.map(toChangeEvent)).toEqual(live);
  });
});
