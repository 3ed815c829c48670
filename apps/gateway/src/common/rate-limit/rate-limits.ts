import { jwtVerifyOptions } from '@micronote/server-core';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Env } from '../../config/env.validation';
import { sendError } from '../filters/api-exception.filter';
import { RateLimiter, rateLimitKeys } from './rate-limiter';

/** The routes AUTH_RATE_LIMIT counts (per client IP, per minute). */
const AUTH_ROUTES = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh']);
const LOGIN_ROUTE = '/api/auth/login';
const AUTH_WINDOW_MS = 60_000;
/** Brute force: this many failed logins (401) for one login from one IP within the window → 429. */
export const LOGIN_FAILURE_LIMIT = 10;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
/** API_RATE_LIMIT is a token bucket: `rate` per second on average, bursts up to this many seconds' worth. */
const BURST_SECONDS = 2;

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Limited: /api and everything under it except the OpenAPI docs. Health, metrics, socket.io and the SPA are outside /api. */
function isLimited(path: string): boolean {
  return (path === '/api' || path.startsWith('/api/')) && path !== '/api/docs' && !path.startsWith('/api/docs/');
}

function loginOf(request: FastifyRequest): string | null {
  const login = (request.body as { login?: unknown } | undefined)?.login;
  return typeof login === 'string' && login.length > 0 ? login.toLowerCase() : null;
}

function tooMany(request: FastifyRequest, reply: FastifyReply, waitMs: number, message: string): FastifyReply {
  void reply.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  sendError(new HttpException(message, HttpStatus.TOO_MANY_REQUESTS), request, reply);
  return reply;
}

/**
 * The gateway's rate limits, as Fastify hooks in front of every /api route (also unknown ones),
 * counted in Redis by {@link RateLimiter}:
 * - POST /api/auth/login|register|refresh: AUTH_RATE_LIMIT per minute per client IP (fixed window);
 * - everything else under /api: API_RATE_LIMIT per second per user (the verified access token's
 *   subject; the client IP without one), a token bucket holding 2 seconds' worth for bursts;
 * - POST /api/auth/login: 10 failed logins (401) for one login value (lower-cased) from one IP
 *   within 15 minutes block that pair until the oldest of them is 15 minutes old (sliding log).
 * The client IP is `request.ip`, which follows X-Forwarded-For only from TRUST_PROXY.
 */
export function registerRateLimits(app: NestFastifyApplication): void {
  const config = app.get(ConfigService<Env, true>);
  const limiter = app.get(RateLimiter);
  const jwt = app.get(JwtService);
  const verifyOptions = jwtVerifyOptions(config);
  const authLimit = config.get('AUTH_RATE_LIMIT', { infer: true });
  const apiLimit = config.get('API_RATE_LIMIT', { infer: true });
  const fastify = app.getHttpAdapter().getInstance();

  /** The rate-limit subject of an /api request: its user when the access token verifies, else its IP. */
  const subjectOf = (request: FastifyRequest): string => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      try {
        const claims = jwt.verify<{ sub?: unknown; typ?: unknown }>(header.slice(7).trim(), verifyOptions);
        if (claims.typ === 'access' && typeof claims.sub === 'string') return `user:${claims.sub}`;
      } catch {
        // an invalid token counts against the IP (and gets its 401 from the route)
      }
    }
    return `ip:${request.ip}`;
  };

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS') return;
    const path = pathOf(request);
    if (!isLimited(path)) return;
    if (request.method === 'POST' && AUTH_ROUTES.has(path)) {
      if (authLimit === 0) return;
      const wait = await limiter.window(rateLimitKeys.auth(request.ip), authLimit, AUTH_WINDOW_MS);
      if (wait !== null) return tooMany(request, reply, wait, 'Too many sign-in requests from this address, try again later');
      return;
    }
    if (apiLimit === 0) return;
    const wait = await limiter.bucket(rateLimitKeys.api(subjectOf(request)), apiLimit, apiLimit * BURST_SECONDS);
    if (wait !== null) return tooMany(request, reply, wait, 'Too many requests, slow down');
  });

  // The body is parsed by now: block a (login, IP) pair with too many recent failures.
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || pathOf(request) !== LOGIN_ROUTE) return;
    const login = loginOf(request);
    if (!login) return;
    const wait = await limiter.checkFailures(rateLimitKeys.loginFailures(request.ip, login), LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS);
    if (wait !== null) return tooMany(request, reply, wait, 'Too many failed sign-ins for this login, try again later');
  });

  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.statusCode !== 401 || request.method !== 'POST' || pathOf(request) !== LOGIN_ROUTE) return;
    const login = loginOf(request);
    if (login) await limiter.recordFailure(rateLimitKeys.loginFailures(request.ip, login), LOGIN_FAILURE_WINDOW_MS);
  });
}
