import { randomBytes, randomUUID } from 'node:crypto';

import type { JwtEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueSuffix } from '@micronote/server-testing';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';

import { SessionStore } from '../src/lib/session.store';
import { AccessTokenVerifier, JWT_ALGORITHM } from '../src/lib/tokens';

/**
 * The session seam, both sides on one real Redis: what auth-service's SessionStore writes is what
 * the gateway's AccessTokenVerifier reads (the key layout and the owner field of `sessionKeys`).
 * Renaming a key or field on one side only fails here, not in production.
 */
describe('session contract: SessionStore writes, AccessTokenVerifier reads (real Redis)', () => {
  const prefix = `mnit${uniqueSuffix()}:`;
  const env: Partial<JwtEnv> = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    JWT_ISSUER: 'micronote-auth',
    JWT_AUDIENCE: 'micronote-api',
    JWT_REFRESH_TTL: 3_600,
    SESSION_MAX_AGE: 7_776_000,
  };
  const config = { get: (key: keyof JwtEnv) => env[key] } as unknown as ConfigService<JwtEnv, true>;
  const jwt = new JwtService();
  let redis: Redis;
  let store: SessionStore;
  let verifier: AccessTokenVerifier;
  const client = { userAgent: 'jest', ip: '127.0.0.1' };

  const accessToken = (userId: string, sessionId: string) =>
    jwt.signAsync(
      { sid: sessionId, typ: 'access' },
      {
        secret: env.JWT_SECRET,
        algorithm: JWT_ALGORITHM,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        subject: userId,
        jwtid: randomUUID(),
        expiresIn: 60,
      },
    );

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'session-contract-test', keyPrefix: prefix });
    store = new SessionStore(redis, config);
    verifier = new AccessTokenVerifier(jwt, config, redis);
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteRedisKeys(prefix);
  });

  it("accepts a token of a session the store created, for the session's own user only", async () => {
    const session = await store.create('501', client);
    await expect(verifier.verify(await accessToken('501', session.id))).resolves.toMatchObject({ userId: '501', sessionId: session.id });
    await expect(verifier.verify(await accessToken('502', session.id))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses the token once the store revoked its session', async () => {
    const session = await store.create('503', client);
    const token = await accessToken('503', session.id);
    expect(await store.revoke('503', session.id)).toBe(true);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses the token once a reused refresh token made the store end the session', async () => {
    const session = await store.create('504', client);
    const token = await accessToken('504', session.id);
    expect((await store.rotate('504', session.id, session.refreshJti)).result).toBe('rotated');
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: '504' });
    expect((await store.rotate('504', session.id, session.refreshJti)).result).toBe('reused');
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('revokeAll keeps the current session and ends the others', async () => {
    const [kept, other] = [await store.create('505', client), await store.create('505', client)];
    await store.revokeAll('505', kept.id);
    await expect(verifier.verify(await accessToken('505', kept.id))).resolves.toMatchObject({ sessionId: kept.id });
    await expect(verifier.verify(await accessToken('505', other.id))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
