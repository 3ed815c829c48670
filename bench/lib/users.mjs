// Accounts for realtime benchmarks: real users registered through the API, or many bench sessions
// minted straight into Redis (like session.mjs `benchToken`, over one connection), and a JSON
// POST over a keep-alive agent.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';

import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

import { DEV_JWT } from './session.mjs';

/** One JSON POST; resolves to { status, body } (body parsed when it is JSON). */
export function postJson(url, payload, { headers = {}, agent } = {}) {
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          let parsed = body;
          try {
            parsed = JSON.parse(body);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * Registers `count` users named `<tag>_<i>` through POST /api/auth/register, `concurrency` at a
 * time (password hashing is the slow part); resolves to `[{ userId, username, token }]`.
 */
export async function registerUsers(gatewayUrl, { count, tag, concurrency = 4, agent }) {
  const users = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const username = `${tag}_${i}`;
      const { status, body } = await postJson(
        `${gatewayUrl}/api/auth/register`,
        { name: `Bench ${i}`, email: `${username}@bench.invalid`, username, password: 'bench-password-1' },
        { agent },
      );
      if (status !== 201) throw new Error(`register ${username} answered ${status}: ${JSON.stringify(body)}`);
      users[i] = { userId: String(body.user.id), username, token: body.accessToken };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return users;
}

/**
 * One access token per user id of `userIds`, each with a live session, minted like `benchToken`
 * (session hash `auth:session:<sid>` under `redisPrefix`, JWT signed with the dev settings), in
 * one pipeline. The users need not exist: a socket's handshake only checks the token and session.
 */
export async function mintTokens({ redisUrl, redisPrefix, userIds, ttlSeconds = 3600 }) {
  const redis = new Redis(redisUrl, { keyPrefix: redisPrefix, lazyConnect: true });
  await redis.connect();
  const now = new Date().toISOString();
  try {
    const pipeline = redis.pipeline();
    const tokens = userIds.map((userId) => {
      const sessionId = randomUUID();
      const key = `auth:session:${sessionId}`;
      pipeline
        .hset(key, {
          id: sessionId,
          userId,
          refreshJti: randomUUID(),
          createdAt: now,
          lastUsedAt: now,
          userAgent: 'bench',
          ip: '127.0.0.1',
        })
        .expire(key, ttlSeconds);
      return jwt.sign({ sid: sessionId, typ: 'access' }, DEV_JWT.secret, {
        algorithm: 'HS256',
        issuer: DEV_JWT.issuer,
        audience: DEV_JWT.audience,
        subject: String(userId),
        jwtid: randomUUID(),
        expiresIn: ttlSeconds,
      });
    });
    const results = await pipeline.exec();
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return tokens;
  } finally {
    redis.disconnect();
  }
}
