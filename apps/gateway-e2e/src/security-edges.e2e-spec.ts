// Edges (issue 14): the refresh token as an HttpOnly cookie that foreign origins cannot use,
// Swagger off unless wanted, and URLs in the gateway's logs without query strings or ids.
import { randomBytes } from 'node:crypto';

import type { ApiResponse } from './support/api';
import { api, expectError, GATEWAY_URL, login, newUser, REFRESH_COOKIE, register, setCookieLine, setCookieValue } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';

const OWN_ORIGIN = new URL(GATEWAY_URL).origin;
const FOREIGN_ORIGINS = ['https://evil.example', 'null', `${new URL(GATEWAY_URL).protocol}//${new URL(GATEWAY_URL).hostname}:1`];

/** A browser-like cookie call to /api/auth/<route>: the cookie, an Origin, no body. */
function withCookie(route: 'refresh' | 'logout', cookie: string, origin: string, token?: string): Promise<ApiResponse<any>> {
  return api('POST', `/api/auth/${route}`, { token, headers: { cookie: `${REFRESH_COOKIE}=${cookie}`, origin } });
}

describe('security: the refresh token lives in an HttpOnly cookie that foreign origins cannot use', () => {
  it('register, login and refresh set it HttpOnly, Secure, SameSite=Strict, on /api/auth only', async () => {
    const user = await register();
    const responses = [
      await api('POST', '/api/auth/register', { body: newUser() }),
      await api('POST', '/api/auth/login', { body: { login: user.credentials.username, password: user.credentials.password } }),
      await api('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } }),
    ];
    for (const response of responses) {
      const line = setCookieLine(response) ?? '';
      expect(line).toMatch(/; HttpOnly(;|$)/i);
      expect(line).toMatch(/; Secure(;|$)/i);
      expect(line).toMatch(/; SameSite=Strict(;|$)/i);
      expect(line).toMatch(/; Path=\/api\/auth(;|$)/i);
      expect(line).toMatch(/; Max-Age=\d{4,}/i);
    }
  });

  it('refreshes with the cookie alone from its own origin; the new token is in the cookie, not the body; the old one is spent', async () => {
    const user = await register();
    const registered = await api('POST', '/api/auth/login', { body: { login: user.credentials.username, password: user.credentials.password } });
    const first = setCookieValue(registered) ?? '';
    const refreshed = await withCookie('refresh', first, OWN_ORIGIN);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number), user: { id: user.user.id } });
    expect(refreshed.body).not.toHaveProperty('refreshToken');
    const second = setCookieValue(refreshed) ?? '';
    expect(second).not.toBe(first);
    expect((await api('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);
    // The spent cookie is refused (reuse: the session is gone) and the browser told to forget it.
    const replay = await withCookie('refresh', first, OWN_ORIGIN);
    expect(expectError(replay, 401)['code']).toBe('REFRESH_TOKEN_REUSED');
    expect(setCookieValue(replay)).toBe('');
  });

  it.each(FOREIGN_ORIGINS)('refuses a refresh from origin %s with 403 ORIGIN_NOT_ALLOWED, leaving the cookie unspent', async (origin) => {
    const { refreshToken } = await register();
    const refused = await withCookie('refresh', refreshToken, origin);
    expect(expectError(refused, 403)['code']).toBe('ORIGIN_NOT_ALLOWED');
    expect(setCookieLine(refused)).toBeUndefined();
    // Not spent: the app itself can still use it.
    expect((await withCookie('refresh', refreshToken, OWN_ORIGIN)).status).toBe(200);
  });

  it('refuses a logout from a foreign origin (the session goes on); from its own origin it ends the session and clears the cookie', async () => {
    const user = await register();
    const session = await login(user.credentials.username, user.credentials.password);
    const refused = await withCookie('logout', session.refreshToken, 'https://evil.example', session.accessToken);
    expect(expectError(refused, 403)['code']).toBe('ORIGIN_NOT_ALLOWED');
    expect((await api('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(200);

    const out = await withCookie('logout', session.refreshToken, OWN_ORIGIN, session.accessToken);
    expect(out.status).toBe(204);
    expect(setCookieValue(out)).toBe('');
    expect(setCookieLine(out)).toMatch(/Path=\/api\/auth/);
    expectError(await api('GET', '/api/auth/me', { token: session.accessToken }), 401);
    expectError(await withCookie('refresh', session.refreshToken, OWN_ORIGIN), 401);
  });

  it('a refresh with neither cookie nor body is 400 REFRESH_TOKEN_MISSING', async () => {
    expect(expectError(await api('POST', '/api/auth/refresh', { headers: { origin: OWN_ORIGIN } }), 400)['code']).toBe('REFRESH_TOKEN_MISSING');
  });
});

describe('security: API docs and logged URLs (a gateway of its own: API_DOCS=false, logs captured)', () => {
  let gateway: AppProcess;

  beforeAll(async () => {
    gateway = await startApp('gateway', { API_DOCS: 'false', LOG_LEVEL: 'info', AUTH_RATE_LIMIT: '100000' }, { capture: true });
  }, 30_000);
  afterAll(async () => {
    expect(await gateway.stop()).toBe(0);
  });

  it('serves no Swagger UI or OpenAPI document with API_DOCS=false (the test system, NODE_ENV=test, does)', async () => {
    expect((await fetch(`${GATEWAY_URL}/api/docs/openapi.json`)).status).toBe(200);
    for (const path of ['/api/docs', '/api/docs/openapi.json']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status).toBe(404);
      // The API's own 404, no Swagger UI page and no document.
      expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('logs the route template of each request, never its query string or ids', async () => {
    const { accessToken } = await register();
    const term = `secret-term-${randomBytes(4).toString('hex')}`;
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${gateway.url}/api/notes`, { method: 'POST', headers, body: JSON.stringify({ title: term, text: term }) });
    const note = (await created.json()) as { id: string };
    await fetch(`${gateway.url}/api/notes?q=${term}&tag=${term}-tag`, { headers });
    await fetch(`${gateway.url}/api/notes/${note.id}?cursor=${term}`, { headers });
    // No route (the SPA's fallback, or none): the path, still without its query string.
    await fetch(`${gateway.url}/api/no-such-route?q=${term}`, { headers });
    await sleep(200);
    const lines = gateway
      .output()
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => JSON.parse(line) as { req: { method: string; url: string } });
    expect(lines.map((l) => l.req)).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: '/api/notes' },
        { method: 'GET', url: '/api/notes/:id' },
      ]),
    );
    expect(gateway.output()).not.toContain(term);
    expect(gateway.output()).not.toMatch(new RegExp(`/api/notes/${note.id}\\b`));
  });
});
