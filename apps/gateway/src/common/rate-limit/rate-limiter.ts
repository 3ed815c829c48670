import { REDIS } from '@micronote/server-core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** Redis keys (under the deployment's REDIS_KEY_PREFIX, which the shared client adds). */
export const rateLimitKeys = {
  auth: (ip: string) => `ratelimit:auth:${ip}`,
  api: (subject: string) => `ratelimit:api:${subject}`,
  wsHandshake: (ip: string) => `ratelimit:ws:${ip}`,
};

/** Milliseconds since the epoch, from Redis's clock, so every gateway instance agrees. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Fixed window: KEYS[1] counter, ARGV limit, windowMs. Returns -1 (allowed) or ms until the window ends. */
const WINDOW_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
if n > tonumber(ARGV[1]) then return ttl end
return -1`;

/**
 * Token bucket: KEYS[1] hash {tokens, ts}, ARGV rate (tokens/s), burst (capacity). A full bucket
 * holds \`burst\` tokens and refills at \`rate\` per second. Returns -1 or ms until one token is back.
 */
const BUCKET_SCRIPT = `${NOW}
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local wait = -1
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait`;

type LimiterRedis = Redis & {
  rateLimitWindow(key: string, limit: number, windowMs: number): Promise<number>;
  rateLimitBucket(key: string, rate: number, burst: number): Promise<number>;
};

/** How often a Redis outage is logged (the limiter fails open meanwhile). */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * The rate-limit counters, each check one atomic Lua script in the shared Redis, so every gateway
 * instance counts together. Every method resolves to the milliseconds to wait (429 + Retry-After)
 * or null (allowed). Redis outage: fail open (null), with one warning per minute at most.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly redis: LimiterRedis;
  private lastOutageLog = 0;

  constructor(@Inject(REDIS) redis: Redis) {
    if (!('rateLimitWindow' in redis)) {
      redis.defineCommand('rateLimitWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
      redis.defineCommand('rateLimitBucket', { numberOfKeys: 1, lua: BUCKET_SCRIPT });
    }
    this.redis = redis as LimiterRedis;
  }

  /** At most `limit` hits per fixed window of `windowMs` (counted from the first hit). */
  window(key: string, limit: number, windowMs: number): Promise<number | null> {
    return this.run(() => this.redis.rateLimitWindow(key, limit, windowMs));
  }

  /** Token bucket: `rate` per second on average, up to `burst` at once. */
  bucket(key: string, rate: number, burst: number): Promise<number | null> {
    return this.run(() => this.redis.rateLimitBucket(key, rate, burst));
  }

  private async run(script: () => Promise<number>): Promise<number | null> {
    try {
      const wait = Number(await script());
      return wait >= 0 ? wait : null;
    } catch (error) {
      const now = Date.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.warn(`Rate limits skipped, Redis unavailable: ${(error as Error).message}`);
      }
      return null;
    }
  }
}
