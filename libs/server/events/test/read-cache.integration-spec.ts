import type { CacheEnv } from '@micronote/server-core';
import { CACHE_REDIS, createRedisClient, REDIS, RedisModule } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type Redis from 'ioredis';

import { cacheKeys } from '../src/lib/keys';
import { ReadCache } from '../src/lib/read-cache';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** The same server, another logical database: stands in for a cache Redis of its own. */
const CACHE_URL = `${REDIS_URL.replace(/\/\d+$/, '')}/1`;

const settle = () => new Promise((r) => setTimeout(r, 50));

async function keysOf(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

async function wipe(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysOf(redis, `${prefix}*`);
  if (keys.length) await redis.unlink(...keys);
}

/** ReadCache against a real Redis, under a prefix of its own. */
describe('ReadCache (real Redis)', () => {
  const prefix = `mnit${Math.random().toString(16).slice(2, 10)}:`;
  let raw: Redis;

  beforeAll(() => {
    raw = createRedisClient(REDIS_URL, { name: 'read-cache-test-raw' });
  });
  afterAll(async () => {
    await wipe(raw, prefix);
    raw.disconnect();
  });

  it('keeps at most READ_CACHE_MAX_ENTRIES_PER_USER entries per user however many distinct searches, the newest ones', async () => {
    const redis = createRedisClient(REDIS_URL, { name: 'read-cache-test', keyPrefix: prefix });
    const settings: Record<string, number> = {
      READ_CACHE_TTL: 300,
      READ_CACHE_MAX_ENTRY_BYTES: 262_144,
      READ_CACHE_MAX_ENTRIES_PER_USER: 10,
    };
    const cache = new ReadCache(redis, { get: (key: string) => settings[key] } as unknown as ConfigService<CacheEnv, true>);
    try {
      await cache.read('notes', 'other', { q: 'kept' }, async () => 'other-user');
      for (let i = 0; i < 200; i++) await cache.read('notes', 'attacker', { q: `search ${i}` }, async () => `result ${i}`);
      await settle();
      const entries = (await keysOf(raw, `${prefix}${cacheKeys.entry('notes', 'attacker', '*', '*')}`)).length;
      expect(entries).toBe(10);
      expect(await raw.zcard(`${prefix}${cacheKeys.index('notes', 'attacker')}`)).toBe(10);
      // The newest are the ones kept; another user's entry is untouched.
      const load = jest.fn(async () => 'reloaded');
      expect(await cache.read('notes', 'attacker', { q: 'search 199' }, load)).toBe('result 199');
      expect(await cache.read('notes', 'other', { q: 'kept' }, load)).toBe('other-user');
      expect(await cache.read('notes', 'attacker', { q: 'search 0' }, load)).toBe('reloaded');
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      redis.disconnect();
    }
  });

  it('keeps nothing over READ_CACHE_MAX_ENTRY_BYTES', async () => {
    const redis = createRedisClient(REDIS_URL, { name: 'read-cache-test', keyPrefix: prefix });
    const settings: Record<string, number> = {
      READ_CACHE_TTL: 300,
      READ_CACHE_MAX_ENTRY_BYTES: 262_144,
      READ_CACHE_MAX_ENTRIES_PER_USER: 10,
    };
    const cache = new ReadCache(redis, { get: (key: string) => settings[key] } as unknown as ConfigService<CacheEnv, true>);
    try {
      await cache.read('notes', 'big', { q: 'x' }, async () => 'x'.repeat(300_000));
      await settle();
      expect(await keysOf(raw, `${prefix}${cacheKeys.entry('notes', 'big', '*', '*')}`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('with READ_CACHE_REDIS_URL, caches in that Redis (from the one factory) and nothing in the main one', async () => {
    const own = `${prefix}sep:`;
    const values: Record<string, unknown> = { REDIS_URL, REDIS_KEY_PREFIX: own, READ_CACHE_TTL: 300, READ_CACHE_REDIS_URL: CACHE_URL };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => values] }),
        RedisModule.forRoot('read-cache-test'),
      ],
      providers: [ReadCache],
    }).compile();
    const cacheDb = createRedisClient(CACHE_URL, { name: 'read-cache-test-db1' });
    try {
      expect(moduleRef.get(CACHE_REDIS)).not.toBe(moduleRef.get(REDIS));
      const cache = moduleRef.get(ReadCache);
      expect(cache.separate).toBe(true);
      await cache.read('notes', 'u1', { q: 'a' }, async () => 'page');
      await cache.invalidate('notes', 'u1');
      await settle();
      expect((await keysOf(cacheDb, `${own}cache:*`)).length).toBeGreaterThan(0);
      expect(await keysOf(raw, `${own}*`)).toEqual([]);
    } finally {
      await wipe(cacheDb, own);
      cacheDb.disconnect();
      await moduleRef.close();
    }
  });
});
