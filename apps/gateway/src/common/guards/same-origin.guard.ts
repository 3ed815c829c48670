import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';

import type { Env } from '../../config/env.validation';

/** CORS_ORIGINS as a list of origins (`scheme://host[:port]`). */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

function normalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request's `Origin` may use the cookie routes: none at all (not a browser: curl, a
 * server; a browser always sends it on a POST), this gateway's own origin (the `Host` the request
 * was sent to, or X-Forwarded-Host from a trusted proxy), or one of CORS_ORIGINS. `null` and
 * anything unparsable are foreign.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const given = normalOrigin(origin);
  if (!given) return false;
  if (host) {
    // The request's host read with the Origin's scheme, so default ports compare equal.
    const own = normalOrigin(`${new URL(given).protocol}//${host}`);
    if (own === given) return true;
  }
  return allowed.some((entry) => normalOrigin(entry) === given);
}

/**
 * CSRF defence of the routes that act on the refresh cookie (refresh, logout), besides its
 * SameSite=Strict: a request from a foreign origin is 403 ORIGIN_NOT_ALLOWED before anything runs.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly allowed: string[];

  constructor(config: ConfigService<Env, true>) {
    this.allowed = parseOrigins(config.get('CORS_ORIGINS', { infer: true }));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const origin = request.headers.origin;
    if (originAllowed(typeof origin === 'string' ? origin : undefined, request.host, this.allowed)) return true;
    throw new DomainError('ORIGIN_NOT_ALLOWED', 'Requests from another origin may not use the session cookie', GrpcStatus.PERMISSION_DENIED);
  }
}
