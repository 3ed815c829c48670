import type { CacheEnv } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { ReadCache } from './read-cache';

/** An in-memory stand-in for the few Redis commands ReadCache uses; `down` makes every call fail. */
function fakeRedis() {
  const data = new Map<string, string>();
  const state = { down: false };
  const guard = () => {
    if (state.down) throw new Error('Connection is closed.');
  };
  const redis = {
    get: jest.fn(async (key: string) => (guard(), data.get(key) ?? null)),
    set: jest.fn(async (key: string, value: string) => (guard(), data.set(key, value), 'OK')),
    readCacheStore: jest.fn(async (key: string, _index: string, value: string) => (guard(), data.set(key, value), 0)),
    multi: () => {
      const ops: (() => void)[] = [];
      const chain = {
        incr: (key: string) => (ops.push(() => data.set(key, String(Number(data.get(key) ?? 0) + 1))), chain),
        expire: () => chain,
        exec: async () => (guard(), ops.forEach((op) => op()), []),
      };
      return chain;
    },
  };
  return { redis: redis as unknown as Redis, data, state };
}

const config = (ttl: number, maxEntryBytes = 262_144) =>
  ({
    get: (key: string) => ({ READ_CACHE_TTL: ttl, READ_CACHE_MAX_ENTRY_BYTES: maxEntryBytes, READ_CACHE_MAX_ENTRIES_PER_USER: 64 })[key],
  }) as unknown as ConfigService<CacheEnv, true>;

describe(ReadCache.name, () => {
  it('serves a repeated read from Redis until the user writes', async () => {
    const { redis } = fakeRedis();
    const cache = new ReadCache(redis, config(300));
    let value = 'v1';
    const load = jest.fn(async () => value);
    expect(await cache.read('notes', '1', { q: 'a' }, load)).toBe('v1');
    await new Promise((r) => setImmediate(r));
    value = 'v2';
    expect(await cache.read('notes', '1', { q: 'a' }, load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);

    await cache.invalidate('notes', '1');
    expect(await cache.read('notes', '1', { q: 'a' }, load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keeps users' entries and query shapes apart", async () => {
    const { redis } = fakeRedis();
    const cache = new ReadCache(redis, config(300));
    await cache.read('notes', '1', { q: 'a' }, async () => 'one-a');
    await new Promise((r) => setImmediate(r));
    expect(await cache.read('notes', '2', { q: 'a' }, async () => 'two-a')).toBe('two-a');
    expect(await cache.read('notes', '1', { q: 'b' }, async () => 'one-b')).toBe('one-b');
  });

  it('skips the cache, without an error, while Redis is down', async () => {
    const { redis, state } = fakeRedis();
    const cache = new ReadCache(redis, config(300));
    state.down = true;
    await expect(cache.read('notes', '1', {}, async () => 'fresh')).resolves.toBe('fresh');
    await expect(cache.invalidate('notes', '1')).resolves.toBeUndefined();
  });

  it('does not store an answer over READ_CACHE_MAX_ENTRY_BYTES (it is still answered)', async () => {
    const { redis, data } = fakeRedis();
    const cache = new ReadCache(redis, config(300, 1_024));
    const big = 'x'.repeat(2_000);
    const load = jest.fn(async () => big);
    expect(await cache.read('notes', '1', { q: 'big' }, load)).toBe(big);
    await new Promise((r) => setImmediate(r));
    expect(await cache.read('notes', '1', { q: 'big' }, load)).toBe(big);
    expect(load).toHaveBeenCalledTimes(2);
    expect([...data.keys()].filter((k) => !k.includes(':ver:'))).toEqual([]);
    await cache.read('notes', '1', { q: 'small' }, async () => 'small');
    await new Promise((r) => setImmediate(r));
    expect([...data.values()]).toContain('"small"');
  });

  it('never fails a read when storing fails', async () => {
    const { redis } = fakeRedis();
    (redis as unknown as { readCacheStore: jest.Mock }).readCacheStore.mockRejectedValue(new Error('OOM command not allowed'));
    const cache = new ReadCache(redis, config(300));
    await expect(cache.read('notes', '1', {}, async () => 'fresh')).resolves.toBe('fresh');
    await new Promise((r) => setImmediate(r));
  });

  it('is off with READ_CACHE_TTL=0', async () => {
    const { redis } = fakeRedis();
    const cache = new ReadCache(redis, config(0));
    await cache.read('notes', '1', {}, async () => 'x');
    expect(redis.get).not.toHaveBeenCalled();
  });
});
