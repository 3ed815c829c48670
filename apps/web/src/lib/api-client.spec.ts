import type { AuthResponse } from '@micronote/contracts';

import { ApiError, createApiClient } from './api-client';
import type { TokenStore } from './tokens';
import { createTokenStore, LEGACY_REFRESH_TOKEN_KEY, SESSION_KEY } from './tokens';

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const authResponse = (access: number, refresh: number): AuthResponse => ({
  user: { id: '1', name: 'Ada', email: 'ada@example.com', username: 'ada', timeZone: null, locale: null, createdAt: '', updatedAt: '' },
  accessToken: `access-${access}`,
  refreshToken: `refresh-${refresh}`,
  expiresIn: 900,
});

/**
 * A scripted API with the browser's cookie jar: protected routes accept only the newest access
 * token; the refresh route accepts only the newest refresh token, from the body or else from the
 * cookie (sent only with `credentials: 'include'`), and rotates the pair into the cookie
 * (answering after `refreshDelayMs`, so parallel requests pile up behind it). `delays` hold back
 * the answers of some routes.
 */
function fakeServer(options: { refresh?: 'ok' | 'refused' | 'down'; refreshDelayMs?: number; delays?: Record<string, number> } = {}) {
  let access = 1;
  let refresh = 1;
  /** The HttpOnly cookie, as the browser holds it (shared by every tab). */
  let cookie: string | null = 'refresh-1';
  const calls: { url: string; method: string; headers: Record<string, string>; body?: string; cookie: string | null }[] = [];
  const rotate = () => {
    access++;
    refresh++;
    cookie = `refresh-${refresh}`;
    return authResponse(access, refresh);
  };
  const fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const sentCookie = init?.credentials === 'include' && url.includes('/api/auth/') ? cookie : null;
    calls.push({ url, method: init?.method ?? 'GET', headers, body: init?.body as string | undefined, cookie: sentCookie });
    if (url.endsWith('/api/auth/refresh')) {
      await new Promise((r) => setTimeout(r, options.refreshDelayMs ?? 5));
      if (options.refresh === 'down') throw new TypeError('fetch failed');
      const fromBody = init?.body ? (JSON.parse(String(init.body)) as { refreshToken?: string }).refreshToken : undefined;
      const sent = fromBody ?? sentCookie;
      if (!sent)
        return json(400, { statusCode: 400, error: 'Bad Request', message: 'refreshToken is required', code: 'REFRESH_TOKEN_MISSING' });
      if (options.refresh === 'refused' || sent !== `refresh-${refresh}`) {
        return json(401, { statusCode: 401, error: 'Unauthorized', message: 'Refresh token reused', code: 'REFRESH_TOKEN_REUSED' });
      }
      const { refreshToken, ...rest } = rotate();
      return json(200, fromBody ? { ...rest, refreshToken } : rest);
    }
    const valid = headers['authorization'] === `Bearer access-${access}`;
    await new Promise((r) => setTimeout(r, options.delays?.[url] ?? 0));
    if (!valid) return json(401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid or expired token', code: 'UNAUTHORIZED' });
    return json(200, { ok: true, url });
  });
  return {
    fetch,
    calls,
    refreshCalls: () => calls.filter((c) => c.url.endsWith('/api/auth/refresh')),
    refreshes: () => calls.filter((c) => c.url.endsWith('/api/auth/refresh')).length,
    cookie: () => cookie,
    /** The access token's 15 minutes ran out. */
    expire: () => access++,
    /** Another tab refreshed: the server moved on and the shared cookie with it. */
    rotateElsewhere: rotate,
  };
}

/** A tab's tokens in memory only (null: after a reload, only the cookie is left). */
function memoryTokens(access: string | null): TokenStore {
  const store = createTokenStore(null);
  store.set(access ?? '');
  return { ...store, access: () => store.access() || null };
}

