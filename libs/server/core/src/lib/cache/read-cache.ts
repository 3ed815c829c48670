import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import type { CacheEnv } from '../config/env';
import { cacheRequests } from '../metrics/component-metrics';
import { REDIS } from '../redis/redis';

/**
 * A read-through cache of a user's list and stats reads, in Redis.
 *
 * Read-your-writes without scanning keys: every entry is keyed by the user's current *version*
 * (`cache:<scope>:ver:<user>`), and every acknowledged write bumps that version before it is
 * answered, so the next read misses and reloads. Old entries just expire (5 min).
 * Redis trouble never fails a request: the cache is skipped.
 */
@Injectable()
export class ReadCache {
  private readonly logger = new Logger(ReadCache.name);
  private hits = 0;
  private misses = 0;

  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<CacheEnv, true>,
  ) {
    this.ttlSeconds = config.get('READ_CACHE_TTL', { infer: true });
    cacheRequests();
  }

  async read<T>(scope: string, userId: string, query: unknown, load: () => Promise<T>): Promise<T> {
    if (this.ttlSeconds === 0) return load();
    const versionKey = `cache:${scope}:ver:${userId}`;
    let entryKey: string | undefined;
    try {
      const version = (await this.redis.get(versionKey)) ?? '0';
      const hash = createHash('sha1').update(JSON.stringify(query)).digest('base64url');
      entryKey = `cache:${scope}:${userId}:${version}:${hash}`;
      const cached = await this.redis.get(entryKey);
      if (cached !== null) {
        this.hits++;
        cacheRequests().inc({ scope, result: 'hit' });
        return JSON.parse(cached) as T;
      }
    } catch (error) {
      this.skip(error);
      cacheRequests().inc({ scope, result: 'skip' });
      return load();
    }
    this.misses++;
    cacheRequests().inc({ scope, result: 'miss' });
    const value = await load();
    this.redis.set(entryKey, JSON.stringify(value), 'EX', this.ttlSeconds).catch((error: unknown) => this.skip(error));
    return value;
  }

  /**
   * Makes every cached read of the user stale. Called after the commit and before the write is
   * acknowledged. If Redis is unreachable the entries can't be served either (reads skip the cache
   * while it is down), and they expire within the TTL.
   */
  async invalidate(scope: string, userId: string): Promise<void> {
    if (this.ttlSeconds === 0) return;
    try {
      const versionKey = `cache:${scope}:ver:${userId}`;
      await this.redis
        .multi()
        .incr(versionKey)
        .expire(versionKey, this.ttlSeconds * 2)
        .exec();
    } catch (error) {
      this.skip(error);
    }
  }

  stats(): { hits: number; misses: number } {
    return { hits: this.hits, misses: this.misses };
  }

  private skip(error: unknown): void {
    this.logger.warn(`cache skipped: ${(error as Error).message}`);
  }
}
