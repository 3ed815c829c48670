import type { ApiResponse } from './support/api';
import { api, expectRateLimited, freshIp, newUser, register, sendFrom } from './support/api';
import { startSecondGateway } from './support/realtime';

/**
 * The gateway's rate limits. A second gateway with low limits (AUTH_RATE_LIMIT=5, API_RATE_LIMIT=5)
 * shares Redis with the main test gateway (which runs with very high limits, as the other suites
 * sign in hundreds of times from 127.0.0.1), so requests to it come from a loopback address of
 * their own (127.x.y.z) and its per-IP counters start at zero.
 */

describe('rate limits', () => {
  let gateway: Awaited<ReturnType<typeof startSecondGateway>>;

  beforeAll(async () => {
    gateway = await startSecondGateway({ AUTH_RATE_LIMIT: '5', API_RATE_LIMIT: '5' });
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it('the 6th sign-in request from one IP within a minute is 429 with Retry-After', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const response = await sendFrom(gateway.url, ip, 'POST', '/api/auth/login', {
        body: { login: `nobody_${i}_${ip}`, password: 'wrong password' },
      });
      expect(response.status).toBe(401);
    }
    const sixth = await sendFrom(gateway.url, ip, 'POST', '/api/auth/register', { body: newUser() });
    expectRateLimited(sixth);
    expect(Number(sixth.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expectRateLimited(await sendFrom(gateway.url, ip, 'POST', '/api/auth/refresh', { body: { refreshToken: 'x' } }));
    // Another address is not affected.
    expect(
      (await sendFrom(gateway.url, freshIp(), 'POST', '/api/auth/login', { body: { login: `nobody_${ip}`, password: 'wrong password' } }))
        .status,
    ).toBe(401);
  });

  it('10 failed logins for one login from one IP block that pair (even with the right password), not other logins', async () => {
    // The main gateway (AUTH_RATE_LIMIT 100000): the brute-force lock applies whatever AUTH_RATE_LIMIT says.
    const victim = await register();
    const other = await register();
    for (let i = 0; i < 10; i++) {
      const response = await api('POST', '/api/auth/login', {
        body: { login: victim.credentials.username, password: `wrong-${i}-password` },
      });
      expect(response.status).toBe(401);
    }
    const eleventh = await api('POST', '/api/auth/login', {
      body: { login: victim.credentials.username.toUpperCase(), password: victim.credentials.password },
    });
    expectRateLimited(eleventh);
    expect(Number(eleventh.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // Another login from the same IP still works.
    expect(
      (await api('POST', '/api/auth/login', { body: { login: other.credentials.username, password: other.credentials.password } })).status,
    ).toBe(200);
    // The same login from another IP still works (the lock is per login and IP).
    const elsewhere = await sendFrom(gateway.url, freshIp(), 'POST', '/api/auth/login', {
      body: { login: victim.credentials.username, password: victim.credentials.password },
    });
    expect(elsewhere.status).toBe(200);
  });

  it('a burst well over API_RATE_LIMIT is 429 for that user only', async () => {
    const ip = freshIp();
    const [busy, calm] = await Promise.all([register(), register()]);
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => sendFrom(gateway.url, ip, 'GET', '/api/auth/me', { token: busy.accessToken })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(20);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expectRateLimited(responses.find((r) => r.status === 429) as ApiResponse);
    // Another user, even from the same address, is unaffected.
    const other = await sendFrom(gateway.url, ip, 'GET', '/api/auth/me', { token: calm.accessToken });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ username: calm.credentials.username });
  });

  it('never limits /health or /metrics', async () => {
    const ip = freshIp();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sendFrom(gateway.url, ip, 'GET', i % 3 === 0 ? '/metrics' : i % 3 === 1 ? '/health' : '/health/ready'),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
  });
});