describe(createApiClient.name, () => {
  it('sends the bearer token, the tab id and JSON, and parses the answer', async () => {
    const server = fakeServer();
    const api = createApiClient({
      baseUrl: 'http://api',
      tokens: memoryTokens('access-1'),
      clientId: 'tab-1',
      fetch: server.fetch,
    });
    await expect(api.post('/api/notes', { title: 'x' }, { query: { a: 1, b: undefined, c: '' } })).resolves.toEqual({
      ok: true,
      url: 'http://api/api/notes?a=1',
    });
    expect(server.calls[0].headers).toMatchObject({
      authorization: 'Bearer access-1',
      'x-client-id': 'tab-1',
      'content-type': 'application/json',
    });
    expect(server.calls[0].body).toBe('{"title":"x"}');
    // Cookies go along (the refresh cookie is scoped to /api/auth by the gateway).
    expect(server.fetch.mock.calls[0]?.[1]).toMatchObject({ credentials: 'include' });
  });

  it('sends the user’s time zone as X-Time-Zone on every request, as it is at that moment', async () => {
    const server = fakeServer();
    let zone = 'Europe/Berlin';
    const api = createApiClient({
      baseUrl: '',
      tokens: memoryTokens('access-1'),
      clientId: 'tab-1',
      fetch: server.fetch,
      timeZone: () => zone,
    });
    await api.get('/api/todos', { query: { view: 'today' } });
    zone = 'Asia/Tokyo';
    await api.patch('/api/todos/1', { completed: true });
    expect(server.calls.map((c) => c.headers['x-time-zone'])).toEqual(['Europe/Berlin', 'Asia/Tokyo']);
  });

  it('sends a file as the raw body with its media type (the app import)', async () => {
    const server = fakeServer();
    const api = createApiClient({ baseUrl: '', tokens: memoryTokens('access-1'), clientId: 'tab-1', fetch: server.fetch });
    const file = new Blob(['PK'], { type: '' });
    await api.post('/api/users/me/import', undefined, { query: { from: 'keep' }, upload: file, contentType: 'application/zip' });
    expect(server.calls[0]).toMatchObject({ url: '/api/users/me/import?from=keep', headers: { 'content-type': 'application/zip' } });
    expect(server.fetch.mock.calls[0]?.[1]?.body).toBe(file);
    await api.post('/api/users/me/import', undefined, { upload: file });
    expect(server.calls[1].headers['content-type']).toBe('application/octet-stream');
  });

  it('refreshes once for many parallel 401s, then retries each request once', async () => {
    const server = fakeServer({ refreshDelayMs: 20 });
    const tokens = memoryTokens('access-1');
    const onSignedOut = jest.fn();
    const api = createApiClient({ baseUrl: '', tokens, clientId: 'tab-1', fetch: server.fetch, onSignedOut });
    server.expire();

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => api.get<{ url: string }>(`/api/notes/${i}`)));

    expect(results.map((r) => r.url)).toEqual(Array.from({ length: 8 }, (_, i) => `/api/notes/${i}`));
    expect(server.refreshes()).toBe(1);
    // 8 refused + 1 refresh + 8 retries.
    expect(server.calls).toHaveLength(17);
    expect(tokens.access()).toBe('access-3');
    expect(server.cookie()).toBe('refresh-2');
    // The refresh sent the cookie, no token of its own.
    expect(server.refreshCalls()[0]).toMatchObject({ cookie: 'refresh-1', body: undefined });
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it('does not refresh again for a 401 that arrives after another request already refreshed', async () => {
    // /api/slow answers late: its 401 (sent with the old token) comes after /api/fast refreshed.
    const server = fakeServer({ delays: { '/api/slow': 60 } });
    const tokens = memoryTokens('access-1');
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch });
    server.expire();
    await Promise.all([api.get('/api/slow'), api.get('/api/fast')]);
    expect(server.refreshes()).toBe(1);
    expect(server.calls.filter((c) => c.url === '/api/slow').map((c) => c.headers['authorization'])).toEqual([
      'Bearer access-1',
      'Bearer access-3',
    ]);
  });

  it('gets an access token first when only the refresh token is left (a reload)', async () => {
    const server = fakeServer();
    const tokens = memoryTokens(null);
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch });
    await Promise.all([api.get('/api/notes'), api.get('/api/notes/tags'), api.get('/api/auth/me')]);
    expect(server.refreshes()).toBe(1);
    expect(server.calls.filter((c) => c.headers['authorization'] !== 'Bearer access-2')).toHaveLength(1); // the refresh itself
  });

  it('signs out when the refresh is refused, and every waiting request fails with 401', async () => {
    const server = fakeServer({ refresh: 'refused' });
    const tokens = memoryTokens('access-1');
    const onSignedOut = jest.fn();
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch, onSignedOut });
    server.expire();

    const outcomes = await Promise.allSettled([api.get('/api/a'), api.get('/api/b'), api.get('/api/c')]);

    expect(server.refreshes()).toBe(1);
    expect(onSignedOut).toHaveBeenCalled();
    expect(tokens.access()).toBeNull();
    expect(tokens.hasSession()).toBe(false);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
      expect((outcome as PromiseRejectedResult).reason.status).toBe(401);
    }
  });

  it('keeps the session when the refresh fails because the server cannot be reached', async () => {
    const server = fakeServer({ refresh: 'down' });
    const tokens = memoryTokens('access-1');
    const onSignedOut = jest.fn();
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch, onSignedOut });
    server.expire();
    await expect(api.get('/api/a')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(tokens.hasSession()).toBe(true);
  });

  it('refreshes under the cross-tab lock, with the cookie as it is then (another tab may have rotated it)', async () => {
    const server = fakeServer();
    const tokens = memoryTokens('access-1');
    let locked = 0;
    const lock = <T>(work: () => Promise<T>) => {
      locked++;
      return work();
    };
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch, lock });
    // Another tab refreshed: the server moved on, and the cookie all tabs share with it.
    server.rotateElsewhere();

    await api.get('/api/a');

    expect(locked).toBe(1);
    expect(server.refreshCalls()).toEqual([expect.objectContaining({ cookie: 'refresh-2', body: undefined })]);
    expect(server.cookie()).toBe('refresh-3');
  });

  it('keeps no refresh token where a script can read it: the access token in memory, a bare hint in localStorage', async () => {
    localStorage.clear();
    const server = fakeServer();
    const tokens = createTokenStore(localStorage);
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch });
    // A reload of a signed-in tab: nothing in memory, the cookie in the jar.
    await api.get('/api/notes');
    expect(tokens.access()).toBe('access-2');
    expect(server.refreshCalls()[0]).toMatchObject({ cookie: 'refresh-1', body: undefined });
    expect({ ...localStorage }).toEqual({ [SESSION_KEY]: '1' });
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/refresh-|access-/);
  });

  it('moves a refresh token an older version left in localStorage into the cookie, then forgets it', async () => {
    localStorage.clear();
    localStorage.setItem(LEGACY_REFRESH_TOKEN_KEY, 'refresh-1');
    const server = fakeServer();
    const tokens = createTokenStore(localStorage);
    expect(tokens.hasSession()).toBe(true);
    const api = createApiClient({ baseUrl: '', tokens, clientId: 't', fetch: server.fetch });
    await api.refreshSession();
    expect(JSON.parse(server.refreshCalls()[0]?.body ?? '{}')).toEqual({ refreshToken: 'refresh-1' });
    expect(localStorage.getItem(LEGACY_REFRESH_TOKEN_KEY)).toBeNull();
    expect(server.cookie()).toBe('refresh-2');
    // The next refresh goes by the cookie alone.
    await api.refreshSession();
    expect(server.refreshCalls()[1]).toMatchObject({ cookie: 'refresh-2', body: undefined });
  });

  it('turns error bodies into ApiError with field messages', async () => {
    const fetch = jest.fn(async () =>
      json(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: [
          'email must be an email',
          'username must be 3 to 20 letters, digits or underscores',
          'password must be a string',
          'something else',
        ],
        code: 'VALIDATION_FAILED',
        requestId: 'r1',
      }),
    );
    const api = createApiClient({ baseUrl: '', tokens: memoryTokens('a'), clientId: 't', fetch });
    const error = (await api.post('/api/auth/register', {}, { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: 'r1' });
    expect(error.fieldErrors(['email', 'username', 'password'] as const)).toEqual({
      fields: { email: 'Must be an email', username: 'Must be 3 to 20 letters, digits or underscores', password: 'Must be a string' },
      other: ['something else'],
    });
  });

  it('maps a stable code to a field (409 taken) and keeps `current` of a version conflict', async () => {
    const taken = new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'Username is taken', code: 'USERNAME_TAKEN' });
    expect(taken.fieldErrors(['email', 'username'] as const, { USERNAME_TAKEN: 'username' }).fields).toEqual({
      username: 'Username is taken',
    });
    const conflict = new ApiError(409, {
      statusCode: 409,
      error: 'Conflict',
      message: 'changed',
      code: 'NOTE_VERSION_CONFLICT',
      current: { id: '1', version: 7 },
    });
    expect(conflict.detail<{ version: number }>('current')?.version).toBe(7);
  });
});
