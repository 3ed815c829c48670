import { createHmac } from 'node:crypto';

import { api, expectError, login, newUser, register } from './support/api';

function decodePart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('auth', () => {
  it('registers, then logs in by username and by e-mail (any case)', async () => {
    const user = newUser();
    const registered = await register(user);
    expect(registered.user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: user.name,
      email: user.email,
      username: user.username,
      timeZone: null,
      locale: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(registered).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    const { credentials: _, ...response } = registered;
    expect(JSON.stringify(response)).not.toMatch(/password|hash/i);

    const byUsername = await login(user.username, user.password);
    const byEmail = await login(user.email.toUpperCase(), user.password);
    expect(byUsername.user.id).toBe(registered.user.id);
    expect(byEmail.user.id).toBe(registered.user.id);

    const me = await api('GET', '/api/auth/me', { token: byEmail.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.user);
  });

  it('gives the same 401 for a wrong password and an unknown login', async () => {
    const { credentials } = await register();
    const wrongPassword = await api('POST', '/api/auth/login', { body: { login: credentials.username, password: 'not-the-password' } });
    const unknownUser = await api('POST', '/api/auth/login', { body: { login: 'nobody_here_x', password: 'whatever1' } });
    const a = expectError(wrongPassword, 401);
    const b = expectError(unknownUser, 401);
    expect(a['message']).toBe(b['message']);
    expect(a['code']).toBe(b['code']);
  });

  it('answers 409 for a duplicate username (any case) or e-mail', async () => {
    const { credentials } = await register();
    const sameUsername = await api('POST', '/api/auth/register', {
      body: { ...newUser(), username: credentials.username.toUpperCase() },
    });
    expect(expectError(sameUsername, 409)['code']).toBe('USERNAME_TAKEN');
    const sameEmail = await api('POST', '/api/auth/register', { body: { ...newUser(), email: credentials.email.toUpperCase() } });
    expect(expectError(sameEmail, 409)['code']).toBe('EMAIL_TAKEN');
  });

  it('rotates refresh tokens; a spent one is 401 and revokes its session', async () => {
    const first = await register();
    const refreshed = await api('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.body.accessToken).not.toBe(first.accessToken);
    expect((await api('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);

    const replay = await api('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(expectError(replay, 401)['code']).toBe('REFRESH_TOKEN_REUSED');
    // The whole session is gone: the newest pair stops working too.
    expectError(await api('GET', '/api/auth/me', { token: refreshed.body.accessToken }), 401);
    expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } }), 401);
  });

  it('keeps each login its own session', async () => {
    const { credentials } = await register();
    const laptop = await login(credentials.username, credentials.password);
    const phone = await login(credentials.username, credentials.password);
    expect((await api('POST', '/api/auth/logout', { token: phone.accessToken })).status).toBe(204);
    expect((await api('GET', '/api/auth/me', { token: laptop.accessToken })).status).toBe(200);
    expectError(await api('GET', '/api/auth/me', { token: phone.accessToken }), 401);
    expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: phone.refreshToken } }), 401);
  });

  it('logout ends the access token at once, and the given refresh token', async () => {
    const session = await register();
    const logout = await api('POST', '/api/auth/logout', { token: session.accessToken, body: { refreshToken: session.refreshToken } });
    expect(logout.status).toBe(204);
    expectError(await api('GET', '/api/auth/me', { token: session.accessToken }), 401);
    expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } }), 401);
  });

  it('lists sessions and revokes one, cutting its tokens at once', async () => {
    const { credentials, accessToken } = await register();
    const other = await login(credentials.username, credentials.password);
    const list = await api('GET', '/api/auth/sessions', { token: accessToken, headers: { 'user-agent': 'e2e-laptop' } });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const otherId = decodePart(other.accessToken, 1)['sid'] as string;
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(otherId);

    expect((await api('DELETE', `/api/auth/sessions/${otherId}`, { token: accessToken })).status).toBe(204);
    expectError(await api('GET', '/api/auth/me', { token: other.accessToken }), 401);
    expect((await api('GET', '/api/auth/me', { token: accessToken })).status).toBe(200);
    expectError(await api('DELETE', `/api/auth/sessions/${otherId}`, { token: accessToken }), 404);
    expectError(await api('DELETE', '/api/auth/sessions/not-a-uuid', { token: accessToken }), 400);
  });

  it("cannot revoke another user's session", async () => {
    const alice = await register();
    const bob = await register();
    const bobSession = decodePart(bob.accessToken, 1)['sid'] as string;
    expectError(await api('DELETE', `/api/auth/sessions/${bobSession}`, { token: alice.accessToken }), 404);
    expect((await api('GET', '/api/auth/me', { token: bob.accessToken })).status).toBe(200);
  });

  describe('refuses forged and misused tokens with 401', () => {
    let token: string;
    let refreshToken: string;
    beforeAll(async () => {
      ({ accessToken: token, refreshToken } = await register());
    });

    it.each([
      ['no token', () => undefined],
      ['garbage', () => 'not.a.jwt'],
      ['alg none', () => `${encode({ alg: 'none', typ: 'JWT' })}.${token.split('.')[1]}.`],
      ['a tampered payload', () => `${token.split('.')[0]}.${encode({ ...decodePart(token, 1), sub: '1' })}.${token.split('.')[2]}`],
      ['a tampered signature', () => `${token.slice(0, -4)}AAAA`],
      ['a refresh token', () => refreshToken],
      [
        'a token signed with another secret',
        () => {
          const head = encode({ alg: 'HS256', typ: 'JWT' });
          const body = token.split('.')[1];
          const sig = createHmac('sha256', 'some-other-secret-of-at-least-32-chars!').update(`${head}.${body}`).digest('base64url');
          return `${head}.${body}.${sig}`;
        },
      ],
    ])('%s', async (_, make) => {
      const response = await api('GET', '/api/auth/me', { token: make() });
      expectError(response, 401);
    });

    it('an access token presented as a refresh token', async () => {
      expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: token } }), 401);
    });
  });
});
