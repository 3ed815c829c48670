// Benchmark sign-in for a seeded user id: the seeds have notes but no accounts, so the harness
// creates a session the way auth-service does (a Redis hash `auth:session:<sid>` under the
// deployment's REDIS_KEY_PREFIX) and signs an access token with the deployment's JWT settings.
import { randomUUID } from 'node:crypto';

import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

export const DEV_JWT = {
  secret: process.env.JWT_SECRET || 'micronote-dev-only-secret-change-me-0123456789',
  issuer: process.env.JWT_ISSUER || 'micronote-auth',
  audience: process.env.JWT_AUDIENCE || 'micronote-api',
};

/** An access token of `userId`, valid for `ttlSeconds`, with a live session behind it. */
export async function benchToken({ redisUrl, redisPrefix, userId, ttlSeconds = 3600 }) {
  const sessionId = randomUUID();
  const redis = new Redis(redisUrl, { keyPrefix: redisPrefix, lazyConnect: true });
  await redis.connect();
  try {
    const now = new Date().toISOString();
    const key = `auth:session:${sessionId}`;
    await redis
      .multi()
      .hset(key, { id: sessionId, userId, refreshJti: randomUUID(), createdAt: now, lastUsedAt: now, userAgent: 'bench', ip: '127.0.0.1' })
      .expire(key, ttlSeconds)
      .exec();
  } finally {
    redis.disconnect();
  }
  return jwt.sign({ sid: sessionId, typ: 'access' }, DEV_JWT.secret, {
    algorithm: 'HS256',
    issuer: DEV_JWT.issuer,
    audience: DEV_JWT.audience,
    subject: String(userId),
    jwtid: randomUUID(),
    expiresIn: ttlSeconds,
  });
}
