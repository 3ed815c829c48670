import { createHash, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';

import { REDIS } from '@micronote/server-core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

import { UserErrors } from './users.errors';

/** Failed password checks per (account, client IP) within the window before that pair is locked (spec: 10 in 15 min). */
export const CREDENTIAL_FAILURE_LIMIT = 10;
export const CREDENTIAL_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Reserve one attempt, atomically: KEYS[1] sorted set of attempts (score = time), ARGV max,
 * windowMs, member. Drops attempts older than the window; when `max` or more remain answers the ms
 * until enough of them leave it, else records this attempt and answers -1. Because the attempt is
 * recorded BEFORE the password is checked (and taken back only when it was right), N parallel
 * guesses cannot all pass the check: at most `max` are ever in flight or failed per window.
 */
const ATTEMPT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return -1`;

type LockRedis = Redis & { credentialAttempt(key: string, max: number, windowMs: number, member: string): Promise<number> };

/**
 * What the lock counts against: the account the login resolved to (so `ALICE`, ` alice`, `álice`
 * under the accent- and case-insensitive collation, and alice's e-mail share one budget), or, for
 * a login that names no account, that login normalised the same way (trimmed, accents stripped,
 * lower-cased), so unknown names cannot be probed without limit either.
 */
export function lockSubject(userId: string | null, login = ''): string {
  if (userId) return `user:${userId}`;
  const normalised = login.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase();
  return `login:${createHash('sha256').update(normalised).digest('hex').slice(0, 32)}`;
}

/**
 * The client-address part of the key: an IPv4 address (also IPv4-mapped IPv6) as it is, an IPv6
 * address by its /64 (one host usually owns a whole /64, so rotating within it must not buy new
 * budgets), and `unknown` when the caller sent none (all such calls share one budget per account).
 */
export function lockAddress(ip: string): string {
  const value = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (mapped) return mapped[1];
  if (!isIPv6(value)) return value.length > 0 && value.length <= 64 ? value : 'unknown';
  const [head, tail = ''] = value.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = value.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export const credentialLockKey = (subject: string, ip: string) => `credential-lock:${subject}:${lockAddress(ip)}`;

/** One reserved attempt: keep it (a failure) or take it back (the password was right). */
export interface CredentialAttempt {
  /** The password was right (or the change failed for a reason that proves nothing): not a failure. */
  release(): Promise<void>;
}

/** How often a Redis outage is logged (the lock fails open meanwhile, as the gateway's limits do). */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * The brute-force lock on passwords, owned by user-service because only it resolves a login to
 * an account: login (VerifyCredentials), password change, account deletion and e-mail/username
 * changes all spend the same budget of CREDENTIAL_FAILURE_LIMIT failures per (account, client IP)
 * per CREDENTIAL_FAILURE_WINDOW_MS; once spent, RESOURCE_EXHAUSTED `RATE_LIMITED` (HTTP 429 with
 * Retry-After) until the oldest failure leaves the window, whether the next password is right or not.
 */
@Injectable()
export class CredentialLock {
  private readonly logger = new Logger('CredentialLock');
  private readonly redis: LockRedis;
  private lastOutageLog = 0;

  constructor(@Inject(REDIS) redis: Redis) {
    if (!('credentialAttempt' in redis)) redis.defineCommand('credentialAttempt', { numberOfKeys: 1, lua: ATTEMPT_SCRIPT });
    this.redis = redis as LockRedis;
  }

  /** Reserves one attempt for (subject, ip), or throws RATE_LIMITED when the pair is locked. */
  async attempt(subject: string, ip: string, message = 'Too many failed attempts, try again later'): Promise<CredentialAttempt> {
    const key = credentialLockKey(subject, ip);
    const member = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    let wait: number;
    try {
      wait = Number(await this.redis.credentialAttempt(key, CREDENTIAL_FAILURE_LIMIT, CREDENTIAL_FAILURE_WINDOW_MS, member));
    } catch (error) {
      this.outage(error);
      return { release: async () => undefined };
    }
    if (wait >= 0) {
      throw UserErrors.tooManyAttempts(message, Math.max(1, Math.ceil(wait / 1000)));
    }
    return {
      release: async () => {
        await this.redis.zrem(key, member).catch((error: unknown) => this.outage(error));
      },
    };
  }

  private outage(error: unknown): void {
    const now = Date.now();
    if (now - this.lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastOutageLog = now;
    this.logger.warn(`Credential lock skipped, Redis unavailable: ${(error as Error).message}`);
  }
}
