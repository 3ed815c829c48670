import { status as GrpcStatus } from '@grpc/grpc-js';
import { authV1, userV1 } from '@micronote/proto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { of, throwError } from 'rxjs';

import { originAllowed } from '../common/guards/same-origin.guard';
import { createHttpTestApp, grpcStub } from '../testing/http-test-app';
import { AuthHttpController } from './auth.http.controller';
import { REFRESH_COOKIE, secondsUntilExpiry } from './refresh-cookie';

/** A JWT-shaped token expiring in `seconds` (only its `exp` is read here). */
const tokenExpiringIn = (seconds: number, tag: string) =>
  `h.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds, tag })).toString('base64url')}.s`;

describe('refresh token cookie', () => {
  let app: NestFastifyApplication;
  let token: string;
  const issued = { refresh: tokenExpiringIn(3600, 'new') };
  const result = () => ({ user: { id: '1' }, accessToken: 'access-new', refreshToken: issued.refresh, expiresIn: 900 });
  const auth = {
    login: jest.fn(() => of(result())),
    register: jest.fn(() => of(result())),
    refresh: jest.fn(() => of(result())),
    logout: jest.fn(() => of({})),
  };

  beforeAll(async () => {
    let sign: (userId: string) => Promise<string>;
    ({ app, token: sign } = await createHttpTestApp(
      [AuthHttpController],
      [grpcStub(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, auth), grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, {})],
    ));
    token = await sign('1');
  });
  afterAll(() => app.close());
  beforeEach(() => jest.clearAllMocks());

  const cookieOf = (response: { cookies: { name: string; maxAge?: number }[] }) => response.cookies.find((c) => c.name === REFRESH_COOKIE);

  it.each(['login', 'register'])('%s sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on /api/auth', async (route) => {
    const payload =
      route === 'login'
        ? { login: 'ada', password: 'secret-password' }
        : { name: 'Ada', email: 'ada@example.com', username: 'ada', password: 'secret-password' };
    const response = await app.inject({ method: 'POST', url: `/api/auth/${route}`, payload });
    expect(response.statusCode).toBeLessThan(300);
    const header = String(response.headers['set-cookie']);
    expect(header).toContain(`${REFRESH_COOKIE}=${issued.refresh}`);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Path=\/api\/auth(;|$)/);
    expect(cookieOf(response)?.maxAge).toBeGreaterThan(3590);
    // The spec's body is unchanged for API clients.
    expect(response.json()).toMatchObject({ accessToken: 'access-new', refreshToken: issued.refresh });
  });

  it('refreshes with the cookie alone: the new refresh token goes into the cookie, not into the body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: { cookie: `${REFRESH_COOKIE}=old-refresh`, origin: 'http://localhost:80' },
    });
    expect(response.statusCode).toBe(200);
    expect(auth.refresh).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: 'old-refresh' }), expect.anything(), expect.anything());
    expect(cookieOf(response)).toMatchObject({ value: issued.refresh, httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
    expect(response.json()).toEqual({ user: { id: '1', timeZone: null, locale: null }, accessToken: 'access-new', expiresIn: 900 });
  });

  it('still takes the token from the body (the documented contract), answering it in the body too', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'body-refresh' } });
    expect(response.statusCode).toBe(200);
    expect(auth.refresh).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: 'body-refresh' }), expect.anything(), expect.anything());
    expect(response.json()).toMatchObject({ refreshToken: issued.refresh });
  });

  it('answers 400 REFRESH_TOKEN_MISSING with neither, without calling auth-service', async () => {
    for (const payload of [undefined, {}]) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', ...(payload && { payload }) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'REFRESH_TOKEN_MISSING' });
    }
    expect(auth.refresh).not.toHaveBeenCalled();
  });

  it.each([
    ['refresh', { refreshToken: 12 }],
    ['refresh', { refreshToken: 'r', role: 'admin' }],
    ['logout', { refreshToken: 5 }],
  ])('still validates the body of %s: %j → 400', async (route, payload) => {
    const response = await app.inject({ method: 'POST', url: `/api/auth/${route}`, headers: { authorization: `Bearer ${token}` }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('clears a refused cookie', async () => {
    auth.refresh.mockReturnValueOnce(throwError(() => ({ code: GrpcStatus.UNAUTHENTICATED, details: 'Refresh token reused', metadata: undefined })) as never);
    const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { cookie: `${REFRESH_COOKIE}=spent` } });
    expect(response.statusCode).toBe(401);
    expect(cookieOf(response)).toMatchObject({ value: '', path: '/api/auth' });
  });

  it.each(['refresh', 'logout'])('refuses %s from a foreign Origin with 403 ORIGIN_NOT_ALLOWED before anything runs', async (route) => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8081']) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/auth/${route}`,
        headers: { authorization: `Bearer ${token}`, cookie: `${REFRESH_COOKIE}=r1`, origin },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ statusCode: 403, code: 'ORIGIN_NOT_ALLOWED' });
    }
    expect(auth.refresh).not.toHaveBeenCalled();
    expect(auth.logout).not.toHaveBeenCalled();
  });

  it("logout ends the cookie's session and clears the cookie", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}`, cookie: `${REFRESH_COOKIE}=r1`, origin: 'http://localhost' },
    });
    expect(response.statusCode).toBe(204);
    expect(auth.logout).toHaveBeenCalledWith(expect.objectContaining({ userId: '1', refreshToken: 'r1' }), expect.anything(), expect.anything());
    expect(cookieOf(response)).toMatchObject({ value: '', path: '/api/auth', httpOnly: true });
  });
});

describe(originAllowed.name, () => {
  const allowed = ['https://app.micronote.example'];
  it.each([
    [undefined, 'api.example', true],
    ['http://127.0.0.1:8080', '127.0.0.1:8080', true],
    ['https://notes.example', 'notes.example', true],
    ['https://notes.example', 'notes.example:443', true],
    ['https://app.micronote.example', 'api.example', true],
    ['https://evil.example', 'notes.example', false],
    ['http://127.0.0.1:9999', '127.0.0.1:8080', false],
    ['null', 'notes.example', false],
    ['not a url', 'notes.example', false],
    ['https://notes.example.evil.example', 'notes.example', false],
  ])('Origin %s to host %s → %s', (origin, host, expected) => {
    expect(originAllowed(origin, host, allowed)).toBe(expected);
  });
});

describe(secondsUntilExpiry.name, () => {
  it('reads the seconds left from the JWT, undefined for anything else', () => {
    expect(secondsUntilExpiry(tokenExpiringIn(100, 'x'))).toBeGreaterThanOrEqual(99);
    expect(secondsUntilExpiry('garbage')).toBeUndefined();
  });
});
