#!/usr/bin/env node
// The baseline of P1 and P2 (bench/run.mjs): a bare `node:http` server answering
// `GET /api/notes?limit=N` the way MicroNote does, in one process and without a framework:
//   1. verify the bearer JWT (jsonwebtoken, HS256 with the deployment's secret, issuer and audience,
//      the secret as a KeyObject like the gateway) and its claims (typ, sub, sid);
//   2. one Redis round trip for the session (EXISTS <prefix>auth:session:<sid>: the gateway's
//      check; the session is a hash, so a plain GET would be a type error);
//   3. the same SQL as notes-service on a mysql2 pool of the same options (notes-sql.mjs), and the
//      same JSON body `{ items, nextCursor }`.
// Anything else answers 404; a bad token 401.
//
//   node bench/baseline/notes-server.mjs --port 8090 --db micronote_notes_benchrun --redis-prefix mnbenchrun:
//
// MYSQL_URL and REDIS_URL as for the apps. Prints `listening on <port>` once it accepts requests.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

import { infraUrls } from '../../tools/scripts/lib/infra.mjs';
import { DEV_JWT } from '../lib/session.mjs';
import { listNotes, notesPool } from './notes-sql.mjs';

const { values: opts } = parseArgs({
  options: { port: { type: 'string' }, db: { type: 'string' }, 'redis-prefix': { type: 'string' } },
});
const { mysqlUrl, redisUrl } = infraUrls();
const pool = notesPool(mysqlUrl, opts.db);
const redis = new Redis(redisUrl, { keyPrefix: opts['redis-prefix'] });
const key = createSecretKey(Buffer.from(DEV_JWT.secret, 'utf8'));
const verifyOptions = { algorithms: ['HS256'], issuer: DEV_JWT.issuer, audience: DEV_JWT.audience };
const PAGE = { default: 20, max: 100 };

function send(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** The user id of a valid access token with a live session, or null. */
async function authenticate(header) {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) return null;
  let claims;
  try {
    claims = jwt.verify(token, key, verifyOptions);
  } catch {
    return null;
  }
  if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
  return (await redis.exists(`auth:session:${claims.sid}`)) ? claims.sub : null;
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== '/api/notes') return send(res, 404, { statusCode: 404, error: 'Not Found' });
  const userId = await authenticate(req.headers.authorization);
  if (!userId) return send(res, 401, { statusCode: 401, error: 'Unauthorized' });
  const limit = Math.min(PAGE.max, Number(url.searchParams.get('limit')) || PAGE.default);
  send(res, 200, await listNotes(pool, userId, limit));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => send(res, 500, { statusCode: 500, error: error.message }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(opts.port), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis.disconnect();
  pool.end().then(() => process.exit(0));
});
