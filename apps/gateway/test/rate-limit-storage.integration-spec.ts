import { randomBytes } from 'node:crypto';

import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL } from '@micronote/server-testing';
import type Redis from 'ioredis';

import { RateLimitStorage } from '../src/common/rate-limit/rate-limit-storage';
import { ipTracker, rateLimitKey } from '../src/common/rate-limit/rate-limits';

/** The rate-limit counters (@nest-lab/throttler-storage-redis on our client) against a real Redis, under a key prefix of their own. */
describe('RateLimitStorage (real Redis)', () => {
  const prefix = `mnit${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let storage: RateLimitStorage;
  const key = () => rateLimitKey(ipTracker(`10.${randomBytes(3).join('.')}`));

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'gateway-it', keyPrefix: prefix });
    storage = new RateLimitStorage(redis);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(prefix);
  });

  it('allows `limit` hits per window, then blocks for the block duration (whole seconds to wait)', async () => {
    const k = key();
    for (let i = 0; i < 3; i++) expect((await storage.increment(k, 60_000, 3, 60_000, 'auth')).isBlocked).toBe(false);
    const fourth = await storage.increment(k, 60_000, 3, 60_000, 'auth');
    expect(fourth).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    // Keys live under the client's prefix, each with a TTL.
    const keys = await redis.keys(`${prefix}*${k}*`);
    expect(keys.sort()).toEqual([`${prefix}{${k}:auth}:blocked`, `${prefix}{${k}:auth}:hits`]);
    for (const stored of keys) expect(await redis.pttl(stored.slice(prefix.length))).toBeGreaterThan(59_000);
  });

  it('counts each limit name apart, and lets hits through again once the block is over', async () => {
    const k = key();
    expect((await storage.increment(k, 200, 1, 200, 'api')).isBlocked).toBe(false);
    expect((await storage.increment(k, 200, 1, 200, 'api')).isBlocked).toBe(true);
    expect((await storage.increment(k, 200, 1, 200, 'ws')).isBlocked).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect((await storage.increment(k, 200, 1, 200, 'api')).isBlocked).toBe(false);
  });

  it("judges the shared count by each instance's own limit: a lower-limit instance blocks only itself", async () => {
    const k = key();
    for (let i = 0; i < 2; i++) await storage.increment(k, 60_000, 1, 60_000, 'auth');
    expect((await storage.increment(k, 60_000, 1, 60_000, 'auth')).isBlocked).toBe(true);
    // Another gateway with a higher limit shares the count (4 hits now) but not the verdict.
    expect(await storage.increment(k, 60_000, 100, 60_000, 'auth')).toMatchObject({ isBlocked: false, totalHits: 4 });
    expect((await storage.increment(k, 60_000, 4, 60_000, 'auth')).isBlocked).toBe(true);
  });

  it('concurrent hits never pass more than the limit (one Lua script per hit)', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 50 }, () => storage.increment(k, 10_000, 10, 10_000, 'api')));
    expect(results.filter((r) => !r.isBlocked)).toHaveLength(10);
  });

  it('fails open when Redis is unreachable', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', { name: 'gateway-it-down' });
    const offline = new RateLimitStorage(down);
    try {
      expect(await offline.increment('k', 1_000, 0, 1_000, 'api')).toMatchObject({ isBlocked: false });
    } finally {
      down.disconnect();
    }
  });
});
