import type { RedisEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import type { EventEnvelope, NoteEventEnvelope } from '../src/lib/envelope';
import { isNoteEvent } from '../src/lib/envelope';
import { EventLog } from '../src/lib/event-log';
import { eventKeys } from '../src/lib/keys';

const noteIdOf = (event: EventEnvelope) => (isNoteEvent(event) ? event.noteId : undefined);

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

  it('publishes an event once per key, however often it is retried, and live to watchers once', async () => {
    const seen: EventEnvelope[] = [];
    const stop = log.watch('u-once', undefined, { onEvent: (e) => seen.push(e), onResync: () => undefined });
    await new Promise((r) => setTimeout(r, 100));
    const first = await log.publishOnce(
      { key: 'reminder:9:1', event: note('u-once', 'x') },
      { key: 'reminder:9:2', event: note('u-once', 'y') },
    );
    const again = await log.publishOnce(
      { key: 'reminder:9:1', event: note('u-once', 'x') },
      { key: 'reminder:9:3', event: note('u-once', 'z') },
    );
    expect([first, again]).toEqual([
      [true, true],
      [false, true],
    ]);
    expect((await log.replay('u-once', '0-0')).events.map(noteIdOf)).toEqual(['x', 'y', 'z']);
    await until(() => seen.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map(noteIdOf)).toEqual(['x', 'y', 'z']);
    expect(await redis.ttl(eventKeys.once('reminder:9:1'))).toBeGreaterThan(6 * 24 * 3600);
    stop();
  });

  it('replays in bounded XRANGE batches (COUNT), in order, also through watch', async () => {
    const published = await log.publish(...Array.from({ length: 250 }, (_, i) => note('u-many', `n${i}`)));
    const xrange = jest.spyOn(redis, 'xrange');
    const replay = await log.replay('u-many', published[0].id);
    expect(replay.events.map((e) => noteIdOf(e))).toEqual(published.slice(1).map((e) => noteIdOf(e)));
    expect(xrange).toHaveBeenCalledTimes(3); // 100 + 100 + 49
    for (const call of xrange.mock.calls) expect(call.slice(3)).toEqual(['COUNT', 100]);
    xrange.mockClear();
    const got: EventEnvelope[] = [];
    const stop = log.watch('u-many', published[9].id, {
      onEvent: (e) => got.push(e),
      onResync: () => got.push({ type: 'RESYNC' } as never),
    });
    await until(() => got.length >= 240);
    stop();
    expect(got.map((e) => noteIdOf(e))).toEqual(published.slice(10).map((e) => noteIdOf(e)));
    expect(xrange.mock.calls.every((call) => call[3] === 'COUNT')).toBe(true);
    xrange.mockRestore();
  });

  it('publishes a note whose event would be over 8 KB as id + version + truncated, without its text', async () => {
    const big = {
      id: '77',
      title: 'big',
      text: 'x'.repeat(20_000),
      tags: [],
      isPinned: false,
      isArchived: false,
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const small = { ...big, id: '78', text: 'short' };
    const [capped, whole] = await log.publish(
      { type: 'NOTE_UPDATED', userId: 'u-big', noteId: '77', note: big },
      { type: 'NOTE_UPDATED', userId: 'u-big', noteId: '78', note: small },
    );
    expect(capped).toMatchObject({ noteId: '77', version: 3, truncated: true });
    expect((capped as NoteEventEnvelope).note).toBeUndefined();
    expect((whole as NoteEventEnvelope).note).toEqual(small);
    const stored = (await redis.xrange(eventKeys.userStream('u-big'), '-', '+')).map(([, fields]) => fields[1]);
    expect(Buffer.byteLength(stored[0])).toBeLessThan(1_000);
    expect(JSON.parse(stored[0])).toMatchObject({ noteId: '77', version: 3, truncated: true });
    expect((await log.replay('u-big', '0-0')).events.map((e) => e.truncated ?? false)).toEqual([true, false]);
  });

  it('asks for a resync when events after the id were trimmed, or the stream is gone', async () => {
    const [first] = await log.publish(note('u2', 'a'), note('u2', 'b'));
    await redis.xtrim(eventKeys.userStream('u2'), 'MAXLEN', 1);
    expect((await log.replay('u2', first.id)).resync).toBe(true);
    expect((await log.replay('nobody', '1-0')).resync).toBe(true);
    expect((await log.replay('u2', 'garbage')).resync).toBe(true);
  });

  it('watch: catch-up first, live events held back meanwhile, each event once and in order', async () => {
    const [seen] = await log.publish(note('u3', 'seen'));
    await log.publish(note('u3', 'missed-1'), note('u3', 'missed-2'));
    const got: EventEnvelope[] = [];
    const stop = log.watch('u3', seen.id, { onEvent: (e) => got.push(e), onResync: () => got.push({ type: 'RESYNC' } as never) });
    // Live events published while the catch-up may still be running.
    await log.publish(note('u3', 'live-1'));
    await log.publish(note('u3', 'live-2'));
    await until(() => got.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((e) => noteIdOf(e))).toEqual(['missed-1', 'missed-2', 'live-1', 'live-2']);
    stop();
    await log.publish(note('u3', 'after-stop'));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(4);
    expect(log.watcherCount()).toBe(0);
  });

  it("watch delivers only the watched user's events", async () => {
    const got: EventEnvelope[] = [];
    const stop = log.watch('u4', undefined, { onEvent: (e) => got.push(e), onResync: jest.fn() });
    await new Promise((r) => setTimeout(r, 50));
    await log.publish(note('u5', 'not mine'), note('u4', 'mine'));
    await until(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((e) => noteIdOf(e))).toEqual(['mine']);
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
