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
    ['POST', '/api/users/me/password', { currentPassword: 'x' }],
    ['POST', '/api/users/me/password', { currentPassword: 'whatever1', newPassword: 'short' }],
    ['DELETE', '/api/users/me', { password: 5 }],
    ['POST', '/api/auth/logout', { refreshToken: 5 }],
  ])('authenticated %s %s with %j → 400', async (method, path, body) => {
    expectError(await api(method, path, { body, token }), 400);
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
