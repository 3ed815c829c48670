import { jwtVerifyOptions } from '@micronote/auth-session';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ThrottlerModuleOptions, ThrottlerOptions, ThrottlerStorage } from '@nestjs/throttler';
import { getStorageToken, normalizeIp } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Env } from '../../config/env.validation';
import { sendError } from '../filters/api-exception.filter';

/** The route templates AUTH_RATE_LIMIT counts (per client IP, per minute). */
const AUTH_ROUTES = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh']);

/** The named limits: their throttler name (part of the Redis key) and window. */
export const RATE_LIMITS = {
  /** POST /api/auth/login|register|refresh: AUTH_RATE_LIMIT per client IP per minute. */
  auth: { name: 'auth', ttl: 60_000 },
  /** The rest of /api (and unrouted URLs): API_RATE_LIMIT per user (or client IP) per second. */
  api: { name: 'api', ttl: 1_000 },
  /** GET /api/public/notes/:token (share links, no account): PUBLIC_NOTE_RATE_LIMIT per client IP per minute. */
  publicNote: { name: 'public', ttl: 60_000 },
  /** socket.io handshakes: WS_HANDSHAKE_RATE_LIMIT per client IP per minute. */
  wsHandshake: { name: 'ws', ttl: 60_000 },
} as const;

export const RATE_LIMIT_MESSAGES = {
  auth: 'Too many sign-in requests from this address, try again later',
  publicNote: 'Too many shared-note requests from this address, try again later',
  api: 'Too many requests, slow down',
};

/**
 * The Redis key of a tracker (`ip:<address>` or `user:<id>`); the storage adds the limit's name,
 * so keys read `{ratelimit:ip:10.0.0.7:auth}:hits` under REDIS_KEY_PREFIX.
 */
export const rateLimitKey = (tracker: string) => `ratelimit:${tracker}`;

/** The client address as counted: `request.ip` (X-Forwarded-For only from TRUST_PROXY), IPv6 by /64. */
export const ipTracker = (ip: string) => `ip:${normalizeIp(ip)}`;

/**
 * The route a request was ROUTED to (Fastify's matched template, e.g. `/api/auth/login`), or null
 * when it matched none (it then gets a 404 and reaches no handler). Never the raw URL: the router
 * decodes `%6C` and drops the query string, so keying on `request.url` would let
 * `/api/auth/%6Cogin` dodge the sign-in limit.
 */
export function routeOf(request: FastifyRequest): string | null {
  return request.routeOptions?.url ?? null;
}

/**
 * Limited: every route under /api except the OpenAPI docs, and every request that matches no
 * route (however it spells its path). Health, metrics and the SPA are routes outside /api;
 * socket.io never reaches Fastify.
 */
export function isLimited(route: string | null): boolean {
  if (route === null) return true;
  return (route === '/api' || route.startsWith('/api/')) && route !== '/api/docs' && !route.startsWith('/api/docs/');
}

/** The public share-link read (no account): counted per client IP by PUBLIC_NOTE_RATE_LIMIT. */
export const PUBLIC_NOTE_ROUTE = '/api/public/notes/:token';

export function isPublicNoteRead(request: FastifyRequest): boolean {
  return routeOf(request) === PUBLIC_NOTE_ROUTE;
}

export function isSignIn(request: FastifyRequest): boolean {
  const route = routeOf(request);
  return request.method === 'POST' && route !== null && AUTH_ROUTES.has(route);
}

/** Retry-After in whole seconds (at least 1). */
export function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}

/** 429 RATE_LIMITED (RESOURCE_EXHAUSTED), answered in the one error shape by the ApiExceptionFilter. */
export function rateLimited(message: string): DomainError {
  return new DomainError('RATE_LIMITED', message, GrpcStatus.RESOURCE_EXHAUSTED);
}

