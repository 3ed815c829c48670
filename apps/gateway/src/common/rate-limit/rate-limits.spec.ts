import { DEV_JWT_SECRET } from '@micronote/server-core';
import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { configureGateway, gatewayFastifyOptions } from '../../app.setup';
import { ApiExceptionFilter } from '../filters/api-exception.filter';
import { RateLimitModule } from './rate-limit.module';
import { RateLimitStorage } from './rate-limit-storage';
import { registerUnroutedRateLimit } from './rate-limits';

@Controller()
class RoutesController {
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: { password?: string }): { ok: true } {
    if (body.password !== 'right') throw new UnauthorizedException('Wrong login or password');
    return { ok: true };
  }

  @Post('auth/register')
  register(): { ok: true } {
    return { ok: true };
  }

  @Get('notes')
  notes(): { ok: true } {
    return { ok: true };
  }

  @Get('public/notes/:token')
  sharedNote(): { ok: true } {
    return { ok: true };
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

/** Which counter each request hits (`<limit name> <key> <limit>/<ttl>`); `blocked` keys answer a block of that many seconds. */
class FakeStorage {
  calls: string[] = [];
  blocked: Record<string, number> = {};
  increment = async (key: string, ttl: number, limit: number, _block: number, name: string) => {
    this.calls.push(`${name} ${key} ${limit}/${ttl}`);
    const seconds = this.blocked[key];
    return { totalHits: 1, timeToExpire: 1, isBlocked: seconds !== undefined, timeToBlockExpire: seconds ?? 0 };
  };
}

const settings: Record<string, unknown> = {
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_ISSUER: 'micronote-auth',
  JWT_AUDIENCE: 'micronote-api',
  AUTH_RATE_LIMIT: 20,
  API_RATE_LIMIT: 50,
  PUBLIC_NOTE_RATE_LIMIT: 30,
};

describe('rate limits (throttler guard + unrouted hook)', () => {
  let app: NestFastifyApplication;
  let storage: FakeStorage;
  const jwt = new JwtService({ secret: DEV_JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'micronote-auth', audience: 'micronote-api' } });
  const inject = (method: 'GET' | 'POST', url: string, options: { body?: object; headers?: Record<string, string> } = {}) =>
    app.getHttpAdapter().getInstance().inject({ method, url, payload: options.body, headers: options.headers });

  beforeAll(async () => {
    storage = new FakeStorage();
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => settings] }), RateLimitModule],
      controllers: [RoutesController],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    })
      .overrideProvider(RateLimitStorage)
      .useValue(storage)
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(gatewayFastifyOptions({})), { logger: false, bodyParser: false });
    configureGateway(app, { docs: false });
    registerUnroutedRateLimit(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  beforeEach(() => {
    storage.calls = [];
    storage.blocked = {};
  });

  it('counts sign-in routes per IP and everything else per user, or per IP without a valid token', async () => {
    const token = await jwt.signAsync({ sid: 's1', typ: 'access' }, { subject: 'u42', jwtid: 'j1', expiresIn: 60 });
    await inject('POST', '/api/auth/register', { body: {} });
    await inject('GET', '/api/notes', { headers: { authorization: `Bearer ${token}` } });
    await inject('GET', '/api/notes', { headers: { authorization: 'Bearer not-a-token' } });
    await inject('GET', '/api/nothing-here');
    expect(storage.calls).toEqual([
      'auth ratelimit:ip:127.0.0.1 20/60000',
      'api ratelimit:user:u42 50/1000',
      'api ratelimit:ip:127.0.0.1 50/1000',
      'api ratelimit:ip:127.0.0.1 50/1000',
    ]);
  });

  it('counts a login by its routed path, however the URL spells it (percent-encoding, query string)', async () => {
    expect((await inject('POST', '/api/auth/%6Cogin', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect((await inject('POST', '/api/auth/login?x=1', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect((await inject('POST', '/api/%61uth/login', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect(storage.calls).toEqual(Array.from({ length: 3 }, () => 'auth ratelimit:ip:127.0.0.1 20/60000'));
  });

  it('limits URLs that match no route (other case, doubled or trailing slash) per IP: they never reach a handler', async () => {
    for (const url of ['/API/auth/login', '/api/auth//login', '/api/auth/login/', '//api/auth/login']) {
      expect((await inject('POST', url, { body: { login: 'ada', password: 'right' } })).statusCode).toBe(404);
    }
    expect(storage.calls).toEqual(Array.from({ length: 4 }, () => 'api ratelimit:ip:127.0.0.1 50/1000'));
  });

  it('counts public share-link reads per IP twice: the per-second API budget and their own per minute', async () => {
    const token = await jwt.signAsync({ sid: 's1', typ: 'access' }, { subject: 'u42', jwtid: 'j2', expiresIn: 60 });
    await inject('GET', '/api/public/notes/abc');
    // A signed-in reader is still counted by address for the public budget.
    await inject('GET', '/api/public/notes/abc', { headers: { authorization: `Bearer ${token}` } });
    expect(storage.calls).toEqual([
      'api ratelimit:ip:127.0.0.1 50/1000',
      'public ratelimit:ip:127.0.0.1 30/60000',
      'api ratelimit:user:u42 50/1000',
      'public ratelimit:ip:127.0.0.1 30/60000',
    ]);
  });

  it('never limits health', async () => {
    expect((await inject('GET', '/health')).statusCode).toBe(200);
    expect(storage.calls).toEqual([]);
  });

  it.each([
    ['a route', 'GET', '/api/notes', 'ratelimit:ip:127.0.0.1', 'Too many requests, slow down'],
    ['a sign-in route', 'POST', '/api/auth/login', 'ratelimit:ip:127.0.0.1', 'Too many sign-in requests from this address, try again later'],
    ['no route', 'GET', '/api/nothing-here', 'ratelimit:ip:127.0.0.1', 'Too many requests, slow down'],
    ['a public share link', 'GET', '/api/public/notes/abc', 'ratelimit:ip:127.0.0.1', 'Too many shared-note requests from this address, try again later'],
  ] as const)('answers 429 RATE_LIMITED with Retry-After on %s, in the one error shape', async (_what, method, url, key, message) => {
    storage.blocked[key] = 2;
    const response = await inject(method, url, { body: method === 'POST' ? { password: 'right' } : undefined });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(Object.keys(response.headers).filter((h) => h.startsWith('x-ratelimit') || h.startsWith('retry-after-'))).toEqual([]);
    expect(response.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message, code: 'RATE_LIMITED', requestId: expect.any(String) });
  });

  it('keys an IPv6 client by its /64', async () => {
    await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/nothing-here', remoteAddress: '2001:db8:1:2:aaaa::1' });
    expect(storage.calls).toEqual(['api ratelimit:ip:2001:db8:1:2::/64 50/1000']);
  });

});
