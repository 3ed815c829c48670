// Redis stopped and started again under a whole system of its own (a private redis-server; the
// shared one is never touched): the documented policy holds and everything recovers by itself.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { newUser } from './support/api';
import type { AppProcess } from './support/processes';
import { freePort, sleep, startApp, waitReady } from './support/processes';

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  const deadline = Date.now() + 5_000;
  while ((await client.ping().catch(() => '')) !== 'PONG') {
    if (Date.now() > deadline) throw new Error('the private redis-server did not start');
    await sleep(50);
  }
  client.disconnect();
  return child;
}

describe('Redis outage (a system on a private redis-server)', () => {
  let redisPort: number;
  let redis: ChildProcess;
  const dir = mkdtempSync(join(tmpdir(), 'mn-redis-'));
  const apps: AppProcess[] = [];
  let gateway: AppProcess;

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const started = performance.now();
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any>, ms: performance.now() - started };
  };

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort, dir);
    const shared = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, AUTH_RATE_LIMIT: '100000', API_RATE_LIMIT: '100000' };
    const services = await Promise.all(['user-service', 'notes-service', 'todos-service'].map((name) => startApp(name, shared)));
    apps.push(...services);
    const grpc = (app: AppProcess) => `127.0.0.1:${app.env['GRPC_PORT']}`;
    const urls = { GRPC_USER_URL: grpc(services[0]), GRPC_NOTES_URL: grpc(services[1]), GRPC_TODOS_URL: grpc(services[2]) };
    const auth = await startApp('auth-service', { ...shared, ...urls });
    apps.push(auth);
    gateway = await startApp('gateway', { ...shared, ...urls, GRPC_AUTH_URL: grpc(auth) });
    apps.push(gateway);
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(apps.map((app) => app.stop()));
    redis?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    // Even after an outage every process shuts down cleanly.
    expect(codes).toEqual(apps.map(() => 0));
  });

  it('is down: login/register 503 fast, authenticated requests 503 (revocation check fails closed), readiness red, liveness green; then recovers', async () => {
    const user = newUser();
    const registered = await call('POST', '/api/auth/register', user);
    expect(registered.status).toBe(201);
    const token = registered.body['accessToken'] as string;
    expect((await call('POST', '/api/notes', { title: 'before', text: 'x' }, token)).status).toBe(201);

    redis.kill('SIGKILL');
    await sleep(200);

    const login = await call('POST', '/api/auth/login', { login: user.username, password: user.password });
    expect(login.status).toBe(503);
    expect(login.ms).toBeLessThan(1_000);
    const register = await call('POST', '/api/auth/register', newUser());
    expect(register.status).toBe(503);
    const list = await call('GET', '/api/notes', undefined, token);
    expect(list.status).toBe(503);
    expect(list.body).toMatchObject({ statusCode: 503, code: 'SESSION_STORE_UNAVAILABLE' });
    expect(list.ms).toBeLessThan(1_000);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);

    // Redis comes back (empty: this one keeps nothing on disk) on the same port.
    redis = await startRedis(redisPort, dir);
    const back = Date.now();
    await Promise.all(apps.map((app) => waitReady(app.url, 10_000)));
    const readyAfter = Date.now() - back;
    let again = await call('POST', '/api/auth/register', newUser());
    while (again.status !== 201 && Date.now() - back < 10_000) {
      await sleep(100);
      again = await call('POST', '/api/auth/register', newUser());
    }
    console.log(`Redis back: every app ready after ${readyAfter} ms, register works after ${Date.now() - back} ms`);
    expect(again.status).toBe(201);
    expect(Date.now() - back).toBeLessThan(5_000);
    const fresh = again.body['accessToken'] as string;
    expect((await call('POST', '/api/notes', { title: 'after', text: 'x' }, fresh)).status).toBe(201);
    // Sessions lived in the Redis that was lost: the old token is refused, not trusted.
    expect((await call('GET', '/api/notes', undefined, token)).status).toBe(401);
  }, 60_000);
});
