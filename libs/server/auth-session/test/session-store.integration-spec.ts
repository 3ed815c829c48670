import type { JwtEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueSuffix } from '@micronote/server-testing';
import type { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { SessionStore } from '../src/lib/session.store';
import { sessionKeys } from '../src/lib/session-keys';

describe('SessionStore (real Redis)', () => {
  const prefix = `mnit${uniqueSuffix()}:`;
  let redis: Redis;
  let store: SessionStore;
  const client = { userAgent: 'jest', ip: '127.0.0.1' };

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'session-store-test', keyPrefix: prefix });
    store = new SessionStore(redis, configOf({ JWT_REFRESH_TTL: 3_600, SESSION_MAX_AGE: 7_776_000 }));
  });

  const configOf = (values: Partial<JwtEnv>) => ({ get: (name: keyof JwtEnv) => values[name] }) as unknown as ConfigService<JwtEnv, true>;

  afterAll(async () => {
    redis.disconnect();
    await deleteRedisKeys(prefix);
  });

  it('creates a session that expires with its refresh token', async () => {
    const session = await store.create('1', client);
    expect(await store.get(session.id)).toEqual(session);
    const ttl = await redis.ttl(sessionKeys.session(session.id));
    expect(ttl).toBeGreaterThan(3_500);
    expect(ttl).toBeLessThanOrEqual(3_600);
  });

  it('rotates with the current jti, and a replayed jti revokes the session', async () => {
    const session = await store.create('2', client);
    const first = await store.rotate('2', session.id, session.refreshJti);
    expect(first.result).toBe('rotated');
    expect((await store.get(session.id))?.refreshJti).toBe(first.newJti);

    expect((await store.rotate('2', session.id, session.refreshJti)).result).toBe('reused');
    expect(await store.get(session.id)).toBeNull();
    expect(await redis.sismember(sessionKeys.userSessions('2'), session.id)).toBe(0);
    expect((await store.rotate('2', session.id, first.newJti)).result).toBe('missing');
  });

  it('lets only one of two concurrent rotations of the same token win', async () => {
    const session = await store.create('3', client);
    const results = await Promise.all([
      store.rotate('3', session.id, session.refreshJti),
      store.rotate('3', session.id, session.refreshJti),
    ]);
    expect(results.map((r) => r.result).sort()).toEqual(['reused', 'rotated']);
    expect(await store.get(session.id)).toBeNull();
  });

  it("refuses to rotate another user's session", async () => {
    const session = await store.create('4', client);
    expect((await store.rotate('5', session.id, session.refreshJti)).result).toBe('missing');
    expect(await store.get(session.id)).not.toBeNull();
  });

  it('lists, revokes one, and revokes all but the current', async () => {
    const [a, b, c] = [await store.create('6', client), await store.create('6', client), await store.create('6', client)];
    expect((await store.list('6')).map((s) => s.id).sort()).toEqual([a.id, b.id, c.id].sort());

    expect(await store.revoke('7', a.id)).toBe(false);
    expect(await store.revoke('6', a.id)).toBe(true);
    expect(await store.revoke('6', a.id)).toBe(false);

    expect((await store.revokeAll('6', b.id)).sort()).toEqual([c.id]);
    expect((await store.list('6')).map((s) => s.id)).toEqual([b.id]);
  });

  it('drops ids of expired sessions from the list', async () => {
    const session = await store.create('8', client);
    await redis.del(sessionKeys.session(session.id));
    expect(await store.list('8')).toEqual([]);
    expect(await redis.scard(sessionKeys.userSessions('8'))).toBe(0);
  });

  describe('absolute lifetime (SESSION_MAX_AGE)', () => {
    it('ends a session at created + SESSION_MAX_AGE however often it is refreshed', async () => {
      const short = new SessionStore(redis, configOf({ JWT_REFRESH_TTL: 3_600, SESSION_MAX_AGE: 1 }));
      const session = await short.create('20', client);
      const pttl = await redis.pttl(sessionKeys.session(session.id));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(1_000);
      const rotated = await short.rotate('20', session.id, session.refreshJti);
      expect(rotated.result).toBe('rotated');
      // Rotation slides the lifetime, but never past the absolute end.
      expect(await redis.pttl(sessionKeys.session(session.id))).toBeLessThanOrEqual(1_000);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await redis.hget(sessionKeys.session(session.id), 'userId')).toBeNull();
      expect((await short.rotate('20', session.id, rotated.newJti)).result).toBe('missing');
    });

    it('refuses to rotate a session past its end even if its key is still there', async () => {
      const session = await store.create('21', client);
      await redis.hset(sessionKeys.session(session.id), 'endsAtMs', String(Date.now() - 1));
      expect((await store.rotate('21', session.id, session.refreshJti)).result).toBe('missing');
      expect(await store.get(session.id)).toBeNull();
      expect(await redis.sismember(sessionKeys.userSessions('21'), session.id)).toBe(0);
    });

    it('gives a session from before the absolute lifetime existed its end at its next rotation', async () => {
      const session = await store.create('22', client);
      await redis.hdel(sessionKeys.session(session.id), 'endsAtMs');
      expect((await store.rotate('22', session.id, session.refreshJti)).result).toBe('rotated');
      const endsAt = Number(await redis.hget(sessionKeys.session(session.id), 'endsAtMs'));
      expect(endsAt).toBeGreaterThan(Date.now() + 7_776_000_000 - 60_000);
    });
  });
});
