import type { JwtEnv } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import type { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';

import { SESSION_OWNER_FIELD, sessionKeys } from './session-keys';
import { AccessTokenVerifier } from './tokens';

describe(AccessTokenVerifier.name, () => {
  const claims = { sub: '7', sid: 's1', jti: 'j1', typ: 'access' as const, exp: 2_000_000_000 };
  const verifierWith = (hget: jest.Mock) =>
    new AccessTokenVerifier({} as JwtService, {} as ConfigService<JwtEnv, true>, { hget } as unknown as Redis);

  it("reads the session's owner field, once, and accepts the token of its own user", async () => {
    const hget = jest.fn(async () => '7');
    await expect(verifierWith(hget).checkClaims(claims)).resolves.toEqual({ userId: '7', sessionId: 's1', jti: 'j1', exp: claims.exp });
    expect(hget.mock.calls).toEqual([[sessionKeys.session('s1'), SESSION_OWNER_FIELD]]);
  });

  it('refuses a refresh token, an ended session and a session of another user', async () => {
    await expect(verifierWith(jest.fn(async () => '7')).checkClaims({ ...claims, typ: 'refresh' })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    await expect(verifierWith(jest.fn(async () => null)).checkClaims(claims)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verifierWith(jest.fn(async () => '8')).checkClaims(claims)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('fails closed when the session store is unreachable', async () => {
    const hget = jest.fn(async () => Promise.reject(new Error('Connection is closed.')));
    await expect(verifierWith(hget).checkClaims(claims)).rejects.toMatchObject({ code: 'SESSION_STORE_UNAVAILABLE' });
  });
});
