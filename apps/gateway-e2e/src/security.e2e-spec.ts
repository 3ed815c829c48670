// CORS allow-list and secrets in logs, on a gateway of its own (CORS_ORIGINS set, LOG_LEVEL=trace,
// its output captured).
import { newUser } from './support/api';
import type { AppProcess } from './support/processes';
import { startApp } from './support/processes';

const ALLOWED = 'https://app.micronote.example';

describe('CORS allow-list and secrets in logs', () => {
  let gateway: AppProcess;

  beforeAll(async () => {
    gateway = await startApp('gateway', { CORS_ORIGINS: ALLOWED, LOG_LEVEL: 'trace', AUTH_RATE_LIMIT: '100000' }, { capture: true });
  }, 30_000);
  afterAll(async () => {
    expect(await gateway.stop()).toBe(0);
  });

  it('answers CORS preflights for the allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/api/notes`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${gateway.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never writes a password or a token to its logs, even at trace level', async () => {
    const user = newUser();
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
    const registered = (await (await post('/api/auth/register', user)).json()) as { accessToken: string; refreshToken: string };
    await post('/api/auth/login', { login: user.username, password: user.password });
    await post('/api/auth/login', { login: user.username, password: `${user.password}-wrong` });
    await post('/api/auth/refresh', { refreshToken: registered.refreshToken });
    await post('/api/users/me/password', { currentPassword: 'not-it-at-all', newPassword: 'another-secret-9' }, registered.accessToken);
    await post('/api/notes', { title: 't', text: 'x' }, `${registered.accessToken}tampered`);
    const logs = gateway.output();
    for (const secret of [user.password, 'another-secret-9', 'not-it-at-all', registered.accessToken, registered.refreshToken]) {
      expect(logs).not.toContain(secret);
    }
  });
});
