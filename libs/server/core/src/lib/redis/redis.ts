import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import type { RedisEnv } from '../config/env';

export const REDIS = Symbol('REDIS');

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

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // QUIT would wait for a reconnect while Redis is away: only say goodbye to a live server.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** Provides the process's shared Redis client as `@Inject(REDIS)`, closed on shutdown. */
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
        RedisCloser,
      ],
      exports: [REDIS],
    };
  }
}
