import { randomBytes } from 'node:crypto';

import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL } from '@micronote/server-testing';
import type Redis from 'ioredis';

import { ConnectionSlots, connectionSlotsKey, SLOT_LEASE_MS } from '../src/realtime/connection-slots';

/** WS_MAX_PER_USER's slots against a real Redis: the cap across instances, release, and leases that expire. */
describe('ConnectionSlots (real Redis)', () => {
  const prefix = `mnit${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  const user = () => `u${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'gateway-it-slots', keyPrefix: prefix });
  });

  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(prefix);
  });

  it('two gateway instances share one cap per user; a released slot is free again', async () => {
    const [a, b] = [new ConnectionSlots(redis), new ConnectionSlots(redis)];
    const u = user();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire(u, `s${i}`, 3)));
    expect(results.filter(Boolean)).toHaveLength(3);
    const holder = results.findIndex(Boolean);
    await (holder % 2 ? a : b).release(u, `s${holder}`);
    expect(await a.acquire(u, 'late', 3)).toBe(true);
    expect(await b.acquire(u, 'later', 3)).toBe(false);
    // Another user is not affected.
    expect(await a.acquire(user(), 's0', 3)).toBe(true);
  });

  it("a crashed gateway's slots expire with their lease; renewed ones stay", async () => {
    const crashed = new ConnectionSlots(redis);
    const alive = new ConnectionSlots(redis);
    const u = user();
    expect(await crashed.acquire(u, 'c1', 2)).toBe(true);
    expect(await alive.acquire(u, 'a1', 2)).toBe(true);
    expect(await alive.acquire(u, 'a2', 2)).toBe(false);
    // Age every lease by almost a whole lease, then let only `alive` renew its own.
    const key = connectionSlotsKey(u);
    for (const [member, score] of chunk(await redis.zrange(key, 0, -1, 'WITHSCORES'))) {
      await redis.zadd(key, Number(score) - SLOT_LEASE_MS + 50, member);
    }
    await alive.renew([{ userId: u, socketId: 'a1' }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await alive.acquire(u, 'a2', 2)).toBe(true);
    expect(await alive.acquire(u, 'a3', 2)).toBe(false);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('fails open when Redis is unreachable', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', { name: 'gateway-it-slots-down' });
    try {
      expect(await new ConnectionSlots(down).acquire('u', 's', 1)).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});

function chunk(flat: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return pairs;
}
