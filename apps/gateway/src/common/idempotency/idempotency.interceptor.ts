import { createHash } from 'node:crypto';

import type { AuthUser } from '@micronote/server-core';
import { DomainError, GrpcStatus, REDIS } from '@micronote/server-core';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable, Logger, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import type { Observable } from 'rxjs';
import { catchError, from, mergeMap, of } from 'rxjs';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;
/** How long a stored result answers retries. */
export const IDEMPOTENCY_TTL_S = 24 * 60 * 60;
/** How long a claim of a running request lives if the process dies before it answers. */
export const IDEMPOTENCY_PENDING_TTL_S = 60;

type Entry = { state: 'pending'; fp: string } | { state: 'done'; fp: string; status: number; body?: unknown };

const logger = new Logger('Idempotency');

function idempotencyError(code: string, message: string, status: GrpcStatus): DomainError {
  return new DomainError(code, message, status);
}

/** method + path (with query) + JSON body: a different request under the same key is refused. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${body === undefined ? '' : JSON.stringify(body)}`)
    .digest('base64url');
}

/**
 * `Idempotency-Key` for every POST under /api except /api/auth/*: executed once per (user, key).
 * The first request claims `idem:<userId>:<key>` (SET NX, 60 s) and, on a 2xx answer, stores its
 * status and body for 24 h; a retry gets that answer again with `Idempotent-Replayed: true`.
 * A duplicate while the first still runs is 409 IDEMPOTENCY_IN_PROGRESS (retry later); the same
 * key with another method/path/body is 409 IDEMPOTENCY_KEY_REUSED; an error answer releases the key.
 * A key given while Redis is unreachable is 503 (never executed without the guarantee).
 * Requests without the header, other methods and routes without a user pass through untouched.
 * Installed per route with {@link Idempotent}, not globally: a route without any interceptor skips
 * Nest's interceptor chain (an async resource and rxjs stages per request), and reads are most requests.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined || request.method !== 'POST') return next.handle();
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || path.startsWith('/api/auth/')) return next.handle();
    const userId = request.user?.userId;
    if (!userId) return next.handle();
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
      throw idempotencyError(
        'IDEMPOTENCY_KEY_INVALID',
        'Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 _ . : -',
        GrpcStatus.INVALID_ARGUMENT,
      );
    }
    const reply = http.getResponse<FastifyReply>();
    const redisKey = `idem:${userId}:${header}`;
    const fp = requestFingerprint(request.method, request.url, request.body);
    return from(this.claim(redisKey, fp)).pipe(
      mergeMap((existing) => {
        if (existing) {
          void reply.status(existing.status).header(REPLAYED_HEADER, 'true');
          return of(existing.body);
        }
        return next.handle().pipe(
          mergeMap((body: unknown) => from(this.store(redisKey, fp, reply.statusCode, body))),
          catchError((error: unknown) => from(this.release(redisKey).then(() => Promise.reject(error)))),
        );
      }),
    );
  }

  /** Claims the key (undefined: run the request) or returns the stored answer to replay. */
  private async claim(redisKey: string, fp: string): Promise<Extract<Entry, { state: 'done' }> | undefined> {
    let raw: string | null;
    try {
      const pending: Entry = { state: 'pending', fp };
      if ((await this.redis.set(redisKey, JSON.stringify(pending), 'EX', IDEMPOTENCY_PENDING_TTL_S, 'NX')) === 'OK') return undefined;
      raw = await this.redis.get(redisKey);
    } catch (error) {
      logger.warn(`Redis unavailable for an Idempotency-Key: ${(error as Error).message}`);
      throw idempotencyError('IDEMPOTENCY_UNAVAILABLE', 'Idempotency store unavailable; retry with the same key', GrpcStatus.UNAVAILABLE);
    }
    const entry = raw === null ? undefined : (JSON.parse(raw) as Entry);
    if (entry && entry.fp !== fp) {
      throw idempotencyError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', GrpcStatus.ABORTED);
    }
    // Pending, or released/expired between SET and GET: the first request is still deciding.
    if (entry?.state !== 'done') {
      throw idempotencyError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is in progress; retry later', GrpcStatus.ABORTED);
    }
    return entry;
  }

  /** Keeps a 2xx answer for 24 h; anything else releases the key. */
  private async store(redisKey: string, fp: string, status: number, body: unknown): Promise<unknown> {
    if (status < 200 || status >= 300) {
      await this.release(redisKey);
      return body;
    }
    const done: Entry = { state: 'done', fp, status, body };
    try {
      await this.redis.set(redisKey, JSON.stringify(done), 'EX', IDEMPOTENCY_TTL_S);
    } catch (error) {
      // The write happened; the claim expires in 60 s, until then a retry is 409 IN_PROGRESS.
      logger.warn(`Could not store an idempotent result: ${(error as Error).message}`);
    }
    return body;
  }

  private async release(redisKey: string): Promise<void> {
    await this.redis.del(redisKey).catch((error: Error) => logger.warn(`Could not release an Idempotency-Key: ${error.message}`));
  }
}

/**
 * On every POST handler under /api except /api/auth/* (idempotent-routes.spec.ts checks that
 * none is missed): the route honours `Idempotency-Key`.
 */
export const Idempotent = (): MethodDecorator => UseInterceptors(IdempotencyInterceptor);
