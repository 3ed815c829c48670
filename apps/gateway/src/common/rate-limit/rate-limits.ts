import { jwtVerifyOptions } from '@micronote/auth-session';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Env } from '../../config/env.validation';
import { sendError } from '../filters/api-exception.filter';
import { RateLimiter, rateLimitKeys } from './rate-limiter';

/** The route templates AUTH_RATE_LIMIT counts (per client IP, per minute). */
const AUTH_ROUTES = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh']);
const AUTH_WINDOW_MS = 60_000;
/** API_RATE_LIMIT is a token bucket: `rate` per second on average, bursts up to this many seconds' worth. */
const BURST_SECONDS = 2;

/**
 * The route a request was ROUTED to (Fastify's matched template, e.g. `/api/auth/login`), or null
 * when it matched none (it then gets a 404 and reaches no handler). Never the raw URL: the router
 * decodes `%6C` and drops the query string, so keying on `request.url` would let
 * `/api/auth/%6Cogin` dodge the sign-in limit.
 */
function routeOf(request: FastifyRequest): string | null {
  return request.routeOptions?.url ?? null;
}

/**
 * Limited: every route under /api except the OpenAPI docs, and every request that matches no
 * route (however it spells its path). Health, metrics and the SPA are routes outside /api;
 * socket.io never reaches Fastify.
 */
function isLimited(route: string | null): boolean {
  if (route === null) return true;
  return (route === '/api' || route.startsWith('/api/')) && route !== '/api/docs' && !route.startsWith('/api/docs/');
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
 * The routes are the ones Fastify routed the request to (its matched template), not the raw URL.
 * The brute-force lock on passwords (login, password change, account deletion, e-mail change) is
 * user-service's CredentialLock, keyed on the resolved account.
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
    const route = routeOf(request);
    if (!isLimited(route)) return;
    if (request.method === 'POST' && route !== null && AUTH_ROUTES.has(route)) {
      if (authLimit === 0) return;
      const wait = await limiter.window(rateLimitKeys.auth(request.ip), authLimit, AUTH_WINDOW_MS);
      if (wait !== null) return tooMany(request, reply, wait, 'Too many sign-in requests from this address, try again later');
      return;
    }
    if (apiLimit === 0) return;
    const wait = await limiter.bucket(rateLimitKeys.api(subjectOf(request)), apiLimit, apiLimit * BURST_SECONDS);
    if (wait !== null) return tooMany(request, reply, wait, 'Too many requests, slow down');
  });
}
