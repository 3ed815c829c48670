import { createHash } from 'node:crypto';

import type { AuthUser } from '@micronote/auth-session';
import { DomainError, GrpcStatus, REDIS } from '@micronote/server-core';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { applyDecorators, Inject, Injectable, Logger, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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
/**
 * Largest answer kept to replay (bytes of JSON). A larger one keeps only its status and the
 * resource's location: the replay is `303 See Other` to it (clients follow it with a GET).
 * 16 KB, not more: the records live in the main Redis, which never evicts.
 */
export const IDEMPOTENCY_MAX_BODY_BYTES = 16 * 1024;
/** Live keys per user; past that, the user's oldest records are dropped (their retries would run again). */
export const IDEMPOTENCY_MAX_KEYS_PER_USER = 500;

const RESOURCE_PATH = 'micronote:idempotency-resource-path';

type Done = { state: 'done'; fp: string; status: number; body?: unknown; location?: string };
type Entry = { state: 'pending'; fp: string } | Done;

/**
 * Claims a key (SET NX) and records it in the user's index; past `max` live keys the oldest
 * records go. Answers 'OK' when claimed, else the record there (nil if it just vanished).
 * KEYS: record, index (sorted set of the user's record keys by claim time).
 * ARGV: pending JSON, pending ttl s, record ttl s, max, now ms.
 */
const CLAIM_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then
  return redis.call('GET', KEYS[1])
end
local now = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]) * 1000)
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess > 0 then
  local dropped = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  for _, key in ipairs(dropped) do
    if key ~= KEYS[1] then
      redis.call('ZREM', KEYS[2], key)
      redis.call('DEL', key)
    end
  end
end
return 'OK'
`;

type ClaimingRedis = Redis & {
  idempotencyClaim(
    record: string,
    index: string,
    pending: string,
    pendingTtl: number,
    ttl: number,
    max: number,
    now: number,
  ): Promise<string | null>;
};

const logger = new Logger('Idempotency');

function idempotencyError(code: string, message: string, status: GrpcStatus): DomainError {
  return new DomainError(code, message, status);
}

/** method + path (with query) + body (JSON, or a file's bytes): a different request under the same key is refused. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const hash = createHash('sha256').update(`${method} ${url}\n`);
  // A file (the app import's up to 50 MiB) is hashed as it is, never turned into JSON.
  return (Buffer.isBuffer(body) ? hash.update(body) : hash.update(body === undefined ? '' : JSON.stringify(body))).digest('base64url');
}

/**
 * `Idempotency-Key` for every POST under /api except /api/auth/*: executed once per (user, key).
 * The first request claims `idem:<userId>:<key>` (SET NX, 60 s) and, on a 2xx answer, stores its
 * status and body for 24 h; a retry gets that answer again with `Idempotent-Replayed: true`.
 * A duplicate while the first still runs is 409 IDEMPOTENCY_IN_PROGRESS (retry later); the same
 * key with another method/path/body is 409 IDEMPOTENCY_KEY_REUSED; an error answer releases the key.
 * A key given while Redis is unreachable is 503 (never executed without the guarantee).
 * Requests without the header, other methods and routes without a user pass through untouched.
 *
 * Bounded per user: a record keeps the request's hash and the answer only up to
 * IDEMPOTENCY_MAX_BODY_BYTES; a larger answer of a route declaring its resource path keeps just its
 * status and location, and its replay is `303 See Other` to the resource (re-read as it is now).
 * Each user has at most IDEMPOTENCY_MAX_KEYS_PER_USER live keys (index `idem-index:<userId>`);
 * claiming one more drops the oldest, so a flood of distinct keys cannot grow Redis.
 * Installed per route with {@link Idempotent}, not globally: a route without any interceptor skips
 * Nest's interceptor chain (an async resource and rxjs stages per request), and reads are most requests.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly reflector: Reflector = new Reflector(),
  ) {
    if (typeof redis.defineCommand === 'function' && !('idempotencyClaim' in redis)) {
      redis.defineCommand('idempotencyClaim', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
    }
  }

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
    const indexKey = `idem-index:${userId}`;
    const fp = requestFingerprint(request.method, request.url, request.body);
    const resourcePath = context.getHandler ? this.reflector.get<string | undefined>(RESOURCE_PATH, context.getHandler()) : undefined;
    return from(this.claim(redisKey, indexKey, fp)).pipe(
      mergeMap((existing) => {
        if (existing) {
          if (existing.location) {
            void reply.status(303).header('location', existing.location).header(REPLAYED_HEADER, 'true');
            return of(undefined);
          }
          void reply.status(existing.status).header(REPLAYED_HEADER, 'true');
          return of(existing.body);
        }
        return next.handle().pipe(
          mergeMap((body: unknown) => from(this.store(redisKey, fp, reply.statusCode, body, resourcePath))),
          catchError((error: unknown) => from(this.release(redisKey).then(() => Promise.reject(error)))),
        );
      }),
    );
  }

  /** Claims the key (undefined: run the request) or returns the stored answer to replay. */
  private async claim(redisKey: string, indexKey: string, fp: string): Promise<Done | undefined> {
    let raw: string | null;
    try {
      const pending: Entry = { state: 'pending', fp };
      raw = await (this.redis as ClaimingRedis).idempotencyClaim(
        redisKey,
        indexKey,
        JSON.stringify(pending),
        IDEMPOTENCY_PENDING_TTL_S,
        IDEMPOTENCY_TTL_S,
        IDEMPOTENCY_MAX_KEYS_PER_USER,
        Date.now(),
      );
      if (raw === 'OK') return undefined;
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
      throw idempotencyError(
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is in progress; retry later',
        GrpcStatus.ABORTED,
      );
    }
    return entry;
  }

  /**
   * Keeps a 2xx answer for 24 h (a large one as its location only); anything else releases the
   * key. An answer too large to keep, of a route without a resource path, keeps its status only
   * and replays with an empty body.
   */
  private async store(redisKey: string, fp: string, status: number, body: unknown, resourcePath?: string): Promise<unknown> {
    if (status < 200 || status >= 300) {
      await this.release(redisKey);
      return body;
    }
    const json = body === undefined ? '' : JSON.stringify(body);
    let done: Done = { state: 'done', fp, status, body };
    if (json.length > IDEMPOTENCY_MAX_BODY_BYTES || Buffer.byteLength(json) > IDEMPOTENCY_MAX_BODY_BYTES) {
      const id = (body as { id?: unknown } | null)?.id;
      done = {
        state: 'done',
        fp,
        status,
        ...(resourcePath && typeof id === 'string' && { location: `${resourcePath}/${encodeURIComponent(id)}` }),
      };
    }
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
 * none is missed): the route honours `Idempotency-Key`. `resourcePath` (e.g. `/api/notes`): where
 * the created or changed resource is read (`<resourcePath>/<id of the answer>`), so a replay of an
 * answer too large to keep is `303 See Other` to it.
 */
export const Idempotent = (options: { resourcePath?: string } = {}): MethodDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ...(options.resourcePath ? [SetMetadata(RESOURCE_PATH, options.resourcePath)] : []),
  );
