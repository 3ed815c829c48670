import { REDIS } from '@micronote/server-core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

/** What {@link RateLimitStorage.increment} answers while Redis is away: allowed. */
const FAIL_OPEN = Object.freeze({ totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 });

/** How often a Redis outage is logged (the limits fail open meanwhile). */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * The counters of every rate limit: `@nest-lab/throttler-storage-redis` (one atomic Lua script per
 * hit: a fixed window plus a block key, both with a TTL) on the process's shared ioredis client, so
 * keys live under REDIS_KEY_PREFIX and every gateway instance counts together. The one thing added
 * here is the outage policy: when Redis does not answer (1 s command timeout), the hit is allowed
 * (fail open) and one warning per minute at most is logged. Throttler's guard (HTTP), the unrouted
 * request hook and the socket.io handshake all count through this one storage.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private readonly redisStorage: ThrottlerStorageRedisService;
  private lastOutageLog = 0;

  constructor(@Inject(REDIS) redis: Redis) {
    // Given a client, the storage neither opens nor closes a connection of its own.
    this.redisStorage = new ThrottlerStorageRedisService(redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    try {
      const hit = await this.redisStorage.increment(key, ttl, limit, blockDuration, throttlerName);
      // The storage's block key is shared by every gateway instance, whatever limit each runs with:
      // each instance judges the shared count by its own limit, so one started with a lower limit
      // (a canary, a test) cannot block the others. Over the limit means until the window ends.
      const isBlocked = hit.totalHits > limit;
      return { ...hit, isBlocked, timeToBlockExpire: isBlocked ? Math.max(hit.timeToBlockExpire, hit.timeToExpire) : 0 };
    } catch (error) {
      const now = Date.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.warn(`Rate limits skipped, Redis unavailable: ${(error as Error).message}`);
      }
      return { ...FAIL_OPEN };
    }
  }
}
