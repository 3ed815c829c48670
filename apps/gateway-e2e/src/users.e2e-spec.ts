import { api, expectError, login, newUser, register } from './support/api';

describe('users/me', () => {
  it('reads and updates the profile; e-mail is stored lower-case', async () => {
    const { accessToken, user, credentials } = await register();
    expect((await api('GET', '/api/users/me', { token: accessToken })).body).toEqual(user);

    const fresh = newUser();
    const updated = await api('PATCH', '/api/users/me', {
      token: accessToken,
      body: { name: 'Renamed', email: fresh.email.toUpperCase(), username: fresh.username, currentPassword: credentials.password },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: user.id, name: 'Renamed', email: fresh.email, username: fresh.username });
    expect((await api('GET', '/api/auth/me', { token: accessToken })).body).toEqual(updated.body);
  });

  it('keeps timeZone and locale in the profile: canonical, on every read, null clears; a bad one is 400 with a message', async () => {
    const { accessToken, user, credentials } = await register();
    expect(user).toMatchObject({ timeZone: null, locale: null });

    const set = await api('PATCH', '/api/users/me', { token: accessToken, body: { timeZone: 'europe/berlin', locale: 'de-de' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: user.id, name: user.name, timeZone: 'Europe/Berlin', locale: 'de-DE' });
    expect((await api('GET', '/api/users/me', { token: accessToken })).body).toEqual(set.body);
    expect((await api('GET', '/api/auth/me', { token: accessToken })).body).toEqual(set.body);
    expect((await login(credentials.username, credentials.password)).user).toMatchObject({ timeZone: 'Europe/Berlin', locale: 'de-DE' });

    const badZone = expectError(await api('PATCH', '/api/users/me', { token: accessToken, body: { timeZone: 'Mars/Olympus' } }), 400);
    expect(badZone).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^timeZone must be an IANA time zone name/),
    });
    const badLocale = expectError(await api('PATCH', '/api/users/me', { token: accessToken, body: { locale: 'en_US' } }), 400);
    expect(badLocale).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^locale must be a BCP 47 language tag/) });
    expectError(await api('PATCH', '/api/users/me', { token: accessToken, body: { timeZone: 5 } }), 400);
    expect((await api('GET', '/api/users/me', { token: accessToken })).body).toMatchObject({ timeZone: 'Europe/Berlin', locale: 'de-DE' });

    const cleared = await api('PATCH', '/api/users/me', { token: accessToken, body: { timeZone: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ timeZone: null, locale: 'de-DE' });
    const both = await api('PATCH', '/api/users/me', { token: accessToken, body: { locale: null } });
    expect((await api('GET', '/api/users/me', { token: accessToken })).body).toEqual({ ...both.body, timeZone: null, locale: null });
  });

  it('answers 409 when the new username or e-mail is taken', async () => {
    const alice = await register();
    const bob = await register();
    const taken = await api('PATCH', '/api/users/me', { token: bob.accessToken, body: { username: alice.user.username } });
    expect(expectError(taken, 409)['code']).toBe('USERNAME_TAKEN');
    const takenEmail = await api('PATCH', '/api/users/me', {
      token: bob.accessToken,
      body: { email: alice.user.email, currentPassword: bob.credentials.password },
    });
    expect(expectError(takenEmail, 409)['code']).toBe('EMAIL_TAKEN');
  });

  it('changes the password and logs out every other session', async () => {
    const { credentials, accessToken } = await register();
    const other = await login(credentials.username, credentials.password);

    const wrong = await api('POST', '/api/users/me/password', {
      token: accessToken,
      body: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-password' },
    });
    expect(expectError(wrong, 403)['code']).toBe('WRONG_PASSWORD');

    const changed = await api('POST', '/api/users/me/password', {
      token: accessToken,
      body: { currentPassword: credentials.password, newPassword: 'brand-new-password' },
    });
    expect(changed.status).toBe(204);
    expect((await api('GET', '/api/users/me', { token: accessToken })).status).toBe(200);
    expectError(await api('GET', '/api/users/me', { token: other.accessToken }), 401);
    expectError(await api('POST', '/api/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401);
    expectError(await api('POST', '/api/auth/login', { body: { login: credentials.username, password: credentials.password } }), 401);
    expect((await login(credentials.username, 'brand-new-password')).user.username).toBe(credentials.username);
  });

  it('deletes the account with its password, ending its sessions and freeing the username', async () => {
    const { credentials, accessToken } = await register();
    expectError(await api('DELETE', '/api/users/me', { token: accessToken, body: { password: 'wrong-password' } }), 403);
    expectError(await api('DELETE', '/api/users/me', { token: accessToken, body: {} }), 400);

    expect((await api('DELETE', '/api/users/me', { token: accessToken, body: { password: credentials.password } })).status).toBe(204);
    expectError(await api('GET', '/api/users/me', { token: accessToken }), 401);
    expectError(await api('POST', '/api/auth/login', { body: { login: credentials.username, password: credentials.password } }), 401);

    const again = await register({ ...newUser(), username: credentials.username, email: credentials.email });
    expect(again.user.username).toBe(credentials.username);
  });
});
