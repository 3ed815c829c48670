import { randomBytes, randomUUID } from 'node:crypto';

import type { JwtEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';

import { sessionKeys } from '../src/lib/session-keys';
import { AccessTokenVerifier, jwtVerifyOptions } from '../src/lib/tokens';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** AccessTokenVerifier against a real Redis: a validly signed token only works for its own user's session. */
describe('AccessTokenVerifier (real Redis)', () => {
  const prefix = `mnit${Math.random().toString(16).slice(2, 10)}:`;
  const env: Partial<JwtEnv> = { JWT_SECRET: randomBytes(32).toString('hex'), JWT_ISSUER: 'micronote-auth', JWT_AUDIENCE: 'micronote-api' };
  const config = { get: (key: keyof JwtEnv) => env[key] } as unknown as ConfigService<JwtEnv, true>;
  const jwt = new JwtService();
  let redis: Redis;
  let verifier: AccessTokenVerifier;

  const sign = (sub: string, sid: string) =>
    jwt.signAsync(
      { sid, typ: 'access' },
      {
        secret: env.JWT_SECRET,
        algorithm: 'HS256',
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        subject: sub,
        jwtid: randomUUID(),
        expiresIn: 60,
      },
    );
  const startSession = async (userId: string) => {
    const sid = randomUUID();
    await redis.hset(sessionKeys.session(sid), { id: sid, userId, refreshJti: randomUUID() });
    await redis.expire(sessionKeys.session(sid), 60);
    return sid;
  };

  beforeAll(() => {
    redis = createRedisClient(REDIS_URL, { name: 'verifier-test', keyPrefix: prefix });
    verifier = new AccessTokenVerifier(jwt, config, redis);
    expect(jwtVerifyOptions(config).issuer).toBe('micronote-auth');
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.unlink(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it("accepts a token of the session's own user", async () => {
    const sid = await startSession('101');
    await expect(verifier.verify(await sign('101', sid))).resolves.toMatchObject({ userId: '101', sessionId: sid });
  });

  it("refuses a validly signed token for user B carrying user A's session id", async () => {
    const sidOfA = await startSession('101');
    await expect(verifier.verify(await sign('102', sidOfA))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses a token whose session has ended', async () => {
    const sid = await startSession('103');
    const token = await sign('103', sid);
    await redis.del(sessionKeys.session(sid));
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
