import { createHash } from 'node:crypto';

import type { CacheEnv } from '@micronote/server-core';
import { CACHE_REDIS, cacheRequests, REDIS } from '@micronote/server-core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import type { CacheScope } from './keys';
import { cacheKeys } from './keys';

/**
 * Stores one entry and keeps the user's index of entries bounded: entries older than the TTL leave
 * the index, and past `max` the oldest entries are dropped with their keys.
 * KEYS: entry, index (sorted set of entry keys by store time). ARGV: value, ttl s, max, now ms.
 */
const STORE_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[2]) * 1000)
redis.call('ZADD', KEYS[2], ARGV[4], KEYS[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if excess > 0 then
  local dropped = redis.call('ZPOPMIN', KEYS[2], excess)
  for i = 1, #dropped, 2 do redis.call('UNLINK', dropped[i]) end
  return excess
end
return 0
`;

type StoringRedis = Redis & {
  readCacheStore(entry: string, index: string, value: string, ttl: number, max: number, now: number): Promise<number>;
};

/**
 * A read-through cache of a user's list and stats reads, in Redis.
 *
 * Read-your-writes without scanning keys: every entry is keyed by the user's current *version*
 * (`cacheKeys.version`), and every acknowledged write bumps that version before it is
 * answered, so the next read misses and reloads. Old entries just expire (5 min).
 *
 * One user cannot fill Redis through it: an answer over READ_CACHE_MAX_ENTRY_BYTES is not stored,
 * and each user keeps at most READ_CACHE_MAX_ENTRIES_PER_USER entries per scope (an index per user,
 * `cacheKeys.index`; the oldest entries are dropped first), however many distinct searches
 * or pages they ask for. With READ_CACHE_REDIS_URL the cache lives in a Redis of its own.
 * Redis trouble never fails a request: the cache is skipped.
 */
@Injectable()
export class ReadCache {
  private readonly logger = new Logger(ReadCache.name);

  private readonly ttlSeconds: number;
  private readonly maxEntryBytes: number;
  private readonly maxEntriesPerUser: number;
  /** The cache has a Redis (connection) of its own, apart from the events'. */
  readonly separate: boolean;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: Redis,
    config: ConfigService<CacheEnv, true>,
    @Inject(REDIS) main: Redis = redis,
  ) {
    this.ttlSeconds = config.get('READ_CACHE_TTL', { infer: true });
    this.maxEntryBytes = config.get('READ_CACHE_MAX_ENTRY_BYTES', { infer: true }) ?? 262_144;
    this.maxEntriesPerUser = config.get('READ_CACHE_MAX_ENTRIES_PER_USER', { infer: true }) ?? 64;
    this.separate = redis !== main;
    if (this.ttlSeconds > 0 && typeof redis.defineCommand === 'function' && !('readCacheStore' in redis)) {
      redis.defineCommand('readCacheStore', { numberOfKeys: 2, lua: STORE_SCRIPT });
    }
    cacheRequests();
  }

  async read<T>(scope: CacheScope, userId: string, query: unknown, load: () => Promise<T>): Promise<T> {
    if (this.ttlSeconds === 0) return load();
    const versionKey = cacheKeys.version(scope, userId);
    let entryKey: string | undefined;
    try {
      const version = (await this.redis.get(versionKey)) ?? '0';
      const hash = createHash('sha1').update(JSON.stringify(query)).digest('base64url');
      entryKey = cacheKeys.entry(scope, userId, version, hash);
      const cached = await this.redis.get(entryKey);
      if (cached !== null) {
        cacheRequests().inc({ scope, result: 'hit' });
        return JSON.parse(cached) as T;
      }
    } catch (error) {
      this.skip(error);
      cacheRequests().inc({ scope, result: 'skip' });
      return load();
    }
    cacheRequests().inc({ scope, result: 'miss' });
    const value = await load();
    this.store(scope, userId, entryKey, value);
    return value;
  }

  /**
   * Makes every cached read of the user stale. Called after the commit and before the write is
   * acknowledged. If Redis is unreachable the entries can't be served either (reads skip the cache
   * while it is down), and they expire within the TTL.
   */
  async invalidate(scope: CacheScope, userId: string): Promise<void> {
    if (this.ttlSeconds === 0) return;
    try {
      const versionKey = cacheKeys.version(scope, userId);
      await this.redis
        .multi()
        .incr(versionKey)
        .expire(versionKey, this.ttlSeconds * 2)
        .exec();
    } catch (error) {
      this.skip(error);
    }
  }

  /** In the background: the answer is already on its way, and a failed store never fails it. */
  private store(scope: CacheScope, userId: string, entryKey: string, value: unknown): void {
    try {
      const json = JSON.stringify(value);
      if (json === undefined || Buffer.byteLength(json) > this.maxEntryBytes) return;
      const indexKey = cacheKeys.index(scope, userId);
      (this.redis as StoringRedis)
        .readCacheStore(entryKey, indexKey, json, this.ttlSeconds, this.maxEntriesPerUser, Date.now())
        .catch((error: unknown) => this.skip(error));
    } catch (error) {
      this.skip(error);
    }
  }

  private skip(error: unknown): void {
    this.logger.warn(`cache skipped: ${(error as Error).message}`);
  }
}
