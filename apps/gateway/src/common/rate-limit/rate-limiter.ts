import { createHash, randomBytes } from 'node:crypto';

import { REDIS } from '@micronote/server-core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** Redis keys (under the deployment's REDIS_KEY_PREFIX, which the shared client adds). */
export const rateLimitKeys = {
  auth: (ip: string) => `ratelimit:auth:${ip}`,
  api: (subject: string) => `ratelimit:api:${subject}`,
  loginFailures: (ip: string, login: string) =>
    `ratelimit:login-fail:${ip}:${createHash('sha256').update(login.toLowerCase()).digest('hex').slice(0, 32)}`,
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

/**
 * Sliding log of failures: KEYS[1] sorted set (score = time), ARGV max, windowMs, record ('1' adds
 * one failure), member. Check: -1 when fewer than \`max\` failures lie in the window, else ms until
 * enough of them leave it. Record: adds one and returns -1.
 */
const FAILURES_SCRIPT = `${NOW}
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return -1
end
local max = tonumber(ARGV[1])
local n = redis.call('ZCARD', KEYS[1])
if n < max then return -1 end
local oldest = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

type LimiterRedis = Redis & {
  rateLimitWindow(key: string, limit: number, windowMs: number): Promise<number>;
  rateLimitBucket(key: string, rate: number, burst: number): Promise<number>;
  rateLimitFailures(key: string, max: number, windowMs: number, record: '0' | '1', member: string): Promise<number>;
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
      redis.defineCommand('rateLimitFailures', { numberOfKeys: 1, lua: FAILURES_SCRIPT });
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

  /** Blocked while `max` or more failures were recorded under `key` within the last `windowMs`. */
  checkFailures(key: string, max: number, windowMs: number): Promise<number | null> {
    return this.run(() => this.redis.rateLimitFailures(key, max, windowMs, '0', ''));
  }

  async recordFailure(key: string, windowMs: number): Promise<void> {
    await this.run(() => this.redis.rateLimitFailures(key, 0, windowMs, '1', `${Date.now()}-${randomBytes(6).toString('hex')}`));
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
