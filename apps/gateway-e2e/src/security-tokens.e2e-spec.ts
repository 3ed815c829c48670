// Tokens and sessions, attacked against a real system: a validly signed token for one user
// carrying another user's session, a replayed refresh token and the open sockets of its session,
// the absolute session lifetime (SESSION_MAX_AGE), and a refresh while user-service is down (it
// must not burn the refresh token and revoke the session). The last two run processes of their
// own (startApp): an auth-service with a short SESSION_MAX_AGE, and a user-service that is stopped
// and started again.
import { createHmac, randomUUID } from 'node:crypto';

import type { AuthResponse } from '@micronote/contracts';

import { api, expectError, newUser, register } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';
import { connect } from './support/realtime';

const SECRET = process.env['JWT_SECRET'] ?? 'micronote-dev-only-secret-change-me-0123456789';
const ISSUER = process.env['JWT_ISSUER'] ?? 'micronote-auth';
const AUDIENCE = process.env['JWT_AUDIENCE'] ?? 'micronote-api';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 access token signed with the deployment's own secret: forged claims, valid signature. */
function forgeAccessToken(sub: string, sid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, sid, typ: 'access', jti: randomUUID(), iat: now, exp: now + 300, iss: ISSUER, aud: AUDIENCE })}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

function claimsOf(token: string): { sub: string; sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };
}

/** POST /api/auth/register|refresh on a given gateway. */
async function post(url: string, path: string, body: unknown): Promise<{ status: number; body: AuthResponse & { code?: string } }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as AuthResponse & { code?: string } };
}

async function me(url: string, token: string): Promise<number> {
  return (await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

const GATEWAY_ENV = { AUTH_RATE_LIMIT: '100000', API_RATE_LIMIT: '100000' };

describe('security: tokens and sessions', () => {
  it("refuses a validly signed token for user B carrying user A's session (REST and socket)", async () => {
    const a = await register();
    const b = await register();
    const sidOfA = claimsOf(a.accessToken).sid;
    // The forger signs correctly: the same claims for A's own session work.
    expect((await api('GET', '/api/auth/me', { token: forgeAccessToken(a.user.id, sidOfA) })).status).toBe(200);

    const forged = forgeAccessToken(b.user.id, sidOfA);
    expect(expectError(await api('GET', '/api/auth/me', { token: forged }), 401)['code']).toBe('TOKEN_INVALID');
    expectError(await api('GET', '/api/notes', { token: forged }), 401);
    await expect(connect(forged)).rejects.toThrow('unauthorized');
  });

  it("cuts the open sockets of a session within 1 s when its refresh token is replayed", async () => {
    const user = await register();
    const tab = await connect(user.accessToken);
    const disconnected = new Promise<number>((resolve) => tab.socket.once('disconnect', () => resolve(Date.now())));

    const rotated = await api<AuthResponse>('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(rotated.status).toBe(200);
    await sleep(200);
    expect(tab.socket.connected).toBe(true);

    const replayedAt = Date.now();
    const replay = await api('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(expectError(replay, 401)['code']).toBe('REFRESH_TOKEN_REUSED');
    const cutAt = await Promise.race([disconnected, sleep(1_000).then(() => Infinity)]);
    expect(cutAt - replayedAt).toBeLessThan(1_000);
    expect(tab.notices).toEqual([{ reason: 'session_revoked' }]);
    // The whole session is gone: the rotated tokens too.
    expectError(await api('GET', '/api/auth/me', { token: rotated.body.accessToken }), 401);
    expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } }), 401);
  });

  describe('a session older than SESSION_MAX_AGE', () => {
    const MAX_AGE_S = 3;
    let auth: AppProcess;
    let gateway: AppProcess;

    beforeAll(async () => {
      auth = await startApp('auth-service', { SESSION_MAX_AGE: String(MAX_AGE_S) });
      gateway = await startApp('gateway', { ...GATEWAY_ENV, GRPC_AUTH_URL: `127.0.0.1:${auth.env['GRPC_PORT']}` });
    }, 60_000);
    afterAll(async () => {
      await gateway?.stop();
      await auth?.stop();
    });

    it('can no longer refresh, and its access tokens stop working', async () => {
      const registered = await post(gateway.url, '/api/auth/register', newUser());
      expect(registered.status).toBe(201);
      // The session was created before this instant (registration hashes a password: slow).
      const started = Date.now();
      // Refreshing keeps it going while it is young...
      const refreshed = await post(gateway.url, '/api/auth/refresh', { refreshToken: registered.body.refreshToken });
      expect(refreshed.status).toBe(200);
      expect(await me(gateway.url, refreshed.body.accessToken)).toBe(200);

      // ...but not past its absolute end, however fresh its tokens.
      await sleep(Math.max(0, started + MAX_AGE_S * 1000 + 300 - Date.now()));
      expect(await me(gateway.url, refreshed.body.accessToken)).toBe(401);
      const late = await post(gateway.url, '/api/auth/refresh', { refreshToken: refreshed.body.refreshToken });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 401, code: 'TOKEN_INVALID' });
    });
  });

  describe('a refresh while user-service is down', () => {
    let users: AppProcess;
    let auth: AppProcess;
    let gateway: AppProcess;

    beforeAll(async () => {
      users = await startApp('user-service');
      auth = await startApp('auth-service', { GRPC_USER_URL: `127.0.0.1:${users.env['GRPC_PORT']}`, GRPC_DEADLINE_MS: '1000' });
      gateway = await startApp('gateway', { ...GATEWAY_ENV, GRPC_AUTH_URL: `127.0.0.1:${auth.env['GRPC_PORT']}` });
    }, 60_000);
    afterAll(async () => {
      await gateway?.stop();
      await auth?.stop();
      await users?.stop();
    });

    it('answers 503 and leaves the same refresh token working once user-service is back', async () => {
      const registered = await post(gateway.url, '/api/auth/register', newUser());
      expect(registered.status).toBe(201);
      const { refreshToken } = registered.body;

      await users.stop();
      for (let i = 0; i < 2; i++) {
        const down = await post(gateway.url, '/api/auth/refresh', { refreshToken });
        expect({ status: down.status, code: down.body.code }).toEqual({ status: 503, code: expect.any(String) });
      }

      users = await startApp('user-service', { GRPC_PORT: users.env['GRPC_PORT'] });
      let back = await post(gateway.url, '/api/auth/refresh', { refreshToken });
      for (const until = Date.now() + 10_000; back.status === 503 && Date.now() < until; ) {
        await sleep(250);
        back = await post(gateway.url, '/api/auth/refresh', { refreshToken });
      }
      expect(back.status).toBe(200);
      expect(await me(gateway.url, back.body.accessToken)).toBe(200);
    }, 30_000);
  });
});
