import type { ChangeEvent } from '@micronote/contracts';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import type { RedisEnv } from '../src/lib/config/env';
import { EventLog } from '../src/lib/events/event-log';
import { createRedisClient } from '../src/lib/redis/redis';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** EventLog against a real Redis, under a prefix of its own. */
describe('EventLog (real Redis)', () => {
  const prefix = `mnit${Math.random().toString(16).slice(2, 10)}:`;
  let redis: Redis;
  let log: EventLog;
  const note = (userId: string, title: string) => ({ type: 'NOTE_CREATED' as const, userId, noteId: title, clientId: 'c1' });

  beforeAll(() => {
    redis = createRedisClient(REDIS_URL, { name: 'event-log-test', keyPrefix: prefix });
    const config = { get: (key: string) => ({ REDIS_URL, REDIS_KEY_PREFIX: prefix })[key] } as unknown as ConfigService<RedisEnv, true>;
    log = new EventLog(redis, config);
  });

  afterAll(async () => {
    await log.onApplicationShutdown();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
      if (keys.length) await redis.unlink(...keys.map((k) => k.slice(prefix.length)));
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  });

  const until = async (predicate: () => boolean, ms = 3_000) => {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('gives each event an id that grows per user and replays what came after an id', async () => {
    const published = await log.publish(note('u1', 'a'), note('u1', 'b'), note('u1', 'c'));
    expect(published.map((e) => e.id)).toEqual([...published.map((e) => e.id)].sort());
    const replay = await log.replay('u1', published[0].id);
    expect(replay).toEqual({ resync: false, events: published.slice(1) });
    expect(await log.lastId('u1')).toBe(published[2].id);
  });

  it('asks for a resync when events after the id were trimmed, or the stream is gone', async () => {
    const [first] = await log.publish(note('u2', 'a'), note('u2', 'b'));
    await redis.xtrim('events:user:u2', 'MAXLEN', 1);
    expect((await log.replay('u2', first.id)).resync).toBe(true);
    expect((await log.replay('nobody', '1-0')).resync).toBe(true);
    expect((await log.replay('u2', 'garbage')).resync).toBe(true);
  });

  it('watch: catch-up first, live events held back meanwhile, each event once and in order', async () => {
    const [seen] = await log.publish(note('u3', 'seen'));
    await log.publish(note('u3', 'missed-1'), note('u3', 'missed-2'));
    const got: ChangeEvent[] = [];
    const stop = log.watch('u3', seen.id, { onEvent: (e) => got.push(e), onResync: () => got.push({ type: 'RESYNC' } as never) });
    // Live events published while the catch-up may still be running.
    await log.publish(note('u3', 'live-1'));
    await log.publish(note('u3', 'live-2'));
    await until(() => got.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((e) => e.noteId)).toEqual(['missed-1', 'missed-2', 'live-1', 'live-2']);
    stop();
    await log.publish(note('u3', 'after-stop'));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(4);
    expect(log.watcherCount()).toBe(0);
  });

  it("watch delivers only the watched user's events", async () => {
    const got: ChangeEvent[] = [];
    const stop = log.watch('u4', undefined, { onEvent: (e) => got.push(e), onResync: jest.fn() });
    await new Promise((r) => setTimeout(r, 50));
    await log.publish(note('u5', 'not mine'), note('u4', 'mine'));
    await until(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((e) => e.noteId)).toEqual(['mine']);
    stop();
  });

  it('announces revoked sessions', async () => {
    const got: unknown[] = [];
    const stop = log.onSessionsRevoked((m) => got.push(m));
    await new Promise((r) => setTimeout(r, 50));
    await log.publishSessionsRevoked({ userId: 'u6', sessionIds: ['s1'] });
    await until(() => got.length === 1);
    expect(got).toEqual([{ kind: 'sessions_revoked', userId: 'u6', sessionIds: ['s1'] }]);
    stop();
  });
});
