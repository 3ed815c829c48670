import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import type { CacheEnv, RedisEnv } from '../config/env';

export const REDIS = Symbol('REDIS');
/**
 * The read cache's client: a Redis of its own when READ_CACHE_REDIS_URL is set (one that may evict
 * any key), else the very same client as {@link REDIS}.
 */
export const CACHE_REDIS = Symbol('CACHE_REDIS');

export interface RedisClientOptions {
  /** Connection name, shown by CLIENT LIST. */
  name: string;
  keyPrefix?: string;
  /** Subscribers and blocking readers wait for the server instead of failing fast. */
  blocking?: boolean;
}

/**
 * The one Redis client factory. Commands fail fast while Redis is away (at once while disconnected,
 * else one retry and a 1 s timeout) so callers can apply their outage policy, and the client
 * reconnects by itself when it returns.
 */
export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const logger = new Logger(`Redis:${options.name}`);
  const client = new Redis(url, {
    connectionName: options.name,
    keyPrefix: options.keyPrefix || undefined,
    connectTimeout: 2_000,
    commandTimeout: options.blocking ? undefined : 1_000,
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn(`Redis error: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) logger.log('Redis connection restored');
    lastError = '';
    // Queue commands only until the first connection (start-up); after that a command issued while
    // Redis is away fails at once, so callers answer by their outage policy without waiting.
    if (!options.blocking) client.options.enableOfflineQueue = false;
  });
  return client;
}

/**
 * The connection of a BullMQ queue (producer) or worker: the main Redis, but without ioredis's
 * `keyPrefix` (BullMQ refuses it: its Lua scripts build keys themselves). A worker's waits for
 * Redis instead of failing fast (BullMQ requires `maxRetriesPerRequest: null` there: it blocks on
 * its queue); a producer's fails fast like every other command, so the caller retries. Keys stay
 * under REDIS_KEY_PREFIX through BullMQ's own `prefix`, {@link queuePrefix}.
 */
export function createQueueConnection(url: string, name: string, role: 'producer' | 'worker'): Redis {
  return createRedisClient(url, { name, blocking: role === 'worker' });
}

/** BullMQ's `prefix` under REDIS_KEY_PREFIX (`mn:` → keys `mn:bull:<queue>:…`), so test runs and deployments sharing a Redis stay apart. */
export const queuePrefix = (redisKeyPrefix: string) => `${redisKeyPrefix}bull`;

export async function closeRedis(redis: Redis): Promise<void> {
  // QUIT would wait for a reconnect while Redis is away: only say goodbye to a live server.
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CACHE_REDIS) private readonly cacheRedis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([closeRedis(this.redis), ...(this.cacheRedis === this.redis ? [] : [closeRedis(this.cacheRedis)])]);
  }
}

/**
 * Provides the process's shared Redis client as `@Inject(REDIS)` and the read cache's as
 * `@Inject(CACHE_REDIS)` (the same client unless READ_CACHE_REDIS_URL is set), closed on shutdown.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(name: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [ConfigService],
          useFactory: (config: ConfigService<RedisEnv, true>) =>
            createRedisClient(config.get('REDIS_URL', { infer: true }), {
              name,
              keyPrefix: config.get('REDIS_KEY_PREFIX', { infer: true }),
            }),
        },
        {
          provide: CACHE_REDIS,
          inject: [ConfigService, REDIS],
          useFactory: (config: ConfigService<RedisEnv & CacheEnv, true>, main: Redis) => {
            const url = config.get('READ_CACHE_REDIS_URL', { infer: true });
            return url
              ? createRedisClient(url, { name: `${name}:cache`, keyPrefix: config.get('REDIS_KEY_PREFIX', { infer: true }) })
              : main;
          },
        },
        RedisCloser,
      ],
      exports: [REDIS, CACHE_REDIS],
    };
  }
}
