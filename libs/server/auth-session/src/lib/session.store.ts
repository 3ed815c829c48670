import { randomUUID } from 'node:crypto';

import type { JwtEnv } from '@micronote/server-core';
import { REDIS } from '@micronote/server-core';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { SESSION_OWNER_FIELD, sessionKeys } from './session-keys';

/** The session hash (`sessionKeys.session`); `userId` is `SESSION_OWNER_FIELD`, what the gateway checks. */
export interface SessionRecord {
  id: string;
  [SESSION_OWNER_FIELD]: string;
  refreshJti: string;
  createdAt: string;
  lastUsedAt: string;
  /** When the session ends whatever its use (created + SESSION_MAX_AGE), epoch milliseconds. */
  endsAtMs: string;
  userAgent: string;
  ip: string;
}

export type RotateResult = 'rotated' | 'reused' | 'missing';

/**
 * Rotates a session's refresh token atomically. The presented jti must be the current one;
 * any other jti of the session is a replayed token, and the whole session is revoked. A session
 * past its absolute end is deleted instead. The session key then lives for the sliding lifetime,
 * but never past the absolute end (sessions from before `endsAtMs` existed get it now).
 * KEYS: session hash, user's session set.
 * ARGV: presented jti, new jti, now (ISO), session id, sliding ttl (s), user id, now (epoch ms), max age (ms).
 */
const ROTATE_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'refreshJti')
if not current then return 0 end
if redis.call('HGET', KEYS[1], '${SESSION_OWNER_FIELD}') ~= ARGV[6] then return 0 end
if current ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[4])
  return -1
end
local now = tonumber(ARGV[7])
local endsAt = tonumber(redis.call('HGET', KEYS[1], 'endsAtMs'))
if not endsAt then
  endsAt = now + tonumber(ARGV[8])
  redis.call('HSET', KEYS[1], 'endsAtMs', tostring(endsAt))
end
local ttl = tonumber(ARGV[5]) * 1000
if endsAt - now <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[4])
  return 0
end
if endsAt - now < ttl then ttl = endsAt - now end
redis.call('HSET', KEYS[1], 'refreshJti', ARGV[2], 'lastUsedAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
`;

type RedisWithScripts = Redis & {
  rotateRefresh(sessionKey: string, userKey: string, ...args: (string | number)[]): Promise<number>;
};

/**
 * Sessions in Redis (auth-service's store; the layout is `sessionKeys`): one hash per session (expiring with its refresh token
 * and at the latest SESSION_MAX_AGE after its creation) and a set of session ids per user. A
 * session's existence, under the token's user, is what makes its tokens valid.
 */
@Injectable()
export class SessionStore {
  private readonly redis: RedisWithScripts;
  private readonly ttlSeconds: number;
  private readonly maxAgeMs: number;

  constructor(@Inject(REDIS) redis: Redis, config: ConfigService<JwtEnv, true>) {
    this.redis = redis as RedisWithScripts;
    if (!('rotateRefresh' in redis)) redis.defineCommand('rotateRefresh', { numberOfKeys: 2, lua: ROTATE_SCRIPT });
    this.ttlSeconds = config.get('JWT_REFRESH_TTL', { infer: true });
    this.maxAgeMs = config.get('SESSION_MAX_AGE', { infer: true }) * 1000;
  }

  async create(userId: string, client: { userAgent: string; ip: string }): Promise<SessionRecord> {
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const session: SessionRecord = {
      id: randomUUID(),
      userId,
      refreshJti: randomUUID(),
      createdAt: now,
      lastUsedAt: now,
      endsAtMs: String(nowMs + this.maxAgeMs),
      userAgent: client.userAgent.slice(0, 256),
      ip: client.ip.slice(0, 64),
    };
    const key = sessionKeys.session(session.id);
    const userKey = sessionKeys.userSessions(userId);
    await this.redis
      .multi()
      .hset(key, { ...session })
      .pexpire(key, Math.min(this.ttlSeconds * 1000, this.maxAgeMs))
      .sadd(userKey, session.id)
      .expire(userKey, this.ttlSeconds)
      .exec()
      .then(throwOnFailedTransaction);
    return session;
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const data = await this.redis.hgetall(sessionKeys.session(sessionId));
    return data['id'] ? (data as unknown as SessionRecord) : null;
  }

  /** Swaps the refresh jti if `presentedJti` is current; otherwise revokes the session on reuse. */
  async rotate(userId: string, sessionId: string, presentedJti: string): Promise<{ result: RotateResult; newJti: string }> {
    const newJti = randomUUID();
    const now = Date.now();
    const code = await this.redis.rotateRefresh(
      sessionKeys.session(sessionId),
      sessionKeys.userSessions(userId),
      presentedJti,
      newJti,
      new Date(now).toISOString(),
      sessionId,
      this.ttlSeconds,
      userId,
      now,
      this.maxAgeMs,
    );
    return { result: code === 1 ? 'rotated' : code === -1 ? 'reused' : 'missing', newJti };
  }

  async list(userId: string): Promise<SessionRecord[]> {
    const ids = await this.redis.smembers(sessionKeys.userSessions(userId));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(sessionKeys.session(id));
    const results = (await pipeline.exec()) ?? [];
    const sessions: SessionRecord[] = [];
    const stale: string[] = [];
    results.forEach(([error, data], i) => {
      const record = data as Record<string, string> | null;
      if (!error && record?.['id'] && record[SESSION_OWNER_FIELD] === userId) sessions.push(record as unknown as SessionRecord);
      else if (!error) stale.push(ids[i]);
    });
    if (stale.length > 0) await this.redis.srem(sessionKeys.userSessions(userId), ...stale);
    return sessions.sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt));
  }

  /** Ends one session of the user; false when it is not the user's (or already gone). */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    const owner = await this.redis.hget(sessionKeys.session(sessionId), SESSION_OWNER_FIELD);
    if (owner !== userId) return false;
    await this.redis
      .multi()
      .del(sessionKeys.session(sessionId))
      .srem(sessionKeys.userSessions(userId), sessionId)
      .exec()
      .then(throwOnFailedTransaction);
    return true;
  }

  /** Ends every session of the user except `keepSessionId`; returns the ended ids. */
  async revokeAll(userId: string, keepSessionId?: string): Promise<string[]> {
    const ids = (await this.redis.smembers(sessionKeys.userSessions(userId))).filter((id) => id !== keepSessionId);
    if (ids.length === 0) return [];
    await this.redis
      .multi()
      .del(...ids.map((id) => sessionKeys.session(id)))
      .srem(sessionKeys.userSessions(userId), ...ids)
      .exec()
      .then(throwOnFailedTransaction);
    return ids;
  }
}

function throwOnFailedTransaction(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('Redis transaction was aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}
