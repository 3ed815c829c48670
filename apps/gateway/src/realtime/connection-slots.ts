import { randomUUID } from 'node:crypto';

import { REDIS } from '@micronote/server-core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** How long a slot lives without renewal: a crashed gateway's slots are free again after this. */
export const SLOT_LEASE_MS = 60_000;
/** How often each gateway renews the slots of its open sockets. */
export const SLOT_RENEW_MS = 20_000;

/** Redis key of a user's open sockets (under the deployment's REDIS_KEY_PREFIX). */
export const connectionSlotsKey = (userId: string) => `ws:conns:${userId}`;

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Take a slot: KEYS[1] sorted set of the user's sockets (score = lease end), ARGV max, leaseMs,
 * member. Expired leases are dropped first; 1 when the socket got its slot, 0 when `max` are taken.
 */
const ACQUIRE_SCRIPT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

/** Renew a slot still held: KEYS[1], ARGV leaseMs, member (a slot that expired meanwhile is not re-created). */
const RENEW_SCRIPT = `${NOW}
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return renewed`;

type SlotsRedis = Redis & {
  wsSlotAcquire(key: string, max: number, leaseMs: number, member: string): Promise<number>;
  wsSlotRenew(key: string, leaseMs: number, member: string): Promise<number>;
};

const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * WS_MAX_PER_USER: how many sockets one user may have open across every gateway instance. Each
 * socket holds a leased slot in Redis, taken atomically at the handshake, given back on
 * disconnect, and renewed by its gateway while it stays open, so a crashed gateway's slots expire
 * within SLOT_LEASE_MS instead of leaking. Redis outage: fail open (the socket is let in).
 */
@Injectable()
export class ConnectionSlots {
  private readonly logger = new Logger('ConnectionSlots');
  private readonly redis: SlotsRedis;
  /** This process's sockets are told apart from other instances' by this prefix. */
  private readonly instance = randomUUID();
  private lastOutageLog = 0;

  constructor(@Inject(REDIS) redis: Redis) {
    if (!('wsSlotAcquire' in redis)) {
      redis.defineCommand('wsSlotAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
      redis.defineCommand('wsSlotRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    }
    this.redis = redis as SlotsRedis;
  }

  private member(socketId: string): string {
    return `${this.instance}:${socketId}`;
  }

  /** Takes a slot for the socket; false when the user already has `max` open sockets. */
  async acquire(userId: string, socketId: string, max: number): Promise<boolean> {
    try {
      return (await this.redis.wsSlotAcquire(connectionSlotsKey(userId), max, SLOT_LEASE_MS, this.member(socketId))) === 1;
    } catch (error) {
      this.outage(error);
      return true;
    }
  }

  async release(userId: string, socketId: string): Promise<void> {
    await this.redis.zrem(connectionSlotsKey(userId), this.member(socketId)).catch((error: unknown) => this.outage(error));
  }

  /** Renews the slots of these open sockets (one round trip). */
  async renew(sockets: Iterable<{ userId: string; socketId: string }>): Promise<void> {
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      wsSlotRenew(key: string, leaseMs: number, member: string): unknown;
    };
    let n = 0;
    for (const { userId, socketId } of sockets) {
      pipeline.wsSlotRenew(connectionSlotsKey(userId), SLOT_LEASE_MS, this.member(socketId));
      n++;
    }
    if (n === 0) return;
    await pipeline.exec().catch((error: unknown) => this.outage(error));
  }

  private outage(error: unknown): void {
    const now = Date.now();
    if (now - this.lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastOutageLog = now;
    this.logger.warn(`Socket slots skipped, Redis unavailable: ${(error as Error).message}`);
  }
}
