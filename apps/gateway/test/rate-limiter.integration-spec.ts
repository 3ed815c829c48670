import { randomBytes } from 'node:crypto';

import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL } from '@micronote/server-testing';
import type Redis from 'ioredis';

import { RateLimiter, rateLimitKeys } from '../src/common/rate-limit/rate-limiter';

/** The limiter's Lua scripts against a real Redis, under a key prefix of their own. */
describe('RateLimiter (real Redis)', () => {
  const prefix = `mnit${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let limiter: RateLimiter;
  const key = () => randomBytes(6).toString('hex');

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'gateway-it', keyPrefix: prefix });
    limiter = new RateLimiter(redis);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(prefix);
  });

  it('fixed window: allows `limit` hits, then answers the time left in the window', async () => {
    const k = rateLimitKeys.auth(`10.0.0.${key()}`);
    for (let i = 0; i < 3; i++) expect(await limiter.window(k, 3, 60_000)).toBeNull();
    const wait = await limiter.window(k, 3, 60_000);
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // The key lives under the client's prefix, with a TTL.
    expect(await redis.pttl(k)).toBeGreaterThan(0);
    expect(await redis.exists(k)).toBe(1);
  });

  it('fixed window: a new window starts when the old one ends', async () => {
    const k = rateLimitKeys.auth(key());
    expect(await limiter.window(k, 1, 200)).toBeNull();
    expect(await limiter.window(k, 1, 200)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 250));
    expect(await limiter.window(k, 1, 200)).toBeNull();
  });

  it('token bucket: a burst of `burst`, then a wait of about 1/rate, refilled over time', async () => {
    const k = rateLimitKeys.api(`user:${key()}`);
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await limiter.bucket(k, 5, 10));
    expect(results.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(results[10]).toBeGreaterThan(0);
    expect(results[10]).toBeLessThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 450)); // ~2 tokens back
    expect(await limiter.bucket(k, 5, 10)).toBeNull();
    const ttl = await redis.pttl(k);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_000);
  });

  it('token bucket: concurrent hits never pass more than the burst', async () => {
    const k = rateLimitKeys.api(`ip:${key()}`);
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.bucket(k, 1, 10)));
    expect(results.filter((r) => r === null)).toHaveLength(10);
  });

  it('fails open when Redis is unreachable', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', { name: 'gateway-it-down' });
    const offline = new RateLimiter(down);
    try {
      expect(await offline.window('k', 0, 1_000)).toBeNull();
      expect(await offline.bucket('k', 1, 1)).toBeNull();
    } finally {
      down.disconnect();
    }
  });
});
