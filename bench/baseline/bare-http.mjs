// What the bare servers of bench/baseline (notes-server.mjs, floor-edge.mjs) share: the gateway's
// authentication without a framework, and a JSON answer.
import { createSecretKey } from 'node:crypto';

import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

import { DEV_JWT } from '../lib/session.mjs';

export const PAGE = { default: 20, max: 100 };

export function send(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/**
 * `{ authenticate(authorizationHeader) → Promise<userId | null>, close() }`: the bearer JWT verified
 * (jsonwebtoken, HS256 with the dev secret as a KeyObject like the gateway, issuer, audience), its
 * claims checked (typ, sub, sid), then one Redis round trip for the session (HGET
 * <prefix>auth:session:<sid> userId, compared with sub: the gateway's check).
 */
export function sessionAuth(redisUrl, redisPrefix) {
  const redis = new Redis(redisUrl, { keyPrefix: redisPrefix });
  const key = createSecretKey(Buffer.from(DEV_JWT.secret, 'utf8'));
  const verifyOptions = { algorithms: ['HS256'], issuer: DEV_JWT.issuer, audience: DEV_JWT.audience };
  return {
    async authenticate(header) {
      const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
      if (!token) return null;
      let claims;
      try {
        claims = jwt.verify(token, key, verifyOptions);
      } catch {
        return null;
      }
      if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
      return (await redis.hget(`auth:session:${claims.sid}`, 'userId')) === claims.sub ? claims.sub : null;
    },
    close: () => redis.disconnect(),
  };
}

/** Serves `GET /api/notes?limit=N` with `page(userId, limit) → Promise<body>`; anything else 404, a bad token 401. Prints `listening on <port>`. */
export function serveNotesList({ createServer, port, auth, page, onClose }) {
  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/api/notes') return send(res, 404, { statusCode: 404, error: 'Not Found' });
    const userId = await auth.authenticate(req.headers.authorization);
    if (!userId) return send(res, 401, { statusCode: 401, error: 'Unauthorized' });
    const limit = Math.min(PAGE.max, Number(url.searchParams.get('limit')) || PAGE.default);
    send(res, 200, await page(userId, limit));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 500, { statusCode: 500, error: error.message }));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    auth.close();
    Promise.resolve(onClose?.()).then(() => process.exit(0));
  });
}
