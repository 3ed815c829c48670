import { AccessTokenVerifier, SessionStore, TokenModule } from '@micronote/auth-session';
import { REDIS, RedisModule } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL, uniqueSuffix } from '@micronote/server-testing';
import { ConfigModule } from '@nestjs/config';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type Redis from 'ioredis';

import { TokenIssuer } from '../src/auth/token-issuer';

/**
 * auth-service's side of the session seam: the tokens it issues for the sessions it stores pass
 * the gateway's check (`AccessTokenVerifier` of @micronote/auth-session), on a real Redis.
 */
describe('tokens issued by auth-service pass the gateway check (real Redis)', () => {
  const prefix = `mnit${uniqueSuffix()}:`;
  let redis: Redis;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: 'issued-tokens-test-secret-0123456789abcdef',
      JWT_ISSUER: 'micronote-auth',
      JWT_AUDIENCE: 'micronote-api',
    };
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ ...env, JWT_ACCESS_TTL: 900, JWT_REFRESH_TTL: 3_600, SESSION_MAX_AGE: 7_776_000 })],
        }),
        RedisModule.forRoot('issued-tokens-test'),
        TokenModule,
      ],
      providers: [TokenIssuer, SessionStore],
    }).compile();
    redis = moduleRef.get(REDIS);
  });

  afterAll(async () => {
    redis?.disconnect();
    await moduleRef?.close();
    await deleteRedisKeys(prefix);
  });

  it('accepts the access token of a stored session, and refuses it once the session is revoked', async () => {
    const [store, issuer, verifier] = [moduleRef.get(SessionStore), moduleRef.get(TokenIssuer), moduleRef.get(AccessTokenVerifier)];
    const session = await store.create('42', { userAgent: 'jest', ip: '127.0.0.1' });
    const { accessToken, refreshToken } = await issuer.issue('42', session.id, session.refreshJti);
    await expect(verifier.verify(accessToken)).resolves.toMatchObject({ userId: '42', sessionId: session.id });
    await expect(verifier.verify(refreshToken)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await store.revoke('42', session.id);
    await expect(verifier.verify(accessToken)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
