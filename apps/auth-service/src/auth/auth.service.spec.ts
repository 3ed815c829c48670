import type { SessionStore, TokenClaims } from '@micronote/auth-session';
import type { userV1 } from '@micronote/proto';
import type { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';
import { of, throwError } from 'rxjs';

import type { Env } from '../config/env.validation';
import { AuthService } from './auth.service';
import type { TokenIssuer } from './token-issuer';

const user: userV1.User = { id: '9', name: 'Ada', email: 'ada@example.com', username: 'ada', createdAt: 'c', updatedAt: 'u' };

describe(AuthService.name, () => {
  let users: Record<string, jest.Mock>;
  let sessions: Record<keyof Pick<SessionStore, 'create' | 'rotate' | 'revoke' | 'revokeAll' | 'list'>, jest.Mock>;
  let tokens: Record<keyof Pick<TokenIssuer, 'issue' | 'readRefreshToken'>, jest.Mock>;
  let service: AuthService;
  let events: { publishSessionsRevoked: jest.Mock };
  const refreshClaims = { sub: '9', sid: 'sess-1', jti: 'jti-1', typ: 'refresh' } as TokenClaims;

  beforeEach(() => {
    users = {
      createUser: jest.fn(() => of(user)),
      verifyCredentials: jest.fn(() => of(user)),
      getUser: jest.fn(() => of(user)),
      changePassword: jest.fn(() => of({})),
      deleteUser: jest.fn(() => of({})),
    };
    sessions = {
      create: jest.fn(async () => ({
        id: 'sess-1',
        userId: '9',
        refreshJti: 'jti-1',
        createdAt: '',
        lastUsedAt: '',
        endsAtMs: '0',
        userAgent: '',
        ip: '',
      })),
      rotate: jest.fn(async () => ({ result: 'rotated' as const, newJti: 'jti-2' })),
      revoke: jest.fn(async () => true),
      revokeAll: jest.fn(async () => []),
      list: jest.fn(async () => []),
    };
    tokens = {
      issue: jest.fn(async () => ({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 })),
      readRefreshToken: jest.fn(async () => refreshClaims),
    };
    const client = { getService: () => users } as unknown as ClientGrpc;
    const config = { get: () => 2_000 } as unknown as ConfigService<Env, true>;
    events = { publishSessionsRevoked: jest.fn(async () => undefined) };
    service = new AuthService(client, sessions as never, tokens as never, config, events as never, { mint: () => 'identity' } as never);
    service.onModuleInit();
  });

  it('logs in by starting a new session with its own refresh jti', async () => {
    const result = await service.login({ login: 'ada', password: 'pw', client: { userAgent: 'ua', ip: '1.2.3.4' } });
    expect(sessions.create).toHaveBeenCalledWith('9', { userAgent: 'ua', ip: '1.2.3.4' });
    expect(tokens.issue).toHaveBeenCalledWith('9', 'sess-1', 'jti-1');
    expect(result).toEqual({ user, sessionId: 'sess-1', accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  });

  it('does not start a session when the credentials are refused', async () => {
    users['verifyCredentials'].mockReturnValueOnce(throwError(() => ({ code: 16, details: 'Invalid login or password' })));
    await expect(service.login({ login: 'ada', password: 'bad', client: undefined })).rejects.toMatchObject({ code: 16 });
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('refresh issues the rotated jti', async () => {
    await service.refresh({ refreshToken: 'r', client: undefined });
    expect(sessions.rotate).toHaveBeenCalledWith('9', 'sess-1', 'jti-1');
    expect(tokens.issue).toHaveBeenCalledWith('9', 'sess-1', 'jti-2');
  });

  it('refresh with a replayed token is REFRESH_TOKEN_REUSED, and cuts that session (sockets included) at once', async () => {
    sessions.rotate.mockResolvedValueOnce({ result: 'reused', newJti: 'x' });
    await expect(service.refresh({ refreshToken: 'r', client: undefined })).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    expect(tokens.issue).not.toHaveBeenCalled();
    expect(events.publishSessionsRevoked).toHaveBeenCalledWith({ userId: '9', sessionIds: ['sess-1'] });
  });

  it('refresh rotates nothing while user-service is unavailable (the same token works later)', async () => {
    users['getUser'].mockReturnValueOnce(throwError(() => ({ code: 14, details: 'No connection established' })));
    await expect(service.refresh({ refreshToken: 'r', client: undefined })).rejects.toMatchObject({ code: 14 });
    expect(sessions.rotate).not.toHaveBeenCalled();
    expect(sessions.revokeAll).not.toHaveBeenCalled();
  });

  it('refresh of an ended session is TOKEN_INVALID', async () => {
    sessions.rotate.mockResolvedValueOnce({ result: 'missing', newJti: 'x' });
    await expect(service.refresh({ refreshToken: 'r', client: undefined })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refresh for a deleted account ends its sessions', async () => {
    users['getUser'].mockReturnValueOnce(throwError(() => ({ code: 5, details: 'User not found' })));
    await expect(service.refresh({ refreshToken: 'r', client: undefined })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(sessions.revokeAll).toHaveBeenCalledWith('9');
  });

  it("logout ends the caller's session and a given refresh token's session of the same user only", async () => {
    tokens.readRefreshToken.mockResolvedValueOnce({ ...refreshClaims, sid: 'sess-2' });
    await service.logout({ userId: '9', sessionId: 'sess-1', accessJti: 'j', refreshToken: 'r' });
    expect(sessions.revoke.mock.calls).toEqual([
      ['9', 'sess-1'],
      ['9', 'sess-2'],
    ]);
    expect(events.publishSessionsRevoked).toHaveBeenCalledWith({ userId: '9', sessionIds: ['sess-1', 'sess-2'] });

    sessions.revoke.mockClear();
    tokens.readRefreshToken.mockResolvedValueOnce({ ...refreshClaims, sub: '10', sid: 'sess-3' });
    await service.logout({ userId: '9', sessionId: 'sess-1', accessJti: 'j', refreshToken: 'r' });
    expect(sessions.revoke.mock.calls).toEqual([['9', 'sess-1']]);
  });

  it('password change logs out the other sessions, only once the change succeeded', async () => {
    await service.changePassword({
      userId: '9',
      currentSessionId: 'sess-1',
      currentPassword: 'a',
      newPassword: 'b',
      client: { userAgent: 'ua', ip: '1.2.3.4' },
    });
    expect(users['changePassword']).toHaveBeenCalledWith(
      { userId: '9', currentPassword: 'a', newPassword: 'b', clientIp: '1.2.3.4' },
      expect.anything(),
      expect.anything(),
    );
    expect(sessions.revokeAll).toHaveBeenCalledWith('9', 'sess-1');

    sessions.revokeAll.mockClear();
    users['changePassword'].mockReturnValueOnce(throwError(() => ({ code: 7, details: 'Password is incorrect' })));
    await expect(
      service.changePassword({ userId: '9', currentSessionId: 'sess-1', currentPassword: 'x', newPassword: 'b', client: undefined }),
    ).rejects.toBeDefined();
    expect(sessions.revokeAll).not.toHaveBeenCalled();
  });

  it('account deletion ends every session after the user is deleted', async () => {
    await service.deleteAccount({ userId: '9', password: 'pw', client: { userAgent: 'ua', ip: '1.2.3.4' } });
    expect(users['deleteUser']).toHaveBeenCalledWith(
      { userId: '9', password: 'pw', clientIp: '1.2.3.4' },
      expect.anything(),
      expect.anything(),
    );
    expect(sessions.revokeAll).toHaveBeenCalledWith('9');
    expect(events.publishSessionsRevoked).toHaveBeenCalledWith({ userId: '9' });
  });

  it('revoking an unknown session is SESSION_NOT_FOUND', async () => {
    sessions.revoke.mockResolvedValueOnce(false);
    await expect(service.revokeSession('9', 'nope')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });
});
