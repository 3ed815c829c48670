import type { CacheEnv, RedisEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueSuffix } from '@micronote/server-testing';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { ChangeFeed } from '../src/lib/change-feed';
import type { EventEnvelope, NewEvent } from '../src/lib/envelope';
import { EVENT_ENVELOPE_VERSION } from '../src/lib/envelope';
import type { SessionsRevoked } from '../src/lib/event-log';
import { EventLog } from '../src/lib/event-log';
import { cacheKeys, CacheScope, eventKeys } from '../src/lib/keys';
import { ReadCache } from '../src/lib/read-cache';

/**
 * The events seam, both sides on one real Redis, each with connections of its own as in
 * production: a service publishes (ChangeFeed: cache bump + events; auth-service: revoked
 * sessions), a gateway reads (EventLog.watch/replay, its edge ReadCache, the revocation channel).
 * Both use this lib's names only, so renaming a key or channel on one side fails here first.
 */
describe('events contract: services publish, the gateway reads (real Redis)', () => {
  const prefix = `mnit${uniqueSuffix()}:`;
  const env: Partial<RedisEnv & CacheEnv> = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, READ_CACHE_TTL: 300 };
  const config = { get: (key: keyof (RedisEnv & CacheEnv)) => env[key] } as unknown as ConfigService<RedisEnv & CacheEnv, true>;
  const side = (name: string) => {
    const redis = createRedisClient(TEST_REDIS_URL, { name, keyPrefix: prefix });
    return { redis, log: new EventLog(redis, config), cache: new ReadCache(redis, config) };
  };
  let service: ReturnType<typeof side> & { feed: ChangeFeed };
  let gateway: ReturnType<typeof side>;
  let raw: Redis;

  const note = {
    id: '11',
    title: 't',
    text: 'x',
    tags: [],
    isPinned: false,
    isArchived: false,
    version: 1,
    createdAt: 'c',
    updatedAt: 'u',
  };
  const created: NewEvent = { type: 'NOTE_CREATED', userId: 'u1', noteId: '11', note, clientId: 'tab-1' };

  beforeAll(() => {
    const s = side('contract-service');
    service = { ...s, feed: new ChangeFeed(s.cache, s.log) };
    gateway = side('contract-gateway');
    raw = createRedisClient(TEST_REDIS_URL, { name: 'contract-raw', keyPrefix: prefix });
  });

  afterAll(async () => {
    await service.log.onApplicationShutdown();
    await gateway.log.onApplicationShutdown();
    for (const redis of [service.redis, gateway.redis, raw]) redis.disconnect();
    await deleteRedisKeys(prefix);
  });

  const until = async (predicate: () => boolean, ms = 3_000) => {
    for (const started = Date.now(); !predicate(); await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() - started > ms) throw new Error('timed out');
    }
  };

  it("delivers a service's committed changes on catch-up and live, as versioned envelopes with the proto payload", async () => {
    const got: EventEnvelope[] = [];
    await service.feed.changed(CacheScope.Notes, 'u1', created);
    // The first event comes by catch-up (the stream key), which runs once the subscription is up...
    const stop = gateway.log.watch('u1', '0-0', { onEvent: (e) => got.push(e), onResync: () => undefined });
    await until(() => got.length === 1);
    // ...so the second can only come live (the events channel).
    await service.feed.changed(CacheScope.Notes, 'u1', { ...created, noteId: '12', note: { ...note, id: '12' } });
    await until(() => got.length === 2);
    stop();
    expect(got[0]).toMatchObject({ v: EVENT_ENVELOPE_VERSION, type: 'NOTE_CREATED', userId: 'u1', noteId: '11', note, clientId: 'tab-1' });
    expect(got[1]).toMatchObject({ v: EVENT_ENVELOPE_VERSION, noteId: '12' });
    expect((await gateway.log.replay('u1', '0-0')).events).toEqual(got);
    expect(await raw.xlen(eventKeys.userStream('u1'))).toBe(2);
  });

  it("a service's write makes the gateway's cached read of that scope stale", async () => {
    const load = jest.fn(async () => 'page');
    await gateway.cache.read(CacheScope.Notes, 'u2', ['rest-list'], load);
    await new Promise((r) => setTimeout(r, 50));
    await gateway.cache.read(CacheScope.Notes, 'u2', ['rest-list'], load);
    expect(load).toHaveBeenCalledTimes(1);
    await service.feed.changed(CacheScope.Notes, 'u2', { ...created, userId: 'u2' });
    await gateway.cache.read(CacheScope.Notes, 'u2', ['rest-list'], load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(await raw.get(cacheKeys.version(CacheScope.Notes, 'u2'))).toBe('1');
  });

  it("announces auth-service's revoked sessions to the gateway", async () => {
    const got: SessionsRevoked[] = [];
    const stop = gateway.log.onSessionsRevoked((message) => got.push(message));
    // Pub/sub has no catch-up: announce until the gateway's subscription is up.
    for (let i = 0; i < 60 && got.length === 0; i++) {
      await service.log.publishSessionsRevoked({ userId: 'u3', sessionIds: ['s1'] });
      await new Promise((r) => setTimeout(r, 50));
    }
    stop();
    expect(got[0]).toEqual({ kind: 'sessions_revoked', userId: 'u3', sessionIds: ['s1'] });
  });
});
