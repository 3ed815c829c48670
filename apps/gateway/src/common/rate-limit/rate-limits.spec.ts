import { DEV_JWT_SECRET } from '@micronote/server-core';
import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { configureGateway, gatewayFastifyOptions } from '../../app.setup';
import { ApiExceptionFilter } from '../filters/api-exception.filter';
import { RateLimiter, rateLimitKeys } from './rate-limiter';
import { registerRateLimits } from './rate-limits';

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

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

/** Which limiter call each request makes; `wait` is what the next matching call answers. */
class FakeLimiter {
  calls: string[] = [];
  wait: Record<string, number | null> = {};
  window = async (key: string) => this.hit(`window ${key}`, key);
  bucket = async (key: string) => this.hit(`bucket ${key}`, key);
  private hit(call: string, key: string): number | null {
    this.calls.push(call);
    return this.wait[key] ?? null;
  }
}

const settings: Record<string, unknown> = {
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_ISSUER: 'micronote-auth',
  JWT_AUDIENCE: 'micronote-api',
  AUTH_RATE_LIMIT: 20,
  API_RATE_LIMIT: 50,
};

describe('rate-limit hooks', () => {
  let app: NestFastifyApplication;
  let limiter: FakeLimiter;
  const jwt = new JwtService({ secret: DEV_JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'micronote-auth', audience: 'micronote-api' } });
  const inject = (method: 'GET' | 'POST', url: string, options: { body?: object; headers?: Record<string, string> } = {}) =>
    app.getHttpAdapter().getInstance().inject({ method, url, payload: options.body, headers: options.headers });

  beforeAll(async () => {
    limiter = new FakeLimiter();
    const moduleRef = await Test.createTestingModule({
      controllers: [RoutesController],
      providers: [
        { provide: ConfigService, useValue: { get: (key: string) => settings[key] } },
        { provide: RateLimiter, useValue: limiter },
        { provide: JwtService, useValue: jwt },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(gatewayFastifyOptions({})), { logger: false, bodyParser: false });
    configureGateway(app, { docs: false });
    registerRateLimits(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  beforeEach(() => {
    limiter.calls = [];
    limiter.wait = {};
  });

  it('counts sign-in routes per IP and everything else per user, or per IP without a valid token', async () => {
    const token = await jwt.signAsync({ sid: 's1', typ: 'access' }, { subject: 'u42', jwtid: 'j1', expiresIn: 60 });
    await inject('POST', '/api/auth/register', { body: {} });
    await inject('GET', '/api/notes', { headers: { authorization: `Bearer ${token}` } });
    await inject('GET', '/api/notes', { headers: { authorization: 'Bearer not-a-token' } });
    await inject('GET', '/api/nothing-here');
    expect(limiter.calls).toEqual([
      `window ${rateLimitKeys.auth('127.0.0.1')}`,
      `bucket ${rateLimitKeys.api('user:u42')}`,
      `bucket ${rateLimitKeys.api('ip:127.0.0.1')}`,
      `bucket ${rateLimitKeys.api('ip:127.0.0.1')}`,
    ]);
  });

  it('counts a login by its routed path, however the URL spells it (percent-encoding, query string)', async () => {
    expect((await inject('POST', '/api/auth/%6Cogin', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect((await inject('POST', '/api/auth/login?x=1', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect((await inject('POST', '/api/%61uth/login', { body: { login: 'ada', password: 'right' } })).statusCode).toBe(200);
    expect(limiter.calls).toEqual(Array.from({ length: 3 }, () => `window ${rateLimitKeys.auth('127.0.0.1')}`));
  });

  it('limits URLs that match no route (other case, doubled or trailing slash) per IP: they never reach a handler', async () => {
    for (const url of ['/API/auth/login', '/api/auth//login', '/api/auth/login/', '//api/auth/login']) {
      expect((await inject('POST', url, { body: { login: 'ada', password: 'right' } })).statusCode).toBe(404);
    }
    expect(limiter.calls).toEqual(Array.from({ length: 4 }, () => `bucket ${rateLimitKeys.api('ip:127.0.0.1')}`));
  });

  it('never limits health', async () => {
    expect((await inject('GET', '/health')).statusCode).toBe(200);
    expect(limiter.calls).toEqual([]);
  });

  it('answers 429 RATE_LIMITED with Retry-After in whole seconds', async () => {
    limiter.wait[rateLimitKeys.api('ip:127.0.0.1')] = 1_200;
    const response = await inject('GET', '/api/notes');
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED', requestId: expect.any(String) });
  });

});