/**
 * The throttlers of `@nestjs/throttler` (see RateLimitGuard), counted in {@link RateLimitStorage}:
 * - `auth`: POST /api/auth/login|register|refresh share AUTH_RATE_LIMIT per client IP per minute;
 * - `api`: everything else under /api, API_RATE_LIMIT per second per user (the verified access
 *   token's subject; the client IP without one, or when it does not verify);
 * - `public`: GET /api/public/notes/:token (share links) also PUBLIC_NOTE_RATE_LIMIT per client IP per minute.
 * Each is a fixed window; a key over its limit is blocked until its window's length has passed.
 * A limit of 0 turns it off. The brute-force lock on passwords is user-service's CredentialLock.
 */
export function rateLimitOptions(config: ConfigService<Env, true>, storage: ThrottlerStorage, jwt: JwtService): ThrottlerModuleOptions {
  const verifyOptions = jwtVerifyOptions(config);
  const authLimit = config.get('AUTH_RATE_LIMIT', { infer: true });
  const apiLimit = config.get('API_RATE_LIMIT', { infer: true });
  const publicNoteLimit = config.get('PUBLIC_NOTE_RATE_LIMIT', { infer: true });

  /** The API subject of a request: its user when the access token verifies, else its IP. */
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
    return ipTracker(request.ip);
  };

  const request = (context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>();
  const throttlers: ThrottlerOptions[] = [];
  if (authLimit > 0) {
    throttlers.push({
      ...RATE_LIMITS.auth,
      limit: authLimit,
      skipIf: (context) => !isSignIn(request(context)),
      getTracker: (req) => ipTracker((req as FastifyRequest).ip),
    });
  }
  if (apiLimit > 0) {
    throttlers.push({
      ...RATE_LIMITS.api,
      limit: apiLimit,
      skipIf: (context) => isSignIn(request(context)),
      getTracker: (req) => subjectOf(req as FastifyRequest),
    });
  }
  // On top of `api` (which counts it per IP per second too): a budget per minute, so links cannot be guessed at speed.
  if (publicNoteLimit > 0) {
    throttlers.push({
      ...RATE_LIMITS.publicNote,
      limit: publicNoteLimit,
      skipIf: (context) => !isPublicNoteRead(request(context)),
      getTracker: (req) => ipTracker((req as FastifyRequest).ip),
    });
  }
  const messageOf = (req: FastifyRequest) =>
    isSignIn(req) ? RATE_LIMIT_MESSAGES.auth : isPublicNoteRead(req) ? RATE_LIMIT_MESSAGES.publicNote : RATE_LIMIT_MESSAGES.api;
  return {
    throttlers,
    storage,
    // One counter per tracker and limit, whichever handler it hit (the default key is per handler).
    generateKey: (_context, tracker) => rateLimitKey(tracker),
    errorMessage: (context) => messageOf(request(context)),
    // No X-RateLimit-* headers; RateLimitGuard sets Retry-After on a 429 itself.
    setHeaders: false,
  };
}

/**
 * A request that matches no route reaches no guard (Fastify answers 404 before Nest runs), so it
 * is counted here, in an onRequest hook before its body is read, against the client IP's `api`
 * budget: the same Redis key a signed-out request to a real route spends.
 */
export function registerUnroutedRateLimit(app: NestFastifyApplication): void {
  const config = app.get(ConfigService<Env, true>);
  const storage = app.get<ThrottlerStorage>(getStorageToken());
  const apiLimit = config.get('API_RATE_LIMIT', { infer: true });
  if (apiLimit === 0) return;
  const { name, ttl } = RATE_LIMITS.api;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method === 'OPTIONS' || routeOf(request) !== null) return;
      const hit = await storage.increment(rateLimitKey(ipTracker(request.ip)), ttl, apiLimit, ttl, name);
      if (!hit.isBlocked) return;
      void reply.header('Retry-After', retryAfterHeader(hit.timeToBlockExpire));
      sendError(rateLimited(RATE_LIMIT_MESSAGES.api), request, reply);
      return reply;
    });
}
