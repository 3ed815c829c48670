import { api, expectError, newUser, register, sendEarlyAnswered } from './support/api';

describe('bad input gets a clear 4xx, never a 500', () => {
  let token: string;
  beforeAll(async () => {
    ({ accessToken: token } = await register());
  });

  const valid = newUser();
  it.each([
    ['missing fields', {}],
    ['an unknown field', { ...valid, role: 'admin' }],
    ['an id', { ...valid, id: '1' }],
    ['an empty name', { ...valid, name: '' }],
    ['a name of 51 characters', { ...valid, name: 'n'.repeat(51) }],
    ['a bad e-mail', { ...valid, email: 'not-an-email' }],
    ['an e-mail of 101 characters', { ...valid, email: `${'e'.repeat(89)}@example.com` }],
    ['a short username', { ...valid, username: 'ab' }],
    ['a long username', { ...valid, username: 'u'.repeat(21) }],
    ['a username with a dash', { ...valid, username: 'bad-name' }],
    ['a short password', { ...valid, password: 'short' }],
    ['a password of 129 characters', { ...valid, password: 'p'.repeat(129) }],
    ['a number for a string', { ...valid, name: 42 }],
    ['an object for a string', { ...valid, username: { $gt: '' } }],
    ['an array body', [valid]],
  ])('register with %s → 400', async (_, body) => {
    expectError(await api('POST', '/api/auth/register', { body }), 400);
  });

  it.each([
    ['POST', '/api/auth/login', { login: 'x' }],
    ['POST', '/api/auth/login', { login: 'x', password: 'y', extra: true }],
    ['POST', '/api/auth/login', { login: ['x'], password: 'y' }],
    ['POST', '/api/auth/refresh', {}],
    ['POST', '/api/auth/refresh', { refreshToken: 12 }],
  ])('%s %s with %j → 400', async (method, path, body) => {
    expectError(await api(method, path, { body }), 400);
  });

  it.each([
    ['PATCH', '/api/users/me', { email: 'nope' }],
    ['PATCH', '/api/users/me', { username: 'a b' }],
    ['PATCH', '/api/users/me', { name: '' }],
    ['PATCH', '/api/users/me', { isAdmin: true }],
    ['PATCH', '/api/users/me', { timeZone: 'Mars/Olympus' }],
    ['PATCH', '/api/users/me', { timeZone: '+02:00' }],
    ['PATCH', '/api/users/me', { timeZone: ['UTC'] }],
    ['PATCH', '/api/users/me', { locale: 'en_US' }],
    ['PATCH', '/api/users/me', { locale: 42 }],
    ['POST', '/api/users/me/password', { currentPassword: 'x' }],
    ['POST', '/api/users/me/password', { currentPassword: 'whatever1', newPassword: 'short' }],
    ['DELETE', '/api/users/me', { password: 5 }],
    ['POST', '/api/auth/logout', { refreshToken: 5 }],
  ])('authenticated %s %s with %j → 400', async (method, path, body) => {
    expectError(await api(method, path, { body, token }), 400);
  });

  describe('organizing notes: bulk, tag rename, share links, the public read', () => {
    let noteId: string;
    beforeAll(async () => {
      const created = await api<{ id: string }>('POST', '/api/notes', { token, body: { title: 'Organized', text: '', tags: ['aaaa/bbbb'] } });
      expect(created.status).toBe(201);
      noteId = created.body.id;
    });

    it.each([
      ['no body fields', {}],
      ['an array body', [{ ids: ['1'], action: 'pin' }]],
      ['ids as a string', { ids: '1', action: 'pin' }],
      ['ids as an object', { ids: { $in: ['1'] }, action: 'pin' }],
      ['nested ids', { ids: [['1']], action: 'pin' }],
      ['id 0', { ids: ['0'], action: 'pin' }],
      ['an id over 20 digits', { ids: ['9'.repeat(21)], action: 'pin' }],
      ['a negative id', { ids: ['-1'], action: 'pin' }],
      ['a null id', { ids: [null], action: 'pin' }],
      ['no action', { ids: ['1'] }],
      ['a number for the action', { ids: ['1'], action: 1 }],
      ['a prototype key for the action', { ids: ['1'], action: '__proto__' }],
      ['tags as a string', { ids: ['1'], action: 'addTags', tags: 'x' }],
      ['a tag of 31 characters', { ids: ['1'], action: 'addTags', tags: ['t'.repeat(31)] }],
      ['21 tags', { ids: ['1'], action: 'addTags', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
      ['a tag deeper than 5 levels', { ids: ['1'], action: 'removeTags', tags: ['a/b/c/d/e/f'] }],
      ['a user id', { ids: ['1'], action: 'pin', userId: '1' }],
    ])('POST /api/notes/bulk with %s → 400', async (_, body) => {
      expectError(await api('POST', '/api/notes/bulk', { body, token }), 400);
    });

    it('POST /api/notes/bulk with an id past BIGINT → 200, that item 404', async () => {
      const response = await api('POST', '/api/notes/bulk', { body: { ids: ['9'.repeat(19), noteId], action: 'pin' }, token });
      expect(response.status).toBe(200);
      expect((response.body as { items: { status: number }[] }).items.map((i) => i.status)).toEqual([404, 200]);
    });

    it.each([
      ['no body fields', {}],
      ['an array body', [{ from: 'a', to: 'b' }]],
      ['a number for from', { from: 5, to: 'b' }],
      ['an object for to', { from: 'a', to: { $ne: '' } }],
      ['an empty from', { from: '', to: 'b' }],
      ['a from of 31 characters', { from: 'f'.repeat(31), to: 'b' }],
      ['a to with an empty level', { from: 'a', to: '/b' }],
      ['a to deeper than 5 levels', { from: 'a', to: 'a/b/c/d/e/f' }],
      // `aaaa/bbbb` of the note would become a tag of 34 characters.
      ['a to that makes a child tag over 30 characters', { from: 'aaaa', to: 'x'.repeat(29) }],
    ])('POST /api/notes/tags/rename with %s → 400', async (_, body) => {
      expectError(await api('POST', '/api/notes/tags/rename', { body, token }), 400);
    });

    it.each([
      ['an unknown field', { token: 'mine' }],
      ['a date without a time', { expiresAt: '2099-01-01' }],
      ['an impossible date', { expiresAt: '2099-13-45T00:00:00Z' }],
      ['a past date', { expiresAt: '2000-01-01T00:00:00Z' }],
      ['the year 10000', { expiresAt: '+010000-01-01T00:00:00Z' }],
      ['a number', { expiresAt: 1e308 }],
      ['an array', { expiresAt: ['2099-01-01T00:00:00Z'] }],
      ['an array body', [{}]],
    ])('POST /api/notes/:id/shares with %s → 400', async (_, body) => {
      expectError(await api('POST', `/api/notes/${noteId}/shares`, { body, token }), 400);
    });

    it.each([
      ['POST', '/api/notes/abc/shares'],
      ['POST', '/api/notes/0/shares'],
      ['GET', '/api/notes/-1/shares'],
      ['GET', `/api/notes/${'9'.repeat(30)}/shares`],
      ['DELETE', '/api/notes/1/shares/abc'],
      ['DELETE', '/api/notes/1/shares/1e5'],
    ])('%s %s (a malformed id) → 400', async (method, path) => {
      expectError(await api(method, path, { body: method === 'POST' ? {} : undefined, token }), 400);
    });

    it.each([
      ['a link to a note that does not exist', 'POST', '/api/notes/999999999/shares'],
      ['the links of a note that does not exist', 'GET', '/api/notes/999999999/shares'],
      ['a link that does not exist', 'DELETE', '/api/notes/:note/shares/999999999'],
      // 19 digits pass the id pattern but not BIGINT: still "no such note", not a database error.
      ['a link to a note id past BIGINT', 'POST', `/api/notes/${'9'.repeat(19)}/shares`],
      ['a link id past BIGINT', 'DELETE', `/api/notes/:note/shares/${'9'.repeat(19)}`],
    ])('%s → 404', async (_, method, path) => {
      expectError(await api(method, path.replace(':note', noteId), { body: method === 'POST' ? {} : undefined, token }), 404);
    });

    it.each([
      ['a short token', 'short'],
      ['a token of 300 characters', 'x'.repeat(300)],
      ['a token of the right shape nobody made', 'A'.repeat(43)],
      ['a token with a NUL', 'A'.repeat(20) + '%00'],
      ['an encoded path', '..%2F..%2Fnotes'],
      ['odd characters', encodeURIComponent("'; DROP TABLE note_shares; --")],
    ])('GET /api/public/notes/ with %s → 404, without an account', async (_, bad) => {
      const response = await api('GET', `/api/public/notes/${bad}`);
      expectError(response, 404);
      // Never cached or indexed, also where Fastify answers before the controller (a parameter over 100 characters).
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    });
  });

  it('malformed JSON → 400', async () => {
    const response = await api('POST', '/api/auth/login', { rawBody: '{"login": ', headers: { 'content-type': 'application/json' } });
    expectError(response, 400);
  });

  it('JSON null → 400', async () => {
    expectError(await api('POST', '/api/auth/login', { rawBody: 'null', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('a body that is not JSON → 415', async () => {
    expectError(
      await api('POST', '/api/auth/login', {
        rawBody: 'login=a&password=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expectError(await api('POST', '/api/auth/login', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('a body over 1 MiB → 413', async () => {
    const body = JSON.stringify({ login: 'x'.repeat(1_100_000), password: 'y' });
    expectError(await sendEarlyAnswered('POST', '/api/auth/login', body, { 'content-type': 'application/json' }), 413);
  });

  it('JSON nested deeper than 32 levels → 400 (not a stack overflow)', async () => {
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const body = expectError(await api('PATCH', '/api/users/me', { rawBody: deep, token, headers: { 'content-type': 'application/json' } }), 400);
    expect(body['message']).toContain('nested deeper than 32');
    const nested33 = '['.repeat(33) + ']'.repeat(33);
    expectError(await api('POST', '/api/auth/login', { rawBody: nested33, headers: { 'content-type': 'application/json' } }), 400);
  });

  it('a URL too large for the HTTP parser → 431 in the same shape', async () => {
    expectError(await api('GET', `/api/notes?q=${'x'.repeat(20_000)}`, { token }), 431);
  });

  it('an unknown route → 404 in the same shape', async () => {
    expectError(await api('GET', '/api/nothing-here'), 404);
  });

  it('echoes a sane X-Request-ID and replaces a hostile one', async () => {
    const mine = await api('GET', '/api/auth/me', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-abc.123');
    expect((mine.body as { requestId: string }).requestId).toBe('trace-abc.123');
    const hostile = await api('GET', '/api/auth/me', { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
